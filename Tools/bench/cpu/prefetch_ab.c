// Software prefetch on or off (lk_set_software_prefetch), alternating in one process on
// the same 2^25-element inputs: the fused kernels as the Swift drivers call them (Eigen's
// 8,192-value leaves, row blocks of 1,024) and the memory floor's plain sum, on 1 or 2
// threads (contiguous halves, as FusedExecution splits them). This is the measurement
// behind cpu.c's choice per CPU; alternating resolves what separate runs on a shared VM,
// whose speed drifts by 10–30% within minutes, cannot.
//
//   S=Sources/CLossKitKernels
//   clang -O2 -I$S/include Tools/bench/cpu/prefetch_ab.c $S/*.c -lm -lpthread -o /tmp/prefetch_ab
//   /tmp/prefetch_ab [THREADS [ROUNDS]]
#include "CLossKitKernels.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "seconds.h"

#define N (1u << 25)
#define LEAF 8192
#define CLASSES 1000
#define ROWS (N / 1024)
#define ROW_BLOCK 1024

static float *probability, *target, *logit, *one_hot, *binary;
static int64_t *label;
static volatile float sink;

enum { MSE, MAE, HUBER, BCE, BCE_LOGITS, SPARSE, SOFTMAX, FLOOR_NEAR, FLOOR_FAR, FLOOR_HARDWARE, KERNELS };
static const char *names[KERNELS] = {
  "keras MSE", "keras MAE", "keras Huber", "keras BCE (probabilities)", "BCE from logits (tf, keras)",
  "sparse softmax (tf, keras)", "softmax, dense labels (tf)", "floor, 4 KiB ahead", "floor, 8 KiB ahead",
  "floor, hardware only"};

static int is_rows(int kernel) { return kernel == SPARSE || kernel == SOFTMAX; }

/// Runs `kernel` over leaves (or rows) [begin, end).
static void run(int kernel, size_t begin, size_t end) {
  const lk_regression_config mse = {LK_SQUARED_ERROR, 0, 0, 0, 1}, mae = {LK_ABSOLUTE_ERROR, 0, 0, 0, 1},
                             huber = {LK_HUBER, 0, 1, -0.5f, 1};
  const lk_bce_prob_config bce = {1e-7f, 1 - 1e-7f, 0, 1, 1, 0, 0};
  float loss[ROW_BLOCK], scratch[CLASSES], total = 0;
  for (size_t i = begin; i < end;) {
    const float *p = probability + i * LEAF, *t = target + i * LEAF, *x = logit + i * LEAF, *z = binary + i * LEAF;
    switch (kernel) {
      case MSE: total += lk_regression_leaf_sum(p, t, LEAF, &mse, 0); break;
      case MAE: total += lk_regression_leaf_sum(p, t, LEAF, &mae, 0); break;
      case HUBER: total += lk_regression_leaf_sum(p, t, LEAF, &huber, 0); break;
      case BCE: total += lk_bce_prob_leaf_sum(p, z, LEAF, LEAF, &bce, 0); break;
      case BCE_LOGITS: total += lk_sigmoid_xent_leaf_sum(x, z, LEAF, LEAF, 1.0f, 0, 0); break;
      case FLOOR_NEAR: total += (float)lk_stream_sum(p, t, LEAF, LK_STREAM_NEAR); break;
      case FLOOR_FAR: total += (float)lk_stream_sum(p, t, LEAF, LK_STREAM_FAR); break;
      case FLOOR_HARDWARE: total += (float)lk_stream_sum(p, t, LEAF, LK_STREAM_HARDWARE); break;
      default: {
        const size_t rows = end - i < ROW_BLOCK ? end - i : ROW_BLOCK;
        if (kernel == SPARSE)
          lk_sparse_xent_rows(logit + i * CLASSES, label + i, rows, CLASSES, i, (size_t)ROWS * CLASSES, 1.0f, loss, 0, 0);
        else
          lk_softmax_xent_rows(logit + i * CLASSES, one_hot + i * CLASSES, rows, CLASSES, i, ROWS, 1.0f, loss, 0, scratch);
        total += loss[0];
        i += rows;
        continue;
      }
    }
    i++;
  }
  sink = total;
}

typedef struct { int kernel; size_t begin, end; } range;
static void *worker(void *argument) {
  const range *r = argument;
  run(r->kernel, r->begin, r->end);
  return 0;
}

static double timed(int kernel, int threads) {
  const size_t count = is_rows(kernel) ? ROWS : N / LEAF;
  const double start = seconds();
  if (threads == 1) {
    run(kernel, 0, count);
  } else {
    pthread_t thread[2];
    range half[2] = {{kernel, 0, count / 2}, {kernel, count / 2, count}};
    for (int k = 0; k < 2; k++) pthread_create(&thread[k], 0, worker, &half[k]);
    for (int k = 0; k < 2; k++) pthread_join(thread[k], 0);
  }
  return seconds() - start;
}

int main(int argc, char **argv) {
  const int threads = argc > 1 && atoi(argv[1]) == 2 ? 2 : 1, rounds = argc > 2 ? atoi(argv[2]) : 8;
  probability = malloc(N * sizeof(float));
  target = malloc(N * sizeof(float));
  logit = malloc(N * sizeof(float));
  binary = malloc(N * sizeof(float));
  one_hot = calloc((size_t)ROWS * CLASSES, sizeof(float));
  label = malloc(ROWS * sizeof(int64_t));
  if (!probability || !target || !logit || !binary || !one_hot || !label) return fprintf(stderr, "out of memory\n"), 2;
  srand(1);
  for (size_t i = 0; i < N; i++) {
    probability[i] = 0.001f + 0.998f * (float)rand() / (float)RAND_MAX;
    target[i] = 6.0f * (float)rand() / (float)RAND_MAX - 3.0f;
    logit[i] = 6.0f * probability[i] - 3.0f;
    binary[i] = (float)(rand() & 1);
  }
  for (size_t r = 0; r < ROWS; r++) {
    label[r] = rand() % CLASSES;
    one_hot[r * CLASSES + label[r]] = 1;
  }
  printf("%d thread(s), %d rounds alternating, fastest call, ns per element (per logit for softmax)\n", threads, rounds);
  printf("%-30s %9s %9s %8s\n", "kernel", "prefetch", "hardware", "hw/pf");
  for (int k = 0; k < KERNELS; k++) {
    double best[2] = {1e9, 1e9};
    for (int r = 0; r < rounds; r++)
      for (int off = 0; off < 2; off++) {
        lk_set_software_prefetch(!off);
        const double t = timed(k, threads);
        if (t < best[off]) best[off] = t;
      }
    const double elements = is_rows(k) ? (double)ROWS * CLASSES : (double)N;
    printf("%-30s %9.3f %9.3f %8.3f\n", names[k], best[0] * 1e9 / elements, best[1] * 1e9 / elements, best[1] / best[0]);
    fflush(stdout);
  }
  lk_set_software_prefetch(-1);
  printf("this CPU's choice: software prefetch %s\n", lk_software_prefetch() ? "on" : "off");
  return 0;
}
