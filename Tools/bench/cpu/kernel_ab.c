// In-process A/B timing of two builds of the AVX-512 fused kernels (kernel_ab.sh builds
// them as variants `_a` and `_b`). The variants run alternately, round after round, on
// the same inputs, and each keeps its fastest call: on a shared VM whose speed drifts
// by 10–30% between runs, that resolves differences of a few percent that separate
// `losskit bench` runs cannot. Checks that both give the same losses (bit for bit).
#include "CLossKitKernels.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seconds.h"

#define VARIANT(v)                                                                                                \
  void lk_sparse_xent_rows_##v(const float *, const int64_t *, size_t, size_t, size_t, size_t, float, float *,     \
                               float *, float *);                                                                  \
  float lk_sigmoid_xent_leaf_sum_##v(const float *, const float *, size_t, size_t, float, const lk_label_smoothing *, \
                                     float *);
VARIANT(a)
VARIANT(b)

// kernels.c's first-use check that the C library's logs are glibc's, which torch's
// BCELoss kernel asks for; neither timed kernel calls it, and kernels.c's dispatch
// would pull in every variant.
int lk_glibc_logs_agree(void) { return 0; }

int main(int argc, char **argv) {
  // rows of 1,000 logits for sparse softmax; the same number of elements for BCE.
  const size_t classes = 1000, rows = argc > 1 ? strtoul(argv[1], 0, 10) : 64;
  const int rounds = argc > 2 ? atoi(argv[2]) : 2000;
  const size_t n = rows * classes;
  float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *loss[2];
  int64_t *labels = malloc(rows * sizeof *labels);
  loss[0] = malloc(rows * sizeof(float));
  loss[1] = malloc(rows * sizeof(float));
  if (!x || !y || !labels || !loss[0] || !loss[1]) return fprintf(stderr, "out of memory\n"), 2;
  srand(1);
  for (size_t i = 0; i < n; i++) {
    x[i] = 8.0f * (float)rand() / (float)RAND_MAX - 4.0f;
    y[i] = (float)(rand() & 1);
  }
  for (size_t r = 0; r < rows; r++) labels[r] = (int64_t)(r * 7919 % classes);
  typedef void (*sparse_fn)(const float *, const int64_t *, size_t, size_t, size_t, size_t, float, float *, float *,
                            float *);
  typedef float (*sigmoid_fn)(const float *, const float *, size_t, size_t, float, const lk_label_smoothing *, float *);
  const sparse_fn sparse[2] = {lk_sparse_xent_rows_a, lk_sparse_xent_rows_b};
  const sigmoid_fn sigmoid[2] = {lk_sigmoid_xent_leaf_sum_a, lk_sigmoid_xent_leaf_sum_b};
  double best_sparse[2] = {1e9, 1e9}, best_sigmoid[2] = {1e9, 1e9};
  float sums[2] = {0, 0};
  for (int round = 0; round < rounds; round++) {
    for (int v = 0; v < 2; v++) {
      double start = seconds();
      sparse[v](x, labels, rows, classes, 0, n, 1.0f, loss[v], 0, 0);
      double t = seconds() - start;
      if (t < best_sparse[v]) best_sparse[v] = t;
      start = seconds();
      sums[v] = sigmoid[v](x, y, n, n, 1.0f, 0, 0);
      t = seconds() - start;
      if (t < best_sigmoid[v]) best_sigmoid[v] = t;
    }
  }
  const int same = memcmp(loss[0], loss[1], rows * sizeof(float)) == 0 && memcmp(&sums[0], &sums[1], sizeof(float)) == 0;
  printf("%zu rows x %zu classes, %d rounds, fastest call (ns per element)\n", rows, classes, rounds);
  printf("%-40s %8s %8s %8s\n", "kernel", "a", "b", "b / a");
  printf("%-40s %8.4f %8.4f %8.3f\n", "sparse softmax xent (tf.nn, Keras)", best_sparse[0] * 1e9 / n,
         best_sparse[1] * 1e9 / n, best_sparse[1] / best_sparse[0]);
  printf("%-40s %8.4f %8.4f %8.3f\n", "sigmoid xent leaf sum (BCE from logits)", best_sigmoid[0] * 1e9 / n,
         best_sigmoid[1] * 1e9 / n, best_sigmoid[1] / best_sigmoid[0]);
  printf("results: %s\n", same ? "bit-identical" : "DIFFERENT");
  return same ? 0 : 1;
}
