// The fused loss kernels, written once on LK_WIDTH-lane clang vectors and compiled for
// each ISA (kernels_generic.c, kernels_avx2.c, kernels_avx512.c). LK_NAME(f) names the
// ISA's variant; kernels.c dispatches.
#include "vector_math.h"
#include "xla_math.h"
#include "sleef_math.h"
#include "glibc_math.h"
#include "CLossKitKernels.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

LK_STATIC vf vload(const float *p) { vf v; memcpy(&v, p, sizeof v); return v; }
LK_STATIC void vstore(float *p, vf v) { memcpy(p, &v, sizeof v); }

/// Asks for the cache line LK_PREFETCH_AHEAD floats (4 KiB) past `p`. The streaming loops
/// call it for each input they read, once per 64 bytes consumed: on one AMD Zen 5 core the
/// hardware prefetcher alone left compute-heavy loops waiting on memory (BCE from logits,
/// 2^25 elements: 0.66 → 0.48 ns/element with it). A prefetch never faults, so reading
/// past the end of the input is harmless.
#define LK_PREFETCH_AHEAD 1024
/// Twice as far (8 KiB), for the softmax rows' first reads: sparse softmax over 1,000
/// classes, 0.195 → 0.18 ns/logit (the element-wise loops, MSE on one thread among
/// them, were slower at that distance).
#define LK_PREFETCH_FAR (2 * LK_PREFETCH_AHEAD)

/// Whether the loops prefetch: `lk_software_prefetch`'s choice for this CPU (cpu.c). On
/// AMD Zen 4 it is no: there the hardware prefetcher alone streams faster.
extern int lk_prefetch_enabled;
/// A prefetch `ahead` floats past each 64-byte line of the `n` floats at `p` (n a
/// multiple of 16), whatever the CPU's choice.
LK_STATIC void prefetch_lines_always(const float *p, int n, int ahead) {
  for (int k = 0; k < n; k += 16) __builtin_prefetch(p + k + ahead, 0, 3);
}
/// `prefetch_lines_always` where the CPU's choice is to prefetch.
LK_STATIC void prefetch_lines(const float *p, int n, int ahead) {
  if (__atomic_load_n(&lk_prefetch_enabled, __ATOMIC_RELAXED)) prefetch_lines_always(p, n, ahead);
}
LK_STATIC void prefetch_ahead_lines(const float *p, int n) { prefetch_lines(p, n, LK_PREFETCH_AHEAD); }
LK_STATIC void prefetch_ahead(const float *p) { prefetch_ahead_lines(p, 16); }

/// The `n` ≤ LK_WIDTH floats at `p`, the other lanes `pad` (nothing past p + n is read).
LK_STATIC vf vload_padded(const float *p, size_t n, float pad) {
#if defined(LK_AVX512)
  const __mmask16 mask = n >= 16 ? 0xffff : (__mmask16)((1u << n) - 1);
  return (vf)_mm512_mask_loadu_ps(_mm512_set1_ps(pad), mask, p);
#else
  float lanes[LK_WIDTH];
  for (size_t k = 0; k < LK_WIDTH; k++) lanes[k] = k < n ? p[k] : pad;
  return vload(lanes);
#endif
}

// MARK: - Largest and smallest lanes

// Trees of half-vector max/min instead of __builtin_reduce_max/min, which clang expands
// into a chain of one-lane operations (15 deep for 16 lanes: about 40 cycles per row in
// the softmax kernels). For lanes that hold no NaN; a zero's sign may come from either.
typedef float lk_lanes2 __attribute__((ext_vector_type(2)));
typedef float lk_lanes4 __attribute__((ext_vector_type(4)));
typedef float lk_lanes8 __attribute__((ext_vector_type(8)));
typedef float lk_lanes16 __attribute__((ext_vector_type(16)));
#define LK_LANES_TREE(name, op)                                                                     \
  LK_STATIC float name##2(lk_lanes2 v) { return v.y op v.x ? v.y : v.x; }                          \
  LK_STATIC float name##4(lk_lanes4 v) { return name##2(v.hi op v.lo ? v.hi : v.lo); }             \
  LK_STATIC float name##8(lk_lanes8 v) { return name##4(v.hi op v.lo ? v.hi : v.lo); }             \
  LK_STATIC float name##16(lk_lanes16 v) { return name##8(v.hi op v.lo ? v.hi : v.lo); }
LK_LANES_TREE(lanes_max, >)
LK_LANES_TREE(lanes_min, <)
#undef LK_LANES_TREE
#define LK_LANES_OF_WIDTH_(name, width) name##width
#define LK_LANES_OF_WIDTH(name, width) LK_LANES_OF_WIDTH_(name, width)
/// The largest and smallest of a vf's lanes.
LK_STATIC float vf_max_lane(vf v) { return LK_LANES_OF_WIDTH(lanes_max, LK_WIDTH)(v); }
LK_STATIC float vf_min_lane(vf v) { return LK_LANES_OF_WIDTH(lanes_min, LK_WIDTH)(v); }

/// Eigen's float preciprocal, lane by lane with the CPU's rcpps table (TensorFlow's AVX
/// build uses the 8-lane vrcpps; AVX-512's rcp14 would differ).
LK_STATIC vf v_reciprocal(vf a) {
  vf x;
#if (defined(__x86_64__) || defined(__i386__)) && LK_WIDTH >= 8
  for (int h = 0; h < LK_WIDTH; h += 8) {
    float lanes[8];
    memcpy(lanes, (const float *)&a + h, sizeof lanes);
    __m256 r = _mm256_rcp_ps(_mm256_loadu_ps(lanes));
    _mm256_storeu_ps(lanes, r);
    memcpy((float *)&x + h, lanes, sizeof lanes);
  }
#elif defined(__x86_64__) || defined(__i386__)
  float lanes[LK_WIDTH];
  memcpy(lanes, &a, sizeof lanes);
  for (int i = 0; i < LK_WIDTH; i += 4) _mm_storeu_ps(lanes + i, _mm_rcp_ps(_mm_loadu_ps(lanes + i)));
  memcpy(&x, lanes, sizeof lanes);
#else
  x = 1.0f / a;
#endif
  vf tmp = 1.0f - a * x;
  return vselect(tmp == tmp, x * tmp + x, x);
}

// MARK: - Binary cross-entropy on probabilities (Keras 3 and tf-keras)

/// One element on the scalar path of TensorFlow's executor (the last n mod 8 elements).
LK_STATIC void bce_prob_scalar(float p, float y, const lk_bce_prob_config *c, float *loss, float *grad) {
  float target = c->smooth ? y * c->keep + c->half : y;
  // TensorFlow's Minimum/Maximum propagate NaN.
  float upper_clipped = p != p ? p : (c->upper < p ? c->upper : p);
  float clipped = upper_clipped != upper_clipped ? upper_clipped : (c->lower > upper_clipped ? c->lower : upper_clipped);
  float positive_arg = c->epsilon_in_log != 0.0f ? clipped + c->epsilon_in_log : clipped;
  float one_minus = 1.0f - clipped;
  float negative_arg = c->epsilon_in_log != 0.0f ? one_minus + c->epsilon_in_log : one_minus;
  float positive = target * logf(positive_arg);
  float one_minus_target = 1.0f - target;
  float negative = one_minus_target * logf(negative_arg);
  *loss = -(positive + negative);
  if (grad) {
    float through_negative = -((one_minus_target * c->seed) * (1.0f / negative_arg));
    float g = through_negative + (target * c->seed) * (1.0f / positive_arg);
    *grad = (p <= c->upper) && (upper_clipped >= c->lower) ? g : 0.0f;
  }
}

LK_STATIC void bce_prob_core(const float *p, const float *y, size_t count, size_t scalar_from,
                             const lk_bce_prob_config *c, float *loss, float *grad) {
  const size_t packet_end = scalar_from < count ? scalar_from : count;
  const vf upper = vsplat(c->upper), lower = vsplat(c->lower), eps = vsplat(c->epsilon_in_log);
  const int has_eps = c->epsilon_in_log != 0.0f;
  size_t i = 0;
  for (; i + LK_WIDTH <= packet_end; i += LK_WIDTH) {
    prefetch_ahead_lines(p + i, LK_WIDTH);
    prefetch_ahead_lines(y + i, LK_WIDTH);
    vf pv = vload(p + i), yv = vload(y + i);
    vf target = c->smooth ? yv * c->keep + c->half : yv;
    vf upper_clipped = vpmin(pv, upper);
    vf clipped = vpmax(upper_clipped, lower);
    vf positive_arg = has_eps ? clipped + eps : clipped;
    vf one_minus = 1.0f - clipped;
    vf negative_arg = has_eps ? one_minus + eps : one_minus;
    vf one_minus_target = 1.0f - target;
    if (__builtin_reduce_and((target == 1.0f) | (target == 0.0f))) {
      // Hard labels: one of the two terms is 0·log(…) (= ±0, the log is finite after
      // clipping), so one log per lane gives the same bits: −(log(c) + 0) for y = 1,
      // −(−0 + log(1 − c)) for y = 0.
      vi is_one = target == 1.0f;
      vstore(loss + i, -v_log(vselect(is_one, positive_arg, negative_arg)));
    } else {
      vf positive = target * v_log(positive_arg);
      vf negative = one_minus_target * v_log(negative_arg);
      vstore(loss + i, -(positive + negative));
    }
    if (grad) {
      vf through_negative = -((one_minus_target * c->seed) * v_reciprocal(negative_arg));
      vf g = through_negative + (target * c->seed) * v_reciprocal(positive_arg);
      vi passes = (pv <= upper) & (upper_clipped >= lower);
      vstore(grad + i, vselect(passes, g, vsplat(0.0f)));
    }
  }
  // Packet-path elements that do not fill a vector of this width: one lane at a time.
  for (; i < packet_end; i++) {
    float target = c->smooth ? y[i] * c->keep + c->half : y[i];
    float upper_clipped = c->upper < p[i] ? c->upper : p[i];
    float clipped = c->lower > upper_clipped ? c->lower : upper_clipped;
    float positive_arg = has_eps ? clipped + c->epsilon_in_log : clipped;
    float one_minus = 1.0f - clipped;
    float negative_arg = has_eps ? one_minus + c->epsilon_in_log : one_minus;
    float positive = target * lk_eigen_logf(positive_arg);
    float one_minus_target = 1.0f - target;
    float negative = one_minus_target * lk_eigen_logf(negative_arg);
    loss[i] = -(positive + negative);
    if (grad) {
      float through_negative = -((one_minus_target * c->seed) * lk_eigen_reciprocalf(negative_arg));
      float g = through_negative + (target * c->seed) * lk_eigen_reciprocalf(positive_arg);
      grad[i] = (p[i] <= c->upper) && (upper_clipped >= c->lower) ? g : 0.0f;
    }
  }
  for (; i < count; i++) bce_prob_scalar(p[i], y[i], c, loss + i, grad ? grad + i : 0);
}

void LK_NAME(lk_bce_prob)(const float *p, const float *y, size_t count, size_t scalar_from, const lk_bce_prob_config *c,
                          float *loss, float *grad) {
  bce_prob_core(p, y, count, scalar_from, c, loss, grad);
}

// MARK: - Leaf sums of values computed on the fly

/// Computes the `n` values at `start` of a leaf into `out` (and their gradients).
typedef void (*lk_range_fn)(const void *context, size_t start, size_t n, float *out);
typedef float lk_v32 __attribute__((ext_vector_type(32)));
typedef float lk_v8 __attribute__((ext_vector_type(8)));

/// The end of an Eigen leaf sum: its 32-lane accumulator folded to 8 lanes (added to the
/// 8-lane packets' accumulator after them), and the 8 lanes reduced pairwise.
LK_STATIC lk_v8 eigen_fold32(lk_v32 acc) {
  lk_v8 a0 = acc.s01234567, a1 = acc.s89abcdef;
  lk_v8 a2 = __builtin_shufflevector(acc, acc, 16, 17, 18, 19, 20, 21, 22, 23);
  lk_v8 a3 = __builtin_shufflevector(acc, acc, 24, 25, 26, 27, 28, 29, 30, 31);
  return ((a0 + a1) + a2) + a3;
}

LK_STATIC float eigen_fold8(lk_v8 acc) {
  typedef float v4 __attribute__((ext_vector_type(4)));
  v4 h4 = acc.s0123 + acc.s4567;
  return (h4.s0 + h4.s2) + (h4.s1 + h4.s3);
}

/// The end of Eigen's leaf sum of `count` ≥ 8 values whose first `offset` (a multiple of
/// 32) are already in `acc`, their 32-lane running sum: the other 32-value blocks into
/// `acc`, folded; the 8-value packets; the last count mod 8 one by one. `rest` holds the
/// values from `offset` on.
LK_STATIC float eigen_leaf_rest(const float *rest, size_t offset, size_t count, lk_v32 acc) {
  size_t o = offset;
  for (; o + 32 <= count; o += 32) {
    lk_v32 v;
    memcpy(&v, rest + (o - offset), sizeof v);
    acc += v;
  }
  // Below 32 values Eigen has no 32-lane pass; folding the zero accumulator gives the
  // same +0 lanes.
  lk_v8 acc0 = eigen_fold32(acc);
  for (; o + 8 <= count; o += 8) {
    lk_v8 v;
    memcpy(&v, rest + (o - offset), sizeof v);
    acc0 += v;
  }
  float scalar = 0.0f;
  for (; o < count; o++) scalar += rest[o - offset];
  return scalar + eigen_fold8(acc0);
}

/// How many of a tree node's `n` values (the first at flat index `first`) go to its left
/// child: Eigen's split of a reduction larger than one leaf, at a packet boundary.
LK_STATIC size_t eigen_left_count(size_t n, size_t first) {
  size_t half = (n + 1) / 2;
  size_t split = 8 * ((first + half + 7) / 8);
  return split - first < n ? split - first : n;
}

/// `lk_eigen_leaf_sum`'s order over values computed on the fly instead of a scratch
/// written whole and read back: the same float operations, one pass over the inputs.
/// `range` (a constant at every call, so inlined) gives up to 256 values at a time. A
/// caller that computed the first `offset` values (a multiple of 32, with `count` ≥ 32)
/// itself passes their 32-lane running sum as `acc`.
LK_STATIC float leaf_sum_from(const void *context, lk_range_fn range, size_t count, const lk_v32 *start_acc, size_t offset) {
  float lanes[256];
  if (count < 8) {
    range(context, 0, count, lanes);
    float s = 0.0f;
    for (size_t i = 0; i < count; i++) s += lanes[i];
    return s;
  }
  lk_v8 acc0 = 0;
  if (count >= 32) {
    lk_v32 acc = *start_acc;
    size_t unrolled = count / 32 * 32;
    while (offset < unrolled) {
      size_t n = unrolled - offset < 256 ? unrolled - offset : 256;
      range(context, offset, n, lanes);
      for (size_t k = 0; k < n; k += 32) {
        lk_v32 v;
        memcpy(&v, lanes + k, sizeof v);
        acc += v;
      }
      offset += n;
    }
    acc0 = eigen_fold32(acc);
  }
  for (; offset + 8 <= count; offset += 8) {
    range(context, offset, 8, lanes);
    lk_v8 v;
    memcpy(&v, lanes, sizeof v);
    acc0 += v;
  }
  float scalar = 0.0f;
  if (offset < count) {
    range(context, offset, count - offset, lanes);
    for (size_t i = 0; i < count - offset; i++) scalar += lanes[i];
  }
  return scalar + eigen_fold8(acc0);
}

/// Adds LK_WIDE values into a leaf's 32-lane running sum, 32 at a time in order (Eigen's
/// 4×8-lane accumulators).
LK_STATIC void add_to_leaf(lk_v32 *sum, vw l) {
  for (int k = 0; k < LK_WIDE; k += 32) {
    lk_v32 v;
    memcpy(&v, (const float *)&l + k, sizeof v);
    *sum += v;
  }
}

LK_STATIC float leaf_sum_of(const void *context, lk_range_fn range, size_t count) {
  const lk_v32 zero = 0;
  return leaf_sum_from(context, range, count, &zero, 0);
}

typedef struct {
  const float *p, *y;
  size_t scalar_from;
  const lk_bce_prob_config *config;
  float *grad;
} bce_leaf_context;

LK_STATIC void bce_leaf_range(const void *context, size_t start, size_t n, float *out) {
  const bce_leaf_context *c = context;
  size_t from = c->scalar_from > start ? c->scalar_from - start : 0;
  bce_prob_core(c->p + start, c->y + start, n, from, c->config, out, c->grad ? c->grad + start : 0);
}

float LK_NAME(lk_bce_prob_leaf_sum)(const float *p, const float *y, size_t count, size_t scalar_from,
                                    const lk_bce_prob_config *config, float *grad) {
  const lk_bce_prob_config local = *config;  // read once: the stores could alias it
  bce_leaf_context context = {p, y, scalar_from, &local, grad};
  return leaf_sum_of(&context, bce_leaf_range, count);
}

// MARK: - Eigen's InnerMostDimReducer leaf: the sum of at most 8·1024 contiguous values

float LK_NAME(lk_eigen_leaf_sum)(const float *x, size_t count) {
  if (count < 8) {
    float s = 0.0f;
    for (size_t i = 0; i < count; i++) s += x[i];
    return s;
  }
  return eigen_leaf_rest(x, 0, count, (lk_v32)0);
}

double LK_NAME(lk_stream_sum)(const float *a, const float *b, size_t count, int prefetch) {
  const int ahead = prefetch == LK_STREAM_FAR ? LK_PREFETCH_FAR : LK_PREFETCH_AHEAD;
  const int lines = prefetch == LK_STREAM_HARDWARE ? 0 : 2 * LK_WIDTH;
  vf acc0 = 0, acc1 = 0;
  size_t i = 0;
  for (; i + 2 * LK_WIDTH <= count; i += 2 * LK_WIDTH) {
    prefetch_lines_always(a + i, lines, ahead);
    prefetch_lines_always(b + i, lines, ahead);
    acc0 += vload(a + i) + vload(b + i);
    acc1 += vload(a + i + LK_WIDTH) + vload(b + i + LK_WIDTH);
  }
  double total = 0;
  for (; i < count; i++) total += (double)a[i] + (double)b[i];
  vf acc = acc0 + acc1;
  for (int l = 0; l < LK_WIDTH; l++) total += acc[l];
  return total;
}

// MARK: - tf.nn.sigmoid_cross_entropy_with_logits

LK_STATIC float target_of(float y, const lk_label_smoothing *s) { return s && s->smooth ? y * s->keep + s->half : y; }

/// One element, with the packet-path (Eigen) or scalar-path (C library) functions.
LK_STATIC void sigmoid_xent_one(float x, float y, float seed, const lk_label_smoothing *s, int packet_path, float *loss, float *grad) {
  float z = target_of(y, s);
  int positive = x >= 0.0f;
  float relu = positive ? x : 0.0f;
  float neg_abs = positive ? -x : x;
  float linear = relu - x * z;
  float e = packet_path ? lk_eigen_expf(neg_abs) : expf(neg_abs);
  *loss = linear + (packet_path ? lk_eigen_log1pf(e) : log1pf(e));
  if (grad) {
    float one_plus = 1.0f + e;
    float reciprocal = packet_path ? lk_eigen_reciprocalf(one_plus) : 1.0f / one_plus;
    float through_exp = (seed * reciprocal) * e;
    float g = (-seed) * z;
    g = g + (positive ? 0.0f : through_exp);
    g = g + (positive ? -through_exp : -0.0f);
    g = g + (positive ? seed : 0.0f);
    *grad = g;
  }
}

/// One vector at a time with the general functions (any input).
LK_STATIC void sigmoid_xent_vectors(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                                    const lk_label_smoothing *s, float *loss, float *grad) {
  const size_t packet_end = scalar_from < count ? scalar_from : count;
  size_t i = 0;
  const int smooth = s && s->smooth;
  for (; i + LK_WIDTH <= packet_end; i += LK_WIDTH) {
    vf xv = vload(x + i), yv = vload(y + i);
    vf z = smooth ? yv * s->keep + s->half : yv;
    vi positive = xv >= 0.0f;
    vf relu = vselect(positive, xv, vsplat(0.0f));
    vf neg_abs = vselect(positive, -xv, xv);
    vf linear = relu - xv * z;
    vf e = v_exp(neg_abs);
    vstore(loss + i, linear + v_log1p(e));
    if (grad) {
      vf reciprocal = v_reciprocal(1.0f + e);
      vf through_exp = (seed * reciprocal) * e;
      vf g = (-seed) * z;
      g = g + vselect(positive, vsplat(0.0f), through_exp);
      g = g + vselect(positive, -through_exp, vsplat(-0.0f));
      g = g + vselect(positive, vsplat(seed), vsplat(0.0f));
      vstore(grad + i, g);
    }
  }
  for (; i < count; i++) sigmoid_xent_one(x[i], y[i], seed, s, i < packet_end, loss + i, grad ? grad + i : 0);
}

/// max(x, 0) − x·z, z the label (smoothed when `s` says so): the linear part of the
/// value-only tiles. max(x, 0) (and −|x| as a sign-bit OR) without the compare: they
/// differ from the trace's selects only at x = −0 (+0 and −0 for −0 and +0), where
/// exp(±0) = 1 and a zero linear part adds to log1p(e) > 0, so the loss has the same bits.
#define LK_SIGMOID_LINEAR(T, xv, yv, s)                                        \
  ({                                                                           \
    T sx_z_ = (s) && (s)->smooth ? (yv) * (s)->keep + (s)->half : (yv);        \
    __builtin_elementwise_max((xv), (T)0.0f) - (xv) * sx_z_;                   \
  })

/// Values only, for `blocks` ≤ LK_TILE_BLOCKS blocks of LK_WIDE lanes, in two passes:
/// exp(−|x|) and the linear part of each block whose |x| ≤ 87 (no NaN), so that exp takes
/// its fast branch and 1 + e is in [1, 2]; then their log1p. Blocks out of that range take
/// the general functions. Two short loops rather than one long one: each keeps its
/// dependency chains within the out-of-order window and its values in registers (in
/// cache, 0.38 → 0.32 ns/element on one Zen 5 core). The same operations, so the same bits.
///
/// The losses go to `loss`; or, when `acc` is not NULL, are added into it 32 lanes at a
/// time in order (leaf_sum_from's additions), `loss` being scratch: one store and load
/// fewer per vector (on one Zen 5 core, 0.310 → 0.295 ns/element in cache).
#define LK_TILE_BLOCKS 4
LK_STATIC void sigmoid_xent_values_tile(const float *x, const float *y, int blocks, float seed,
                                        const lk_label_smoothing *s, float *loss, lk_v32 *acc) {
  float e[LK_TILE_BLOCKS * LK_WIDE];
  unsigned in_range = 0;
  for (int b = 0; b < blocks; b++) {
    const size_t o = (size_t)b * LK_WIDE;
    prefetch_ahead_lines(x + o, LK_WIDE);
    prefetch_ahead_lines(y + o, LK_WIDE);
    vw xv = wload(x + o);
    if (!__builtin_reduce_and(wabs(xv) <= 87.0f)) {
      sigmoid_xent_vectors(x + o, y + o, LK_WIDE, LK_WIDE, seed, s, loss + o, 0);
      continue;
    }
    in_range |= 1u << b;
    vw linear = LK_SIGMOID_LINEAR(vw, xv, wload(y + o), s);
    vw exp_neg_abs = w_exp_nonpositive((vw)((vwi)xv | (vwi)0x80000000));
    memcpy(loss + o, &linear, sizeof linear);
    memcpy(e + o, &exp_neg_abs, sizeof exp_neg_abs);
  }
  lk_v32 sum = acc ? *acc : (lk_v32)0;
  for (int b = 0; b < blocks; b++) {
    const int fast = in_range >> b & 1;
    if (!fast && !acc) continue;  // already stored
    const size_t o = (size_t)b * LK_WIDE;
    vw l = wload(loss + o);
    if (fast) l = l + w_log1p_unit(wload(e + o));
    if (!acc) {
      memcpy(loss + o, &l, sizeof l);
      continue;
    }
    add_to_leaf(&sum, l);
  }
  if (acc) *acc = sum;
}

LK_STATIC void sigmoid_xent_core(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                                 const lk_label_smoothing *s, float *loss, float *grad) {
  const size_t packet_end = scalar_from < count ? scalar_from : count;
  size_t i = 0;
  if (!grad) {
    while (i + LK_WIDE <= packet_end) {
      size_t blocks = (packet_end - i) / LK_WIDE;
      if (blocks > LK_TILE_BLOCKS) blocks = LK_TILE_BLOCKS;
      sigmoid_xent_values_tile(x + i, y + i, (int)blocks, seed, s, loss + i, 0);
      i += blocks * LK_WIDE;
    }
  }
  // The rest (and everything, with a gradient).
  sigmoid_xent_vectors(x + i, y + i, count - i, packet_end - i, seed, s, loss + i, grad ? grad + i : 0);
}

void LK_NAME(lk_sigmoid_xent)(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                              const lk_label_smoothing *s, float *loss, float *grad) {
  sigmoid_xent_core(x, y, count, scalar_from, seed, s, loss, grad);
}

typedef struct {
  const float *x, *y;
  size_t scalar_from;
  float seed;
  const lk_label_smoothing *smoothing;
  float *grad;
} sigmoid_leaf_context;

LK_STATIC void sigmoid_leaf_range(const void *context, size_t start, size_t n, float *out) {
  const sigmoid_leaf_context *c = context;
  size_t from = c->scalar_from > start ? c->scalar_from - start : 0;
  sigmoid_xent_core(c->x + start, c->y + start, n, from, c->seed, c->smoothing, out, c->grad ? c->grad + start : 0);
}

float LK_NAME(lk_sigmoid_xent_leaf_sum)(const float *x, const float *y, size_t count, size_t scalar_from, float seed,
                                        const lk_label_smoothing *smoothing, float *grad) {
  lk_label_smoothing local;
  if (smoothing) local = *smoothing;  // read once: the stores could alias it
  sigmoid_leaf_context context = {x, y, scalar_from, seed, smoothing ? &local : 0, grad};
  // Without a gradient, whole tiles of the packet path add their losses straight into
  // the leaf's 32-lane accumulator; leaf_sum_from does the rest.
  lk_v32 acc = 0;
  size_t done = 0;
  if (!grad) {
    const size_t tile = LK_TILE_BLOCKS * LK_WIDE, packet_end = scalar_from < count ? scalar_from : count;
    float scratch[LK_TILE_BLOCKS * LK_WIDE];
    for (; done + tile <= packet_end; done += tile)
      sigmoid_xent_values_tile(x + done, y + done, LK_TILE_BLOCKS, seed, context.smoothing, scratch, &acc);
  }
  return leaf_sum_from(&context, sigmoid_leaf_range, count, &acc, done);
}

// MARK: - Fast math (opt-in): tf.nn.sigmoid_cross_entropy_with_logits with LossKit's functions

/// LossKit's e^−|x| for |x| ≤ 87 (−|x| as a sign-bit OR, as `sigmoid_xent_values_tile`).
#define LK_FAST_EXP_NEG_ABS(T, IT, xv) LK_FAST_EXP_NONPOSITIVE(T, IT, (T)((IT)(xv) | (IT)0x80000000))

/// `blocks` ≤ LK_TILE_BLOCKS blocks of LK_WIDE losses with LossKit's functions, in two
/// passes, `exp` and the linear part, then `log1p` (as `sigmoid_xent_values_tile`: one
/// chain per block through both left the out-of-order core idle; one Zen 5 core in cache
/// 0.209 → 0.178 ns/element). Lanes whose |x| > 87 (or NaN) get values the caller must
/// replace or discard: they are cleared in the returned mask. Into `loss`, or, when `acc`
/// is not NULL, added into it 32 lanes at a time in order (`loss` unused).
LK_STATIC vwi sigmoid_xent_fast_tile(const float *x, const float *y, int blocks, const lk_label_smoothing *s, float *loss,
                                     lk_v32 *acc) {
  float linear[LK_TILE_BLOCKS * LK_WIDE], e[LK_TILE_BLOCKS * LK_WIDE];
  vwi ok = (vwi)-1;
  for (int b = 0; b < blocks; b++) {
    const size_t o = (size_t)b * LK_WIDE;
    prefetch_ahead_lines(x + o, LK_WIDE);
    prefetch_ahead_lines(y + o, LK_WIDE);
    const vw xv = wload(x + o);
    ok &= wabs(xv) <= 87.0f;  // false for NaN
    const vw lin = LK_SIGMOID_LINEAR(vw, xv, wload(y + o), s), ev = LK_FAST_EXP_NEG_ABS(vw, vwi, xv);
    memcpy(linear + o, &lin, sizeof lin);
    memcpy(e + o, &ev, sizeof ev);
  }
  lk_v32 sum = acc ? *acc : (lk_v32)0;
  for (int b = 0; b < blocks; b++) {
    const size_t o = (size_t)b * LK_WIDE;
    const vw l = wload(linear + o) + LK_FAST_LOG1P_UNIT(vw, wload(e + o));
    if (acc) {
      add_to_leaf(&sum, l);
    } else {
      memcpy(loss + o, &l, sizeof l);
    }
  }
  if (acc) *acc = sum;
  return ok;
}

LK_STATIC void sigmoid_xent_fast_core(const float *x, const float *y, size_t count, const lk_label_smoothing *s,
                                      float *loss) {
  size_t i = 0;
  while (i + LK_WIDE <= count) {
    size_t blocks = (count - i) / LK_WIDE;
    if (blocks > LK_TILE_BLOCKS) blocks = LK_TILE_BLOCKS;
    const size_t n = blocks * LK_WIDE;
    if (!__builtin_reduce_and(sigmoid_xent_fast_tile(x + i, y + i, (int)blocks, s, loss + i, 0))) {
      // Eigen's functions where |x| > 87 (or NaN), element by element (so that every
      // variant, whatever its block width, gives the same bits).
      float general[LK_TILE_BLOCKS * LK_WIDE];
      sigmoid_xent_vectors(x + i, y + i, n, n, 1.0f, s, general, 0);
      for (size_t k = 0; k < n; k++) {
        if (!(__builtin_fabsf(x[i + k]) <= 87.0f)) loss[i + k] = general[k];
      }
    }
    i += n;
  }
  // The rest, fewer than LK_WIDE, on padded vectors (each lane's loss is its own).
  for (; i < count; i += LK_WIDTH) {
    const size_t n = count - i < LK_WIDTH ? count - i : LK_WIDTH;
    const vf xv = vload_padded(x + i, n, 0.0f);
    const vi in_range = vabs(xv) <= 87.0f;
    float out[LK_WIDTH];
    vstore(out, LK_SIGMOID_LINEAR(vf, xv, vload_padded(y + i, n, 0.0f), s)
                  + LK_FAST_LOG1P_UNIT(vf, LK_FAST_EXP_NEG_ABS(vf, vi, xv)));
    if (!__builtin_reduce_and(in_range)) {
      float general[LK_WIDTH];
      sigmoid_xent_vectors(x + i, y + i, n, n, 1.0f, s, general, 0);
      vstore(out, vselect(in_range, vload(out), vload(general)));
    }
    memcpy(loss + i, out, n * sizeof(float));
  }
}

void LK_NAME(lk_sigmoid_xent_fast)(const float *x, const float *y, size_t count, const lk_label_smoothing *s, float *loss) {
  lk_label_smoothing local;
  if (s) local = *s;
  sigmoid_xent_fast_core(x, y, count, s ? &local : 0, loss);
}

typedef struct {
  const float *x, *y;
  const lk_label_smoothing *smoothing;
} sigmoid_fast_context;

LK_STATIC void sigmoid_fast_range(const void *context, size_t start, size_t n, float *out) {
  const sigmoid_fast_context *c = context;
  sigmoid_xent_fast_core(c->x + start, c->y + start, n, c->smoothing, out);
}

/// The leaf's first `done` (a multiple of LK_WIDE) losses added into `acc`, with no
/// branch (the inputs are nearly always in range); false, `acc` then to be discarded,
/// when some |x| > 87 (or is NaN). The two passes of `sigmoid_xent_fast_tile` over whole
/// tiles, written out for this loop: through the tile function itself the compiler keeps
/// less in registers (in cache about 2% slower on one Zen 5 core: 0.178 against 0.181
/// ns/element).
LK_STATIC int sigmoid_fast_in_range(const float *x, const float *y, size_t done, const lk_label_smoothing *s, lk_v32 *acc) {
  enum { tile = LK_TILE_BLOCKS * LK_WIDE };
  float linear[tile], e[tile];
  vwi ok = (vwi)-1;
  lk_v32 sum = *acc;
  size_t o = 0;
  for (; o + tile <= done; o += tile) {
    for (int k = 0; k < tile; k += LK_WIDE) {
      prefetch_ahead_lines(x + o + k, LK_WIDE);
      prefetch_ahead_lines(y + o + k, LK_WIDE);
      const vw xv = wload(x + o + k);
      ok &= wabs(xv) <= 87.0f;  // false for NaN
      const vw lin = LK_SIGMOID_LINEAR(vw, xv, wload(y + o + k), s), ev = LK_FAST_EXP_NEG_ABS(vw, vwi, xv);
      memcpy(linear + k, &lin, sizeof lin);
      memcpy(e + k, &ev, sizeof ev);
    }
    for (int k = 0; k < tile; k += LK_WIDE) add_to_leaf(&sum, wload(linear + k) + LK_FAST_LOG1P_UNIT(vw, wload(e + k)));
  }
  *acc = sum;
  if (o < done) ok &= sigmoid_xent_fast_tile(x + o, y + o, (int)((done - o) / LK_WIDE), s, 0, acc);
  return __builtin_reduce_and(ok) != 0;
}

float LK_NAME(lk_sigmoid_xent_fast_leaf_sum)(const float *x, const float *y, size_t count, const lk_label_smoothing *s) {
  lk_label_smoothing local;
  if (s) local = *s;
  const sigmoid_fast_context context = {x, y, s ? &local : 0};
  if (count >= 32) {
    const size_t done = count / LK_WIDE * LK_WIDE;
    lk_v32 acc = 0;
    const int in_range = s && local.smooth ? sigmoid_fast_in_range(x, y, done, &local, &acc)
                                            : sigmoid_fast_in_range(x, y, done, 0, &acc);
    if (in_range) return leaf_sum_from(&context, sigmoid_fast_range, count, &acc, done);
  }
  // Some |x| > 87: the values element by element, in the same order.
  return leaf_sum_of(&context, sigmoid_fast_range, count);
}

// MARK: - TensorFlow's sparse softmax cross-entropy kernel, one row at a time

/// A row's largest and smallest values, and whether any is NaN.
typedef struct {
  vf max0, max1, min0, min1;
  vi nan;
} row_extremes;

LK_STATIC row_extremes extremes_start(void) {
  row_extremes e = {vsplat(-__builtin_inff()), vsplat(-__builtin_inff()), vsplat(__builtin_inff()), vsplat(__builtin_inff()), (vi)0};
  return e;
}

LK_STATIC void extremes_add(row_extremes *e, vf a, vf b) {
  e->nan |= (a != a) | (b != b);
  e->max0 = vpmax(e->max0, a);
  e->max1 = vpmax(e->max1, b);
  e->min0 = vpmin(e->min0, a);
  e->min1 = vpmin(e->min1, b);
}

/// Folds x[from..<n] into `e`, then gives the maximum, NaN when any value was NaN (as
/// the trace's `maximum` fold: the maximum of non-NaN values does not depend on the
/// order, but for the sign of a zero, which no result of these kernels depends on), and
/// the minimum (meaningful only without NaN).
LK_STATIC float extremes_finish(row_extremes e, const float *x, size_t from, size_t n, float *minimum) {
  size_t j = from;
  for (; j + 2 * LK_WIDTH <= n; j += 2 * LK_WIDTH) extremes_add(&e, vload(x + j), vload(x + j + LK_WIDTH));
  // The last values on vectors padded with one of them (which changes no extreme).
  for (; j < n; j += LK_WIDTH) {
    const vf v = vload_padded(x + j, n - j < LK_WIDTH ? n - j : LK_WIDTH, x[j]);
    extremes_add(&e, v, v);
  }
  // Without NaN (the only case whose maximum is used) the reductions' order is free.
  *minimum = vf_min_lane(vpmin(e.min0, e.min1));
  return __builtin_reduce_or(e.nan) != 0 ? __builtin_nanf("") : vf_max_lane(vpmax(e.max0, e.max1));
}

LK_STATIC float row_max_and_min(const float *row, size_t classes, float *minimum) {
  return extremes_finish(extremes_start(), row, 0, classes, minimum);
}

/// A later row whose extremes a softmax kernel's pass over another row folds in from
/// the loads it overlaps with its arithmetic (so that the later row's maximum takes no
/// pass of its own): the extremes so far, and how many leading values they cover.
typedef struct {
  const float *row;
  row_extremes extremes;
  size_t covered;
} row_fold;

LK_STATIC row_fold row_fold_start(const float *row) {
  const row_fold f = {row, extremes_start(), 0};
  return f;
}

/// Folds in the LK_WIDE values of the row at `offset` (which the caller's pass has reached).
LK_STATIC void row_fold_block(row_fold *f, size_t offset) {
  prefetch_lines(f->row + offset, LK_WIDE, LK_PREFETCH_FAR);
  for (int k = 0; k < LK_WIDE; k += 2 * LK_WIDTH)
    extremes_add(&f->extremes, vload(f->row + offset + k), vload(f->row + offset + k + LK_WIDTH));
}

/// The folded row's maximum (NaN if any value is) and minimum, with the values the
/// pass did not cover read now.
LK_STATIC float row_fold_finish(const row_fold *f, size_t classes, float *minimum) {
  return extremes_finish(f->extremes, f->row, f->covered, classes, minimum);
}

/// Eigen's tree sum of n values when n may exceed one leaf.
LK_STATIC float tree_sum(const float *x, size_t n, size_t first) {
  if (n > 8 * 1024) {
    size_t left = eigen_left_count(n, first);
    float total = 0.0f + tree_sum(x, left, first);
    if (left < n) total = total + tree_sum(x + left, n - left, first + left);
    return total;
  }
  return LK_NAME(lk_eigen_leaf_sum)(x, n);
}

/// `exp(row[j] − m)` for the `classes` values of a row into `e`: Eigen's packet function
/// for the first `packet_end`, the C library for the rest (TensorFlow's executor split).
LK_STATIC void row_exp(const float *row, float m, size_t classes, size_t packet_end, float *e) {
  size_t j = 0;
  for (; j + LK_WIDTH <= packet_end; j += LK_WIDTH) vstore(e + j, v_exp(vload(row + j) - m));
  for (; j < packet_end; j++) e[j] = lk_eigen_expf(row[j] - m);
  for (; j < classes; j++) e[j] = expf(row[j] - m);
}

/// How many of row `flat_base`'s values take the packet path when `exp` runs over the
/// whole flattened tensor (TensorFlow's xent kernels' backprop).
LK_STATIC size_t flat_packet_end(size_t total_count, size_t flat_base, size_t classes) {
  const size_t flat_scalar_from = total_count - total_count % 8;
  size_t end = flat_scalar_from > flat_base ? flat_scalar_from - flat_base : 0;
  return end < classes ? end : classes;
}

/// The backprop row's `exp(x − m)`: the reduction's exponentials `e` when the split is
/// the same, otherwise computed again into `out` with the flattened tensor's split.
LK_STATIC const float *backprop_exp(const float *row, float m, size_t classes, size_t row_packet_end, size_t flat_end,
                                    const float *e, float *out) {
  if (flat_end == row_packet_end) return e;
  row_exp(row, m, classes, flat_end, out);
  return out;
}

/// A row's exp(row[j] − m), for `leaf_sum_from`: `fast` when every row[j] − m is in
/// [−87, 0].
typedef struct {
  const float *row;
  float m;
  size_t packet_end;
  int fast;
  /// LossKit's `exp` (fast math) instead of Eigen's on the fast path's blocks.
  int own_exp;
} exp_leaf_context;

LK_STATIC void exp_leaf_range(const void *context, size_t start, size_t n, float *out) {
  const exp_leaf_context *c = context;
  const float *x = c->row + start;
  const size_t packet_end = c->packet_end > start ? c->packet_end - start : 0;
  const size_t packet_n = n < packet_end ? n : packet_end;
  size_t j = 0;
  for (; j + LK_WIDTH <= packet_n; j += LK_WIDTH) vstore(out + j, v_exp(vload(x + j) - c->m));
  if (j < packet_n) {
    // The last packet-path values, fewer than a vector: lanes padded with zeros (each
    // lane's result depends on that lane alone).
    float lanes[LK_WIDTH];
    for (size_t k = 0; k < LK_WIDTH; k++) lanes[k] = j + k < packet_n ? x[j + k] - c->m : 0.0f;
    vstore(lanes, v_exp(vload(lanes)));
    for (size_t k = 0; j + k < packet_n; k++) out[j + k] = lanes[k];
    j = packet_n;
  }
  for (; j < n; j++) out[j] = expf(x[j] - c->m);
}

/// e[k] = expf(row[k] − m) for k in [from, n), the C library's values, as TensorFlow's
/// scalar path takes them: fewer than 8 values (a row's last classes mod 8) of a fast
/// row, in [−87, 0]. One vector `expf` where it gives the library's bits (checked once
/// per run), otherwise a call per value (on a row of 10 classes, two calls were a third
/// of the row's time).
LK_STATIC void scalar_tail_exp(const float *row, size_t from, size_t n, float m, float *e) {
  if (from >= n) return;
  if (n - from <= LK_WIDTH && glibc_expf_agrees()) {
    const vf v = glibc_expf_moderate(vload_padded(row + from, n - from, m) - m);
    for (size_t k = from; k < n; k++) e[k] = v[k - from];
    return;
  }
  for (size_t k = from; k < n; k++) e[k] = expf(row[k] - m);
}

/// `leaf_sum_from(…, exp_leaf_range, n, …)` for a fast row (no NaN, every difference in
/// [−87, 0]) of n < 32 values, the first `packet_end` on the packet path: those through
/// one or two masked 16-lane loads and `v_exp_nonpositive`, the C library's after them,
/// summed by `lk_eigen_leaf_sum`. The same bits without the general leaf's per-call
/// set-up, which cost some 40 ns on a row of 10 classes.
LK_STATIC float exp_short_row_sum(const float *row, size_t n, size_t packet_end, float m) {
  float e[32 + LK_WIDTH];
  const size_t packet_stop = packet_end < n ? packet_end : n;
  for (size_t k = 0; k < packet_stop; k += LK_WIDTH) {
    const vf x = vload_padded(row + k, packet_stop - k, m) - m;
    vstore(e + k, v_exp_nonpositive(x));  // Eigen's in fast math too: short rows keep it
  }
  scalar_tail_exp(row, packet_stop, n, m, e);
  return LK_NAME(lk_eigen_leaf_sum)(e, n);
}

/// `tree_sum` of the row's exp(row[j] − m) (Eigen's packet function for the first
/// `packet_end`, the C library's after), computed as the sum consumes them, with no
/// scratch. `c->fast` when no logit is NaN and fl(min − m) ≥ −87: every difference is
/// then in [−87, 0] (rounding is monotonic), where `w_exp_nonpositive` is `v_exp`. The
/// fast blocks of a one-leaf row also fold the same values of `next` (when not NULL).
LK_STATIC float exp_tree_sum(const exp_leaf_context *c, size_t n, size_t first, size_t offset, row_fold *next) {
  if (c->fast && n < 32) {
    // Too short for the blocks (and for folding the next row's extremes).
    if (next) next->covered = 0;
    return exp_short_row_sum(c->row + offset, n, c->packet_end > offset ? c->packet_end - offset : 0, c->m);
  }
  if (n > 8 * 1024) {
    // Beyond one leaf (rows of more than 8,192 classes): no next-row folding.
    size_t left = eigen_left_count(n, first);
    float total = 0.0f + exp_tree_sum(c, left, first, offset, 0);
    if (left < n) total = total + exp_tree_sum(c, n - left, first + left, offset + left, 0);
    return total;
  }
  exp_leaf_context leaf = *c;
  leaf.row = c->row + offset;
  leaf.packet_end = c->packet_end > offset ? c->packet_end - offset : 0;
  size_t block_end = 0;
  if (leaf.fast && n >= 32) {
    size_t unrolled = n / 32 * 32, packet_blocks = leaf.packet_end / 32 * 32;
    block_end = unrolled < packet_blocks ? unrolled : packet_blocks;
  }
  // The fast path's blocks, LK_WIDE values at a time (added 32 at a time, in order),
  // with the next row's extremes in registers. Without a next row they fold this row's
  // own values (the result is unused), so that the loop has no branch.
  lk_v32 acc = 0;
  row_fold fold = next ? *next : row_fold_start(leaf.row);
  block_end = block_end / LK_WIDE * LK_WIDE;
#define LK_EXP_BLOCKS(exp_fn)                       \
  for (size_t o = 0; o < block_end; o += LK_WIDE) { \
    row_fold_block(&fold, o);                       \
    add_to_leaf(&acc, exp_fn(wload(leaf.row + o) - leaf.m)); \
  }
  // One loop per function, so that neither tests the choice per block.
  if (leaf.own_exp) {
    LK_EXP_BLOCKS(w_fast_exp_nonpositive)
  } else {
    LK_EXP_BLOCKS(w_exp_nonpositive)
  }
#undef LK_EXP_BLOCKS
  if (next) {
    *next = fold;
    next->covered = block_end;
  }
  const size_t rest = n - block_end;
  if (!leaf.fast || n < 32 || rest >= LK_WIDE) return leaf_sum_from(&leaf, exp_leaf_range, n, &acc, block_end);
  // The rest, fewer than LK_WIDE values, in one padded block: the packet path's through
  // the same exp (padding lanes take exp(0)), the C library's after them.
  const size_t packet_stop = leaf.packet_end < n ? leaf.packet_end : n;
  const size_t packet_rest = packet_stop > block_end ? packet_stop - block_end : 0;
  float e[LK_WIDE];
  for (size_t k = 0; k < packet_rest; k += LK_WIDTH) {
    const size_t lanes = rest - k < LK_WIDTH ? rest - k : LK_WIDTH;
    const vf x = vload_padded(leaf.row + block_end + k, lanes, leaf.m) - leaf.m;
    vstore(e + k, leaf.own_exp ? v_fast_exp_nonpositive(x) : v_exp_nonpositive(x));
  }
  scalar_tail_exp(leaf.row + block_end, packet_rest, rest, leaf.m, e);
  return eigen_leaf_rest(e, block_end, n, acc);
}

/// The row's Σ exp(row[j] − m) for a value-only kernel (`exp_tree_sum`, the fast path
/// when fl(minimum − m) ≥ −87), and the `next` row's maximum and minimum from the same
/// pass (0 and the old minimum without a next row).
LK_STATIC float row_exp_sum_and_next(const float *row, const float *next, float m, size_t classes, size_t packet_end,
                                     size_t flat_base, int own_exp, float *minimum, float *next_m) {
  const exp_leaf_context c = {row, m, packet_end, m == m && *minimum - m >= -87.0f, own_exp};
  row_fold fold = row_fold_start(next);
  const float sum = exp_tree_sum(&c, classes, flat_base, 0, next ? &fold : 0);
  *next_m = next ? row_fold_finish(&fold, classes, minimum) : 0.0f;
  return sum;
}

/// The extremes of the rows a value-only pass is about to reach: each row's exponentials
/// fold in those of the row two ahead, so that the next row's max is known well before
/// this row's pass ends. The out-of-order core then starts the next row's exponentials
/// while this row's last ones finish, instead of waiting on this pass's reductions (on
/// one Zen 5 core, 1,000 classes in cache: 0.180 → 0.169 ns/logit).
typedef struct {
  float m, minimum, next_m, next_minimum;
} rows_ahead;

LK_STATIC rows_ahead rows_ahead_start(const float *logits, size_t rows, size_t classes) {
  rows_ahead a = {0.0f, 0.0f, 0.0f, 0.0f};
  if (rows > 0) a.m = row_max_and_min(logits, classes, &a.minimum);
  if (rows > 1) a.next_m = row_max_and_min(logits + classes, classes, &a.next_minimum);
  return a;
}

/// Row r's Σ exp(row[j] − a->m) (`row_exp_sum_and_next`, folding in row r + 2's
/// extremes); then `a` moves on to row r + 1.
LK_STATIC float row_exp_sum_ahead(rows_ahead *a, const float *row, size_t r, size_t rows, size_t classes,
                                  size_t packet_end, size_t flat_base, int own_exp) {
  const float *two_ahead = r + 2 < rows ? row + 2 * classes : 0;
  float minimum = a->minimum, far_m;
  const float sum = row_exp_sum_and_next(row, two_ahead, a->m, classes, packet_end, flat_base, own_exp, &minimum, &far_m);
  const rows_ahead moved = {a->next_m, a->next_minimum, far_m, minimum};
  *a = moved;
  return sum;
}

LK_STATIC void scale_row(float *out, size_t n, float seed) {
  if (seed == 1.0f) return;
  size_t j = 0;
  for (; j + LK_WIDTH <= n; j += LK_WIDTH) vstore(out + j, seed * vload(out + j));
  for (; j < n; j++) out[j] = seed * out[j];
}

/// The per-row losses alone; `own_exp`: LossKit's `exp` on in-range blocks (fast math).
LK_STATIC void sparse_xent_values(const float *logits, const int64_t *labels, size_t rows, size_t classes,
                                  size_t first_row, int own_exp, float *loss) {
  // The reduction evaluates exp on the row's run: the packet path for its first
  // classes − classes mod 8.
  const size_t row_packet_end = classes - classes % 8;
  rows_ahead ahead = rows_ahead_start(logits, rows, classes);
  for (size_t r = 0; r < rows; r++) {
    const float *row = logits + r * classes;
    const float m = ahead.m;
    const float sum = row_exp_sum_ahead(&ahead, row, r, rows, classes, row_packet_end, (first_row + r) * classes, own_exp);
    loss[r] = logf(sum) - (row[labels[r]] - m);
  }
}

void LK_NAME(lk_sparse_xent_rows_fast)(const float *logits, const int64_t *labels, size_t rows, size_t classes,
                                       size_t first_row, float *loss) {
  sparse_xent_values(logits, labels, rows, classes, first_row, 1, loss);
}

void LK_NAME(lk_sparse_xent_rows)(const float *logits, const int64_t *labels, size_t rows, size_t classes,
                                  size_t first_row, size_t total_count, float seed, float *loss, float *backprop,
                                  float *scratch) {
  const size_t row_packet_end = classes - classes % 8;
  if (!backprop) {
    sparse_xent_values(logits, labels, rows, classes, first_row, 0, loss);
    return;
  }
  for (size_t r = 0; r < rows; r++) {
    const float *row = logits + r * classes;
    const size_t flat_base = (first_row + r) * classes;
    float minimum;
    const float m = row_max_and_min(row, classes, &minimum);
    row_exp(row, m, classes, row_packet_end, scratch);
    const float sum = tree_sum(scratch, classes, flat_base);
    const int64_t label = labels[r];
    loss[r] = logf(sum) - (row[label] - m);
    float *out = backprop + r * classes;
    const float *x = backprop_exp(row, m, classes, row_packet_end, flat_packet_end(total_count, flat_base, classes), scratch, out);
    size_t j = 0;
    for (; j + LK_WIDTH <= classes; j += LK_WIDTH) vstore(out + j, vload(x + j) / sum);
    for (; j < classes; j++) out[j] = x[j] / sum;
    out[label] = out[label] - 1.0f;
    scale_row(out, classes, seed);
  }
}

// MARK: - TensorFlow's softmax cross-entropy kernel (dense labels), one row at a time

void LK_NAME(lk_softmax_xent_rows)(const float *logits, const float *labels, size_t rows, size_t classes,
                                   size_t first_row, size_t total_rows, float seed, float *loss,
                                   float *backprop, float *scratch) {
  const size_t log_scalar_from = total_rows - total_rows % 8;
  const size_t row_packet_end = classes - classes % 8;
  float *e = scratch;
  // Without a backprop, each row's exponentials fold in a later row's extremes (as in
  // lk_sparse_xent_rows).
  rows_ahead ahead = rows_ahead_start(logits, backprop ? 0 : rows, classes);
  for (size_t r = 0; r < rows; r++) {
    const float *row = logits + r * classes;
    const float *label = labels + r * classes;
    const size_t flat_base = (first_row + r) * classes;
    float m, sum;
    if (backprop) {
      float minimum;
      m = row_max_and_min(row, classes, &minimum);
      row_exp(row, m, classes, row_packet_end, e);
      sum = tree_sum(e, classes, flat_base);
    } else {
      m = ahead.m;
      sum = row_exp_sum_ahead(&ahead, row, r, rows, classes, row_packet_end, flat_base, 0);
    }
    // log over the vector of row sums: the packet path for its first rows − rows mod 8.
    const float log_sum = first_row + r < log_scalar_from ? lk_eigen_logf(sum) : logf(sum);
    // label·(log_sum − (x − m)): to the backprop row (written only below) or the scratch.
    float *terms = backprop ? backprop + r * classes : scratch;
    size_t j = 0;
    for (; j + LK_WIDTH <= classes; j += LK_WIDTH) {
      prefetch_ahead_lines(label + j, LK_WIDTH);
      vstore(terms + j, vload(label + j) * (log_sum - (vload(row + j) - m)));
    }
    for (; j < classes; j++) terms[j] = label[j] * (log_sum - (row[j] - m));
    loss[r] = tree_sum(terms, classes, flat_base);
    if (backprop) {
      float *out = backprop + r * classes;
      const float *x = backprop_exp(row, m, classes, row_packet_end, flat_packet_end(total_rows * classes, flat_base, classes), e, out);
      j = 0;
      for (; j + LK_WIDTH <= classes; j += LK_WIDTH) vstore(out + j, vload(x + j) / sum - vload(label + j));
      for (; j < classes; j++) out[j] = x[j] / sum - label[j];
      scale_row(out, classes, seed);
    }
  }
}

// MARK: - Regression losses: squared error, absolute error, Huber

/// TensorFlow's Sign: ±1, 0 for ±0, NaN for NaN.
LK_STATIC vf v_sign(vf x) {
  vf s = vselect(x > 0.0f, vsplat(1.0f), vselect(x < 0.0f, vsplat(-1.0f), vsplat(0.0f)));
  return vselect(x != x, x, s);
}

LK_STATIC float sign_one(float x) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : (x != x ? x : 0.0f)); }

/// One element of `lk_regression`, the same operations as the vector loop.
LK_STATIC void regression_one(float p, float y, const lk_regression_config *c, float *loss, float *grad) {
  float d = c->reversed ? y - p : p - y;
  float l, g = 0.0f;
  switch (c->kind) {
  case LK_SQUARED_ERROR:
    l = d * d;
    g = c->seed * (d * 2.0f);
    break;
  case LK_ABSOLUTE_ERROR:
    l = fabsf(d);
    g = c->seed * sign_one(d);
    break;
  default: {
    float a = fabsf(d);
    int quadratic = a <= c->delta;
    l = quadratic ? (d * d) * 0.5f : a * c->delta + c->linear_offset;
    float through_square = ((quadratic ? c->seed : 0.0f) * 0.5f) * (d * 2.0f);
    float through_abs = ((quadratic ? 0.0f : c->seed) * c->delta) * sign_one(d);
    g = through_square + through_abs;
  }
  }
  *loss = l;
  if (grad) *grad = c->reversed ? -g : g;
}

/// The vector form of `regression_one`, lane for lane the same operations.
LK_STATIC void regression_vector(vf pv, vf yv, const lk_regression_config *c, vf *loss, vf *grad) {
  const vf seed = vsplat(c->seed), delta = vsplat(c->delta), zero = vsplat(0.0f);
  vf d = c->reversed ? yv - pv : pv - yv;
  vf l, g;
  switch (c->kind) {
  case LK_SQUARED_ERROR:
    l = d * d;
    g = seed * (d * 2.0f);
    break;
  case LK_ABSOLUTE_ERROR:
    l = vabs(d);
    g = seed * v_sign(d);
    break;
  default: {
    vf a = vabs(d);
    vi quadratic = a <= delta;
    l = vselect(quadratic, (d * d) * 0.5f, a * delta + c->linear_offset);
    vf through_square = (vselect(quadratic, seed, zero) * 0.5f) * (d * 2.0f);
    vf through_abs = (vselect(quadratic, zero, seed) * delta) * v_sign(d);
    g = through_square + through_abs;
  }
  }
  *loss = l;
  *grad = c->reversed ? -g : g;
}

LK_STATIC void regression_core(const float *p, const float *y, size_t count, const lk_regression_config *c, float *loss,
                               float *grad) {
  size_t i = 0;
  for (; i + LK_WIDTH <= count; i += LK_WIDTH) {
    vf l, g;
    prefetch_ahead_lines(p + i, LK_WIDTH);
    prefetch_ahead_lines(y + i, LK_WIDTH);
    regression_vector(vload(p + i), vload(y + i), c, &l, &g);
    vstore(loss + i, l);
    if (grad) vstore(grad + i, g);
  }
  for (; i < count; i++) regression_one(p[i], y[i], c, loss + i, grad ? grad + i : 0);
}

void LK_NAME(lk_regression)(const float *p, const float *y, size_t count, const lk_regression_config *c, float *loss,
                            float *grad) {
  regression_core(p, y, count, c, loss, grad);
}

float LK_NAME(lk_regression_leaf_sum)(const float *p, const float *y, size_t count, const lk_regression_config *c,
                                      float *grad) {
  // leaf_sum_of's order, specialised: the configuration read once, whole vectors only.
  const lk_regression_config config = *c;
  float l;
  if (count < 8) {
    float s = 0.0f;
    for (size_t i = 0; i < count; i++) {
      regression_one(p[i], y[i], &config, &l, grad ? grad + i : 0);
      s += l;
    }
    return s;
  }
  size_t offset = 0;
  lk_v8 acc0 = 0;
  if (count >= 32) {
    lk_v32 acc = 0;
    size_t unrolled = count / 32 * 32;
    for (; offset < unrolled; offset += 32) {
      prefetch_ahead_lines(p + offset, 32);
      prefetch_ahead_lines(y + offset, 32);
      float lanes[32];
      for (int k = 0; k < 32; k += LK_WIDTH) {
        vf lv, gv;
        regression_vector(vload(p + offset + k), vload(y + offset + k), &config, &lv, &gv);
        vstore(lanes + k, lv);
        if (grad) vstore(grad + offset + k, gv);
      }
      lk_v32 v;
      memcpy(&v, lanes, sizeof v);
      acc += v;
    }
    acc0 = eigen_fold32(acc);
  }
  for (; offset + 8 <= count; offset += 8) {
    float lanes[8];
    for (int k = 0; k < 8; k++) regression_one(p[offset + k], y[offset + k], &config, lanes + k, grad ? grad + offset + k : 0);
    lk_v8 v;
    memcpy(&v, lanes, sizeof v);
    acc0 += v;
  }
  float scalar = 0.0f;
  for (; offset < count; offset++) {
    regression_one(p[offset], y[offset], &config, &l, grad ? grad + offset : 0);
    scalar += l;
  }
  return scalar + eigen_fold8(acc0);
}

// MARK: - 16-lane vectors (the SLEEF, XLA and YNNPACK kernels')

typedef float lk_v16f __attribute__((ext_vector_type(16)));
typedef int32_t lk_v16i __attribute__((ext_vector_type(16)));

LK_STATIC lk_v16f v16_load(const float *p) { lk_v16f v; memcpy(&v, p, sizeof v); return v; }
/// p[0..<n] (n < 16) and `pad` in the other lanes, as `vload_padded` on 16 lanes.
LK_STATIC lk_v16f v16_load_padded(const float *p, size_t n, float pad) {
#if defined(LK_AVX512)
  return (lk_v16f)_mm512_mask_loadu_ps(_mm512_set1_ps(pad), (__mmask16)((1u << n) - 1), p);
#else
  float lanes[16];
  for (size_t k = 0; k < 16; k++) lanes[k] = k < n ? p[k] : pad;
  return v16_load(lanes);
#endif
}
LK_STATIC lk_v16f v16_select(lk_v16i mask, lk_v16f a, lk_v16f b) {
  return (lk_v16f)(((lk_v16i)a & mask) | ((lk_v16i)b & ~mask));
}
/// Subnormal lanes to signed zero (ftzf lane by lane; also DAZ on operands).
LK_STATIC lk_v16f v16_ftz(lk_v16f v) {
  const lk_v16i bits = (lk_v16i)v;
  const lk_v16i tiny = (bits & 0x7f800000) == 0;
  return (lk_v16f)((bits & ~tiny) | (bits & (lk_v16i)INT32_MIN & tiny));
}

// MARK: - PyTorch's SLEEF functions on 16 lanes

// On AVX-512 these are SLEEF's own AVX512F sequences (getexp, getmant, fixupimm and
// cvtps2dq are instructions there; sleef_math.h writes them out for one lane); other
// variants run sleef_math.h lane by lane. The same bits: lk_check_sleef_functions.
#if defined(LK_AVX512)
typedef struct { __m512 x, y; } sleef_v2;

LK_STATIC sleef_v2 sleef_v_dfdiv(sleef_v2 n, sleef_v2 d) {
  const __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), d.x), s = _mm512_mul_ps(n.x, t);
  const __m512 u = _mm512_fmsub_ps(t, n.x, s);
  const __m512 v = _mm512_fnmadd_ps(d.y, t, _mm512_fnmadd_ps(d.x, t, _mm512_set1_ps(1.0f)));
  const sleef_v2 r = {s, _mm512_fmadd_ps(s, v, _mm512_fmadd_ps(n.y, t, u))};
  return r;
}

/// sleef_log_core on 16 lanes.
LK_STATIC __m512 sleef_v_log_core(__m512 e, sleef_v2 x) {
  const __m512 cx = _mm512_set1_ps(0.69314718246459960938f), cy = _mm512_set1_ps(-1.904654323148236017e-09f);
  // dfmul(c, e)
  __m512 sx = _mm512_mul_ps(cx, e);
  __m512 sy = _mm512_fmadd_ps(cy, e, _mm512_fmsub_ps(cx, e, sx));
  const __m512 x2 = _mm512_mul_ps(x.x, x.x);
  __m512 t = _mm512_set1_ps(0.3027294874e+0f);
  t = _mm512_fmadd_ps(t, x2, _mm512_set1_ps(0.3996108174e+0f));
  t = _mm512_fmadd_ps(t, x2, _mm512_set1_ps(0.6666694880e+0f));
  // dfadd(s, 2x)
  const __m512 tx = _mm512_mul_ps(x.x, _mm512_set1_ps(2.0f)), ty = _mm512_mul_ps(x.y, _mm512_set1_ps(2.0f));
  __m512 a = _mm512_add_ps(sx, tx);
  sy = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(_mm512_sub_ps(sx, a), tx), sy), ty);
  sx = a;
  // dfadd(s, x2·x·t)
  const __m512 b = _mm512_mul_ps(_mm512_mul_ps(x2, x.x), t);
  a = _mm512_add_ps(sx, b);
  sy = _mm512_add_ps(_mm512_add_ps(_mm512_sub_ps(sx, a), b), sy);
  return _mm512_add_ps(a, sy);
}

LK_STATIC __m512 sleef_v_exp(__m512 d) {
  const __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(d, _mm512_set1_ps(1.442695040888963407359924681001892137426645954152985934135449406931f)));
  const __m512 qf = _mm512_cvtepi32_ps(q);
  __m512 s = _mm512_fmadd_ps(qf, _mm512_set1_ps(-0.693145751953125f), d);
  s = _mm512_fmadd_ps(qf, _mm512_set1_ps(-1.428606765330187045e-06f), s);
  __m512 u = _mm512_set1_ps(0.000198527617612853646278381f);
  u = _mm512_fmadd_ps(u, s, _mm512_set1_ps(0.00139304355252534151077271f));
  u = _mm512_fmadd_ps(u, s, _mm512_set1_ps(0.00833336077630519866943359f));
  u = _mm512_fmadd_ps(u, s, _mm512_set1_ps(0.0416664853692054748535156f));
  u = _mm512_fmadd_ps(u, s, _mm512_set1_ps(0.166666671633720397949219f));
  u = _mm512_fmadd_ps(u, s, _mm512_set1_ps(0.5f));
  u = _mm512_add_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_mul_ps(s, s), u, s));
  const __m512i h = _mm512_srai_epi32(q, 1), bias = _mm512_set1_epi32(0x7f);
  const __m512 p1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(h, bias), 23));
  const __m512 p2 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_sub_epi32(q, h), bias), 23));
  u = _mm512_mul_ps(_mm512_mul_ps(u, p1), p2);
  u = _mm512_mask_mov_ps(u, _mm512_cmp_ps_mask(d, _mm512_set1_ps(-104.0f), _CMP_LT_OQ), _mm512_setzero_ps());
  return _mm512_mask_mov_ps(u, _mm512_cmp_ps_mask(_mm512_set1_ps(100.0f), d, _CMP_LT_OQ), _mm512_set1_ps(__builtin_inff()));
}

LK_STATIC __m512 sleef_v_log(__m512 d) {
  __m512 e = _mm512_getexp_ps(_mm512_mul_ps(d, _mm512_set1_ps(1.0f / 0.75f)));
  e = _mm512_mask_mov_ps(e, _mm512_cmp_ps_mask(e, _mm512_set1_ps(__builtin_inff()), _CMP_EQ_OQ), _mm512_set1_ps(128.0f));
  const __m512 m = _mm512_getmant_ps(d, _MM_MANT_NORM_p75_1p5, _MM_MANT_SIGN_nan);
  // dfadd2(−1, m) and dfadd2(1, m)
  const __m512 one = _mm512_set1_ps(1.0f), minus = _mm512_set1_ps(-1.0f);
  const __m512 ns = _mm512_add_ps(minus, m), nv = _mm512_sub_ps(ns, minus);
  const sleef_v2 n = {ns, _mm512_add_ps(_mm512_sub_ps(minus, _mm512_sub_ps(ns, nv)), _mm512_sub_ps(m, nv))};
  const __m512 ds = _mm512_add_ps(one, m), dv = _mm512_sub_ps(ds, one);
  const sleef_v2 dd = {ds, _mm512_add_ps(_mm512_sub_ps(one, _mm512_sub_ps(ds, dv)), _mm512_sub_ps(m, dv))};
  const __m512 r = sleef_v_log_core(e, sleef_v_dfdiv(n, dd));
  return _mm512_fixupimm_ps(r, d, _mm512_set1_epi32((4 << (2 * 4)) | (3 << (4 * 4)) | (5 << (5 * 4)) | (2 << (6 * 4))), 0);
}

LK_STATIC __m512 sleef_v_log1p(__m512 d) {
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512 dp1 = _mm512_add_ps(d, one);
  __m512 e = _mm512_getexp_ps(_mm512_mul_ps(dp1, _mm512_set1_ps(1.0f / 0.75f)));
  e = _mm512_mask_mov_ps(e, _mm512_cmp_ps_mask(e, _mm512_set1_ps(__builtin_inff()), _CMP_EQ_OQ), _mm512_set1_ps(128.0f));
  const __m512i k = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_cvtps_epi32(e));
  const __m512 t = _mm512_castsi512_ps(_mm512_add_epi32(_mm512_set1_epi32(0x3f800000), _mm512_slli_epi32(k, 23)));
  const __m512 m = _mm512_fmadd_ps(d, t, _mm512_sub_ps(t, one));
  // dfadd(2, m)
  const __m512 two = _mm512_set1_ps(2.0f), ds = _mm512_add_ps(two, m);
  const sleef_v2 dd = {ds, _mm512_add_ps(_mm512_sub_ps(two, ds), m)};
  const sleef_v2 mm = {m, _mm512_setzero_ps()};
  __m512 r = sleef_v_log_core(e, sleef_v_dfdiv(mm, dd));
  const __mmask16 big = _mm512_cmp_ps_mask(d, _mm512_set1_ps(0x1.2ced32p+126f), _CMP_NLE_UQ);  // !(d <= bound), NaN too
  if (big) r = _mm512_mask_mov_ps(r, big, sleef_v_log(d));
  r = _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(_mm512_set1_ps(-1.0f), d, _CMP_GT_OQ), _mm512_castsi512_ps(_mm512_set1_epi32(-1)));
  r = _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(d, _mm512_set1_ps(-1.0f), _CMP_EQ_OQ), _mm512_set1_ps(-__builtin_inff()));
  const __mmask16 minus_zero = _mm512_cmpeq_epi32_mask(_mm512_castps_si512(d), _mm512_set1_epi32((int32_t)0x80000000u));
  return _mm512_mask_mov_ps(r, minus_zero, _mm512_set1_ps(-0.0f));
}

LK_STATIC lk_v16f v16_from512(__m512 v) { lk_v16f r; memcpy(&r, &v, sizeof r); return r; }
LK_STATIC __m512 v16_to512(lk_v16f v) { __m512 r; memcpy(&r, &v, sizeof r); return r; }
LK_STATIC lk_v16f v16_sleef_exp(lk_v16f x) { return v16_from512(sleef_v_exp(v16_to512(x))); }
LK_STATIC lk_v16f v16_sleef_log(lk_v16f x) { return v16_from512(sleef_v_log(v16_to512(x))); }
LK_STATIC lk_v16f v16_sleef_log1p(lk_v16f x) { return v16_from512(sleef_v_log1p(v16_to512(x))); }
#else
LK_STATIC lk_v16f v16_sleef_exp(lk_v16f x) {
  for (int k = 0; k < 16; k++) x[k] = lk_sleef_expf_u10_inline(x[k]);
  return x;
}
LK_STATIC lk_v16f v16_sleef_log(lk_v16f x) {
  for (int k = 0; k < 16; k++) x[k] = lk_sleef_logf_u10_inline(x[k]);
  return x;
}
LK_STATIC lk_v16f v16_sleef_log1p(lk_v16f x) {
  for (int k = 0; k < 16; k++) x[k] = lk_sleef_log1pf_u10_inline(x[k]);
  return x;
}
#endif

/// Test hook: the number of float32 inputs (every `stride`-th bit pattern) where the
/// 16-lane functions differ from sleef_math.h's (NaN payloads included).
size_t LK_NAME(lk_check_sleef_functions)(uint32_t stride) {
  size_t differ = 0;
  float in[16];
  size_t filled = 0;
  for (uint64_t bits = 0;; bits += stride) {
    const int end = bits > 0xffffffffu;
    if (!end) {
      const uint32_t b = (uint32_t)bits;
      memcpy(&in[filled++], &b, sizeof b);
    }
    if (filled == 16 || (end && filled > 0)) {
      for (size_t k = filled; k < 16; k++) in[k] = in[0];
      lk_v16f v;
      memcpy(&v, in, sizeof v);
      const lk_v16f e = v16_sleef_exp(v), l = v16_sleef_log(v), p = v16_sleef_log1p(v);
      for (size_t k = 0; k < filled; k++) {
        const float one[3] = {lk_sleef_expf_u10_inline(in[k]), lk_sleef_logf_u10_inline(in[k]), lk_sleef_log1pf_u10_inline(in[k])};
        const float lane[3] = {e[k], l[k], p[k]};
        differ += memcmp(one, lane, sizeof one) != 0;
      }
      filled = 0;
    }
    if (end) break;
  }
  return differ;
}

// MARK: - PyTorch's pointwise losses and ATen's cascade sum

/// Test hook and the kernels' guard (`lk_glibc_logs_agree`): the number of floats x in
/// [0, 1] (every `stride`-th bit pattern from 0 to 1.0, and −0) where glibc_math.h's
/// logf(x) or log1pf(−x) differs in any bit from the C library's.
/// Mismatches among the first `n` lanes of `in` (the rest padded with in[0]).
LK_STATIC size_t glibc_logs_differ(float *in, size_t n) {
  for (size_t k = n; k < LK_WIDTH; k++) in[k] = in[0];
  const vf v = vload(in), a = v_glibc_log1pf_nonpositive(-v), b = glibc_logf_unit(v);
  size_t differ = 0;
  for (size_t k = 0; k < n; k++) {
    const float library[2] = {log1pf(-in[k]), logf(in[k])}, lane[2] = {a[k], b[k]};
    differ += memcmp(library, lane, sizeof library) != 0;
  }
  return differ;
}

size_t LK_NAME(lk_check_glibc_logs)(uint32_t stride) {
  const uint32_t one = 0x3f800000u, negative_zero = 0x80000000u;
  float in[LK_WIDTH];
  size_t differ = 0, filled = 0;
  for (uint64_t bits = 0; bits <= one + (uint64_t)2 * stride; bits += stride) {
    // Past 1.0: 1.0 itself, then −0.
    const uint32_t b = bits <= one ? (uint32_t)bits : (bits - stride <= one ? one : negative_zero);
    memcpy(&in[filled++], &b, sizeof b);
    if (filled == LK_WIDTH) differ += glibc_logs_differ(in, filled), filled = 0;
  }
  return differ + (filled ? glibc_logs_differ(in, filled) : 0);
}

/// How many of `in[0..<n]` (n ≤ LK_WIDTH, in [−87, 0]) `glibc_expf_moderate` gives other
/// bits than the C library's `expf` for.
LK_STATIC size_t glibc_expf_differ(float *in, size_t n) {
  for (size_t k = n; k < LK_WIDTH; k++) in[k] = 0.0f;
  const vf e = glibc_expf_moderate(vload(in));
  size_t differ = 0;
  for (size_t k = 0; k < n; k++) {
    const float library = expf(in[k]), lane = e[k];
    differ += memcmp(&library, &lane, sizeof lane) != 0;
  }
  return differ;
}

size_t LK_NAME(lk_check_glibc_expf)(uint32_t stride) {
  const uint32_t low = 0xc2ae0000u;  // −87; the negative floats run from −0 (0x80000000) up in bits
  float in[LK_WIDTH];
  size_t differ = 0, filled = 0;
  for (uint64_t bits = 0x80000000u; bits <= (uint64_t)low + stride; bits += stride) {
    const uint32_t b = bits <= low ? (uint32_t)bits : low;  // past −87: −87 itself
    memcpy(&in[filled++], &b, sizeof b);
    if (filled == LK_WIDTH) differ += glibc_expf_differ(in, filled), filled = 0;
  }
  return differ + (filled ? glibc_expf_differ(in, filled) : 0);
}

int LK_NAME(lk_glibc_logs_agree)(void) { return glibc_logs_agree(); }
int LK_NAME(lk_glibc_expf_agrees)(void) { return glibc_expf_agrees(); }

/// torch's `sgn`: ±1, 0 for ±0 and NaN.
LK_STATIC vf v_sgn_torch(vf x) { return vselect(x > 0.0f, vsplat(1.0f), vselect(x < 0.0f, vsplat(-1.0f), vsplat(0.0f))); }
LK_STATIC float sgn_torch(float x) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f); }

/// One element of `lk_torch_pointwise` (also the vector loop's formulas, lane by lane),
/// for every kind but BCE with logits (`torch_bce_logits`). The gradient is formed only
/// when asked for: BCELoss's libm calls and divisions would otherwise run on every
/// value-only call (a call to `logf` is not removed as dead code, since it may set errno).
LK_STATIC void torch_one(float x, float y, const lk_torch_config *c, float *loss, float *grad) {
  const float norm = c->norm, t = c->threshold;
  const float d = x - y;
  switch (c->kind) {
  case LK_TORCH_MSE:
    *loss = d * d;
    if (grad) *grad = norm * d;
    break;
  case LK_TORCH_L1:
    *loss = fabsf(d);
    if (grad) *grad = norm * sgn_torch(d);
    break;
  case LK_TORCH_HUBER: {
    float z = fabsf(d);
    *loss = z < t ? (0.5f * z) * z : t * (z - 0.5f * t);
    if (grad) *grad = d <= -t ? (-norm) * t : (d >= t ? norm * t : norm * d);
    break;
  }
  case LK_TORCH_SMOOTH_L1: {
    float z = fabsf(d);
    *loss = z < t ? ((0.5f * z) * z) / t : z - 0.5f * t;
    if (grad) *grad = d <= -t ? -norm : (d >= t ? norm : (norm * d) / t);
    break;
  }
  default: {  // LK_TORCH_BCE
    // (y − 1)·max(log1p(−x), −100) − y·max(log(x), −100); backward (x − y)/max((1 − x)·x, ε).
    float a = log1pf(-x), b = logf(x);
    a = -100.0f >= a ? -100.0f : a;
    b = -100.0f >= b ? -100.0f : b;
    *loss = (y - 1.0f) * a - y * b;
    if (grad) {
      float denominator = (1.0f - x) * x;
      denominator = c->epsilon >= denominator ? c->epsilon : denominator;
      *grad = (d / denominator) / c->divisor;
    }
  }
  }
}

/// BCE with logits, `(1 − y)·x − (min(x, 0) − log1p(exp(−|x|)))` with log_sigmoid's
/// SLEEF functions, and its gradient `(σ(x) − y) / divisor` with sigmoid's: SLEEF's `exp`
/// before `scalar_from`, the C library's from there (cpu_kernel_vec's scalar tail).
/// 16 lanes at a time (the loss in blocks of up to 256), then one value at a time with
/// the same formulas.
LK_STATIC void torch_bce_logits(const float *x, const float *y, size_t count, size_t scalar_from, float divisor,
                                float *loss, float *grad) {
  size_t i = 0;
  // Up to 256 values (whole vectors) at a time in two passes, exp(−|x|) into `loss` and
  // then the rest: two short loops whose iterations overlap in the out-of-order window,
  // where one long exp-then-log1p chain per vector did not. The same operations, so the
  // same bits.
  while (i + 16 <= count) {
    const size_t end = count - i >= 256 ? i + 256 : i + ((count - i) & ~(size_t)15);
    for (size_t k = i; k < end; k += 16) {
      prefetch_ahead(x + k);
      prefetch_ahead(y + k);
      const lk_v16f e = v16_sleef_exp((lk_v16f)((lk_v16i)v16_load(x + k) | (lk_v16i)INT32_MIN));  // exp(−|x|)
      memcpy(loss + k, &e, sizeof e);
    }
    for (size_t k = i; k < end; k += 16) {
      const lk_v16f v = v16_load(x + k), t = v16_load(y + k);
      const lk_v16f low = v16_select(0.0f < v, (lk_v16f)0.0f, v);
      const lk_v16f l = (1.0f - t) * v - (low - v16_sleef_log1p(v16_load(loss + k)));
      memcpy(loss + k, &l, sizeof l);
    }
    i = end;
  }
  for (; i < count; i++) {
    const float low = 0.0f < x[i] ? 0.0f : x[i];
    loss[i] = (1.0f - y[i]) * x[i] - (low - lk_sleef_log1pf_u10_inline(lk_sleef_expf_u10_inline(-fabsf(x[i]))));
  }
  if (!grad) return;
  const size_t vector_end = scalar_from < count ? scalar_from : count;
  for (i = 0; i + 16 <= vector_end; i += 16) {
    const lk_v16f g = (1.0f / (v16_sleef_exp(0.0f - v16_load(x + i)) + 1.0f) - v16_load(y + i)) / divisor;
    memcpy(grad + i, &g, sizeof g);
  }
  for (; i < vector_end; i++) grad[i] = (1.0f / (lk_sleef_expf_u10_inline(0.0f - x[i]) + 1.0f) - y[i]) / divisor;
  for (; i < count; i++) grad[i] = (1.0f / (1.0f + expf(-x[i])) - y[i]) / divisor;
}

void LK_NAME(lk_torch_pointwise)(const float *x, const float *y, size_t count, size_t scalar_from, const lk_torch_config *c,
                                 float *loss, float *grad, int *out_of_range) {
  if (c->kind == LK_TORCH_BCE_WITH_LOGITS) {
    torch_bce_logits(x, y, count, scalar_from, c->divisor, loss, grad);
    return;
  }
  size_t i = 0;
  vi outside = (vi)0;  // BCELoss: lanes that saw an input or target outside [0, 1] or NaN
  if (c->kind == LK_TORCH_BCE && glibc_logs_agree()) {
    // The C library's logs on whole vectors (glibc_math.h, checked against the library
    // this process runs), then torch_one's formulas lane by lane. The range check rides
    // along (the caller discards the values if it fails) instead of a pass of its own.
    const vf epsilon = vsplat(c->epsilon);
    for (; i + LK_WIDTH <= count; i += LK_WIDTH) {
      prefetch_ahead_lines(x + i, LK_WIDTH);
      prefetch_ahead_lines(y + i, LK_WIDTH);
      const vf xv = vload(x + i), yv = vload(y + i);
      outside |= ~((xv >= 0.0f) & (xv <= 1.0f) & (yv >= 0.0f) & (yv <= 1.0f));
      vf a = v_glibc_log1pf_nonpositive(-xv), b = glibc_logf_unit(xv);
      a = vselect(-100.0f >= a, vsplat(-100.0f), a);
      b = vselect(-100.0f >= b, vsplat(-100.0f), b);
      vstore(loss + i, (yv - 1.0f) * a - yv * b);
      if (grad) {
        const vf denominator = (1.0f - xv) * xv;
        vstore(grad + i, ((xv - yv) / vselect(epsilon >= denominator, epsilon, denominator)) / c->divisor);
      }
    }
  }
  if (c->kind <= LK_TORCH_SMOOTH_L1) {
    // Pure arithmetic: vectorised. (BCELoss, when glibc_math.h's logs are not this C
    // library's, calls the library one element at a time below, as torch's scalar CPU
    // kernel does.)
    const vf norm = vsplat(c->norm), t = vsplat(c->threshold);
    for (; i + LK_WIDTH <= count; i += LK_WIDTH) {
      prefetch_ahead_lines(x + i, LK_WIDTH);
      prefetch_ahead_lines(y + i, LK_WIDTH);
      vf d = vload(x + i) - vload(y + i), l, g;
      switch (c->kind) {
      case LK_TORCH_MSE:
        l = d * d;
        g = norm * d;
        break;
      case LK_TORCH_L1:
        l = vabs(d);
        g = norm * v_sgn_torch(d);
        break;
      case LK_TORCH_HUBER: {
        vf z = vabs(d);
        l = vselect(z < t, (0.5f * z) * z, t * (z - 0.5f * t));
        g = vselect(d <= -t, (-norm) * t, vselect(d >= t, norm * t, norm * d));
        break;
      }
      default: {
        vf z = vabs(d);
        l = vselect(z < t, ((0.5f * z) * z) / t, z - 0.5f * t);
        g = vselect(d <= -t, -norm, vselect(d >= t, norm, (norm * d) / t));
      }
      }
      vstore(loss + i, l);
      if (grad) vstore(grad + i, g);
    }
  }
  int bad = 0;
  for (int l = 0; l < LK_WIDTH; l++) bad |= outside[l] != 0;
  const int check = c->kind == LK_TORCH_BCE;  // the rest of BCELoss's range check, in the same pass
  for (; i < count; i++) {
    bad |= check && !(x[i] >= 0.0f && x[i] <= 1.0f && y[i] >= 0.0f && y[i] <= 1.0f);
    torch_one(x[i], y[i], c, loss + i, grad ? grad + i : 0);
  }
  if (bad && out_of_range) __atomic_store_n(out_of_range, 1, __ATOMIC_RELAXED);
}

/// torch's `vec_log_softmax_lastdim` row sum: 16 accumulators (the first 16 values),
/// full vectors added lane by lane, the leftover values into the first lanes, then the
/// lanes halved pairwise (8, 4, 2, 1). Fewer than 16 values are added in order.
LK_STATIC float torch_vector_sum16(const float *x, size_t n) {
  if (n < 16) {
    float s = n ? x[0] : 0.0f;
    for (size_t i = 1; i < n; i++) s += x[i];
    return s;
  }
  typedef float v16 __attribute__((ext_vector_type(16)));
  v16 acc;
  memcpy(&acc, x, sizeof acc);
  size_t d = 16;
  for (; d < n - n % 16; d += 16) {
    v16 v;
    memcpy(&v, x + d, sizeof v);
    acc += v;
  }
  for (size_t k = 0; k < n - d; k++) acc[k] += x[d + k];
  float lanes[16];
  memcpy(lanes, &acc, sizeof lanes);
  for (int width = 8; width >= 1; width /= 2)
    for (int k = 0; k < width; k++) lanes[k] = lanes[k] + lanes[k + width];
  return lanes[0];
}

void LK_NAME(lk_torch_cross_entropy_rows)(const float *logits, const int64_t *labels, size_t rows, size_t classes,
                                          int64_t ignore_index, float scale, float *picked, float *grad,
                                          float *scratch) {
  for (size_t r = 0; r < rows; r++) {
    const float *row = logits + r * classes;
    // The max as Kernels.maximum folds it: only the sign of a zero max can depend on the
    // order, and no output does (x − (±0) differs only for x = ∓0, whose exp is 1 either
    // way; its output (±0) − log_sum is −log_sum, as a second zero makes log_sum ≥ log 2).
    float minimum;
    const float m = row_max_and_min(row, classes, &minimum);
    size_t j = 0;
    for (; j + 16 <= classes; j += 16) {
      const lk_v16f e = v16_sleef_exp(v16_load(row + j) - m);
      memcpy(scratch + j, &e, sizeof e);
    }
    for (; j < classes; j++) scratch[j] = lk_sleef_expf_u10_inline(row[j] - m);
    const float log_sum = lk_sleef_logf_u10_inline(torch_vector_sum16(scratch, classes));
    const int64_t label = labels[r];
    const int ignored = label == ignore_index;
    picked[r] = ignored ? 0.0f : (row[label] - m) - log_sum;
    if (grad) {
      // log_softmax_backward of nll's gradient (scale at the label): g − exp(out)·Σg, as
      // one FMA (torch's build contracts it).
      float *out = grad + r * classes;
      for (size_t j = 0; j < classes; j++) out[j] = 0.0f;
      if (!ignored) out[label] = scale;
      const float total = torch_vector_sum16(out, classes);
      for (j = 0; j + 16 <= classes; j += 16) {
        const lk_v16f e = v16_sleef_exp((v16_load(row + j) - m) - log_sum);
        const lk_v16f g = __builtin_elementwise_fma(-e, (lk_v16f)total, v16_load(out + j));
        memcpy(out + j, &g, sizeof g);
      }
      for (; j < classes; j++) out[j] = __builtin_fmaf(-lk_sleef_expf_u10_inline((row[j] - m) - log_sum), total, out[j]);
    }
  }
}

void LK_NAME(lk_cascade_block)(const float *x, size_t steps, float *out) {
  lk_v32 acc = 0;
  for (size_t s = 0; s < steps; s++) {
    lk_v32 v;
    memcpy(&v, x + 32 * s, sizeof v);
    acc = acc + v;
  }
  memcpy(out, &acc, sizeof acc);
}

void LK_NAME(lk_cascade_carry)(const float *sums, size_t blocks, int power, float *levels) {
  lk_v32 level[4];
  memcpy(level, levels, sizeof level);
  const size_t step = (size_t)1 << power, mask = step - 1;
  for (size_t b = 0; b < blocks; b++) {
    memcpy(&level[0], sums + 32 * b, sizeof level[0]);
    const size_t i = (b + 1) * step;
    for (int j = 1; j < 4; j++) {
      level[j] = level[j] + level[j - 1];
      level[j - 1] = 0;
      if (i & (mask << (j * power))) break;
    }
  }
  memcpy(levels, level, sizeof level);
}

// MARK: - Exact (double-double) accumulation of float32 values

typedef double vd8 __attribute__((ext_vector_type(8)));

/// Adds x into the double-double pair (s, c) lane by lane: TwoSum keeps the rounding
/// error of every addition.
LK_STATIC void dd_add_lanes(vd8 *s, vd8 *c, const vd8 *xp) {
  vd8 x = *xp;
  vd8 t = *s + x;
  vd8 bp = t - *s;
  vd8 err = (*s - (t - bp)) + (x - bp);
  *s = t;
  *c += err;
}

/// Adds v into the scalar pair (S, C) (TwoSum, the error into C).
LK_STATIC void dd_add_scalar(double *S, double *C, double v) {
  double t = *S + v;
  double bp = t - *S;
  *C += (*S - (t - bp)) + (v - bp);
  *S = t;
}

/// Adds the lanes of the accumulator pairs (s[k], c[k]), lane by lane and pair by pair,
/// into the scalar pair (S, C): a fixed order, so the result does not depend on timing.
LK_STATIC void dd_collapse(const vd8 *s, const vd8 *c, int pairs, double *S, double *C) {
  for (int l = 0; l < 8; l++) {
    for (int k = 0; k < pairs; k++) {
      dd_add_scalar(S, C, s[k][l]);
      dd_add_scalar(S, C, c[k][l]);
    }
  }
}

LK_STATIC void dd_renormalise(double S, double C, double *hi, double *lo) {
  double t = S + C;
  *lo = C - (t - S);
  *hi = t;
}

typedef float v8f __attribute__((ext_vector_type(8)));

/// Adds 32 floats into four accumulator pairs, 8 lanes each.
LK_STATIC void dd_add_block32(vd8 *s, vd8 *e, const float *lanes) {
  for (int q = 0; q < 4; q++) {
    v8f v;
    memcpy(&v, lanes + 8 * q, sizeof v);
    vd8 d = __builtin_convertvector(v, vd8);
    dd_add_lanes(&s[q], &e[q], &d);
  }
}

/// Adds 256 floats into the four accumulator pairs, 8 lanes each (every lane gets eight).
///
/// When all 256 are positive, finite and within a factor 2^26 of each other, every value
/// is an integer multiple of the smallest one's ulp u > smallest · 2^-24, and each lane's
/// eight values and their partial sums stay below 8 · 2^26 · 2^24 u = 2^53 u: plain double
/// additions are then exact, and each lane's block sum enters its pair by one TwoSum
/// rather than eight (on Zen 4 that took Keras BCE from logits with `--exact` from
/// 1.43–1.53× the default's time to 1.26–1.29×, `losskit bench --exact`). Any other block
/// (a zero, a negative value, ±∞, a wider range) takes a TwoSum per value. A NaN gives
/// NaN either way.
LK_STATIC void dd_add_block256(vd8 *s, vd8 *e, const float *lanes) {
  // The least and greatest as int32 bit patterns: for positive floats the same order,
  // while any ±0, negative value or negative NaN is ≤ 0 and +∞ or a NaN ≥ 0x7f800000.
  lk_v16i least, most;
  memcpy(&least, lanes, sizeof least);
  most = least;
  vd8 block[4] = {0, 0, 0, 0};
  for (int k = 0; k < 256; k += 32) {
    for (int h = 0; h < 2; h++) {
      lk_v16f v;
      memcpy(&v, lanes + k + 16 * h, sizeof v);
      least = __builtin_elementwise_min(least, (lk_v16i)v);
      most = __builtin_elementwise_max(most, (lk_v16i)v);
      block[2 * h] += __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), vd8);
      block[2 * h + 1] += __builtin_convertvector(__builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15), vd8);
    }
  }
  const int32_t smallest = __builtin_reduce_min(least), largest = __builtin_reduce_max(most);
  float small_value, large_value;
  memcpy(&small_value, &smallest, sizeof small_value);
  memcpy(&large_value, &largest, sizeof large_value);
  if (smallest > 0 && largest < 0x7f800000 && large_value <= small_value * 0x1p26f) {
    for (int q = 0; q < 4; q++) dd_add_lanes(&s[q], &e[q], &block[q]);
  } else {
    for (int k = 0; k < 256; k += 32) dd_add_block32(s, e, lanes + k);
  }
}

void LK_NAME(lk_dd_sum_f32)(const float *x, const float *w, size_t count, double *hi, double *lo) {
  vd8 s[2] = {0, 0}, c[2] = {0, 0};
  size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    for (int k = 0; k < 2; k++) {
      v8f a;
      memcpy(&a, x + i + 8 * k, sizeof a);
      vd8 d = __builtin_convertvector(a, vd8);
      if (w) {
        // float32 × float32 is exact in double (48 significant bits).
        v8f wa;
        memcpy(&wa, w + i + 8 * k, sizeof wa);
        d = d * __builtin_convertvector(wa, vd8);
      }
      dd_add_lanes(&s[k], &c[k], &d);
    }
  }
  // Lanes, then the tail, in a fixed order.
  double S = 0, C = 0;
  dd_collapse(s, c, 2, &S, &C);
  for (; i < count; i++) dd_add_scalar(&S, &C, w ? (double)x[i] * (double)w[i] : (double)x[i]);
  dd_renormalise(S, C, hi, lo);
}

/// The losses `range(context, start, n, out)` gives over `[0, count)`, summed as
/// `lk_dd_sum_f32` sums: 256 at a time into a buffer that
/// stays in the L1 cache, each block added as soon as it is made. Not inlined, so that
/// `range` is compiled on its own: inlined here, its vectors and constants competed for
/// registers with the accumulators' and took Keras BCE from logits 6% longer in cache.
__attribute__((noinline)) static void dd_sum_ranges(const void *context, lk_range_fn range, size_t count, double *hi, double *lo) {
  enum { block = 256 };
  vd8 s[4] = {0, 0, 0, 0}, e[4] = {0, 0, 0, 0};
  float lanes[block];
  double S = 0, C = 0;
  for (size_t i = 0; i < count;) {
    const size_t n = count - i < block ? count - i : block;
    range(context, i, n, lanes);
    size_t k = 0;
    if (n == block) {
      dd_add_block256(s, e, lanes);
      k = n;
    }
    for (; k + 32 <= n; k += 32) dd_add_block32(s, e, lanes + k);
    for (; k < n; k++) dd_add_scalar(&S, &C, lanes[k]);  // the last block's tail
    i += n;
  }
  dd_collapse(s, e, 4, &S, &C);
  dd_renormalise(S, C, hi, lo);
}

typedef struct {
  const float *p, *y;
  const lk_regression_config *config;
} regression_range_context;

LK_STATIC void regression_range(const void *context, size_t start, size_t n, float *out) {
  const regression_range_context *c = context;
  regression_core(c->p + start, c->y + start, n, c->config, out, 0);
}

void LK_NAME(lk_regression_dd_sum)(const float *p, const float *y, size_t count, const lk_regression_config *c,
                                   double *hi, double *lo) {
  const lk_regression_config config = *c;
  const regression_range_context context = {p, y, &config};
  dd_sum_ranges(&context, regression_range, count, hi, lo);
}

typedef struct {
  const float *x, *y;
  size_t scalar_from;
  const lk_torch_config *config;
  int *out_of_range;
} torch_range_context;

LK_STATIC void torch_range(const void *context, size_t start, size_t n, float *out) {
  const torch_range_context *c = context;
  const size_t from = c->scalar_from > start ? c->scalar_from - start : 0;
  LK_NAME(lk_torch_pointwise)(c->x + start, c->y + start, n, from, c->config, out, 0, c->out_of_range);
}

void LK_NAME(lk_torch_pointwise_dd_sum)(const float *x, const float *y, size_t count, size_t scalar_from,
                                        const lk_torch_config *c, int *out_of_range, double *hi, double *lo) {
  const lk_torch_config config = *c;
  const torch_range_context context = {x, y, scalar_from, &config, out_of_range};
  dd_sum_ranges(&context, torch_range, count, hi, lo);
}

void LK_NAME(lk_bce_prob_dd_sum)(const float *p, const float *y, size_t count, size_t scalar_from,
                                 const lk_bce_prob_config *config, double *hi, double *lo) {
  const lk_bce_prob_config local = *config;
  const bce_leaf_context context = {p, y, scalar_from, &local, 0};
  dd_sum_ranges(&context, bce_leaf_range, count, hi, lo);
}

void LK_NAME(lk_sigmoid_xent_dd_sum)(const float *x, const float *y, size_t count, size_t scalar_from,
                                     const lk_label_smoothing *smoothing, double *hi, double *lo) {
  lk_label_smoothing local;
  if (smoothing) local = *smoothing;
  const sigmoid_leaf_context context = {x, y, scalar_from, 1.0f, smoothing ? &local : 0, 0};
  dd_sum_ranges(&context, sigmoid_leaf_range, count, hi, lo);
}

// MARK: - Summary of input values (InputLint)

/// The summary of `count` doubles (`floats` = 0) or floats (1, each widened exactly).
LK_STATIC void summarise(const void *v, int floats, size_t count, lk_value_summary *out) {
  typedef __typeof__((vd8){0} < (vd8){0}) vl8;  // what comparing two vd8 gives: 0 or −1 per lane
  vd8 mn = INFINITY, mx = -INFINITY;
  vl8 numbers = 0, ones = 0, minus_ones = 0, zeros = 0, integral = 0;  // comparisons give −1 per true lane
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    vd8 x;
    if (floats) {
      v8f f;
      memcpy(&f, (const float *)v + i, sizeof f);
      x = __builtin_convertvector(f, vd8);
    } else {
      memcpy(&x, (const double *)v + i, sizeof x);
    }
    // NaN fails every comparison: it keeps min and max, and counts nowhere.
    const vl8 below = x < mn, above = x > mx;
    mn = (vd8)(((vl8)x & below) | ((vl8)mn & ~below));
    mx = (vd8)(((vl8)x & above) | ((vl8)mx & ~above));
    numbers -= x == x;
    minus_ones -= x == -1.0;
    zeros -= x == 0.0;
    ones -= x == 1.0;
    // Every double from 2^52 up is an integer; below, x + 2^52 rounds x to one exactly.
    integral -= (x >= 0.0) & ((x >= 0x1p52) | ((x + 0x1p52) - 0x1p52 == x));
  }
  lk_value_summary r = {0, 0, 0, 0, 0, INFINITY, -INFINITY};
  for (int l = 0; l < 8; l++) {
    r.numbers += numbers[l];
    r.minus_ones += minus_ones[l];
    r.zeros += zeros[l];
    r.ones += ones[l];
    r.integral += integral[l];
    if (mn[l] < r.min) r.min = mn[l];
    if (mx[l] > r.max) r.max = mx[l];
  }
  for (; i < count; i++) {
    const double x = floats ? (double)((const float *)v)[i] : ((const double *)v)[i];
    r.numbers += x == x;
    r.minus_ones += x == -1.0;
    r.zeros += x == 0.0;
    r.ones += x == 1.0;
    r.integral += x >= 0.0 && (x >= 0x1p52 || (x + 0x1p52) - 0x1p52 == x);
    if (x < r.min) r.min = x;
    if (x > r.max) r.max = x;
  }
  *out = r;
}

void LK_NAME(lk_summarise_values)(const double *v, size_t count, lk_value_summary *out) { summarise(v, 0, count, out); }
void LK_NAME(lk_summarise_floats)(const float *v, size_t count, lk_value_summary *out) { summarise(v, 1, count, out); }

// MARK: - Self-check of the range-limited functions

/// Compares `w_exp_nonpositive` with `v_exp` and with the one-lane `lk_eigen_expf` on
/// every `stride`-th float32 in [−87, 0] (and both ends), and `w_log1p_unit` with
/// `v_log1p` and `lk_eigen_log1pf` on every `stride`-th float32 in [0, 1] (and both
/// ends), bit for bit; returns the number of lanes that differ from either.
size_t LK_NAME(lk_check_range_limited_functions)(uint32_t stride) {
  size_t differ = 0;
  for (int function = 0; function < 2; function++) {
    // float32 bit patterns: −87..−0 is 0x80000000..0xC2AE0000; +0..1 is 0..0x3F800000.
    const uint32_t first = function == 0 ? 0x80000000u : 0u;
    const uint32_t last = function == 0 ? 0xC2AE0000u : 0x3F800000u;
    float in[LK_WIDE];
    size_t filled = 0;
    for (uint64_t bits = first;; bits += stride) {
      const int end = bits >= last;
      uint32_t b = end ? last : (uint32_t)bits;
      memcpy(&in[filled++], &b, sizeof b);
      if (filled == LK_WIDE || end) {
        for (size_t k = filled; k < LK_WIDE; k++) in[k] = in[0];
        float wide[LK_WIDE], narrow[LK_WIDE], limited[LK_WIDE];
        vw w = function == 0 ? w_exp_nonpositive(wload(in)) : w_log1p_unit(wload(in));
        memcpy(wide, &w, sizeof wide);
        for (int k = 0; k < LK_WIDE; k += LK_WIDTH) {
          vstore(narrow + k, function == 0 ? v_exp(vload(in + k)) : v_log1p(vload(in + k)));
          // The one-vector range-limited exp (log1p_unit has only the wide form).
          vstore(limited + k, function == 0 ? v_exp_nonpositive(vload(in + k)) : vload(wide + k));
        }
        for (size_t k = 0; k < filled; k++) {
          const float one = function == 0 ? lk_eigen_expf(in[k]) : lk_eigen_log1pf(in[k]);
          differ += memcmp(wide + k, narrow + k, sizeof(float)) != 0 || memcmp(wide + k, &one, sizeof(float)) != 0 ||
                    memcmp(wide + k, limited + k, sizeof(float)) != 0;
        }
        filled = 0;
      }
      if (end) break;
    }
  }
  return differ;
}

// MARK: - LossKit's fast-math functions, for the error-bound tests

/// `op` 0: LK_FAST_EXP_NONPOSITIVE (for x in [−87.3, 0]), 1: LK_FAST_LOG1P_UNIT (for x in
/// [0, 1]), on n values; outside those ranges the results are unspecified.
void LK_NAME(lk_fast_math_f32)(int op, const float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; i += LK_WIDTH) {
    const size_t lanes = n - i < LK_WIDTH ? n - i : LK_WIDTH;
    const vf v = vload_padded(x + i, lanes, op == 0 ? -1.0f : 0.5f);
    float out[LK_WIDTH];
    vstore(out, op == 0 ? v_fast_exp_nonpositive(v) : v_fast_log1p_unit(v));
    memcpy(y + i, out, lanes * sizeof(float));
  }
}

// MARK: - optax.losses.sigmoid_binary_cross_entropy (JAX's policy: XLA's functions, FTZ/DAZ)

/// `jnp.logaddexp(p, 0)` as the traced JAX policy computes it (JAXOps.logaddexp), for a
/// flushed `p` and `l` = log1p(exp(−|p|)) (flushed twice, as the trace does): max(p, 0) + l
/// flushed; p + 0 when p − 0 is NaN. `max` is Swift's (`q >= p ? q : p`).
LK_STATIC float optax_logaddexp0(float p, float l) {
  const float delta = ftzf(p - 0.0f);
  const float amax = p != p ? __builtin_nanf("") : (0.0f >= p ? 0.0f : p);
  return delta != delta ? ftzf(p + 0.0f) : ftzf(amax + l);
}

/// One element's forward pass: −y·log_sigmoid(x) − (1 − y)·log_sigmoid(−x), with
/// log_sigmoid(v) = −logaddexp(−v, 0), in the trace's order of operations, each operand
/// and result flushed. Both logaddexps take log1p(exp(−|x|)) of the same |x|, so it is
/// computed once. The intermediates are kept for the backward pass.
typedef struct {
  float a1, a2;    // −x and −(−x), the logaddexps' first operands
  float sp1, sp2;  // softplus(−x) and softplus(x): logaddexp(a, 0)
  float ny, om;    // −y and 1 − y
  float loss;
} optax_sigmoid_bce_forward;

LK_STATIC optax_sigmoid_bce_forward optax_sigmoid_bce_one(float x, float y) {
  optax_sigmoid_bce_forward f;
  x = ftzf(x);
  y = ftzf(y);
  const float l = ftzf(xla_log1pf(ftzf(xla_expf(-__builtin_fabsf(x)))));
  f.a1 = ftzf(-x);
  f.a2 = ftzf(-ftzf(-x));
  f.sp1 = optax_logaddexp0(f.a1, l);
  f.sp2 = optax_logaddexp0(f.a2, l);
  f.ny = ftzf(-y);
  f.om = ftzf(1.0f - y);
  const float positive = ftzf(f.ny * ftzf(-f.sp1));
  const float negative = ftzf(f.om * ftzf(-f.sp2));
  f.loss = ftzf(positive - negative);
  return f;
}

/// `_replace_inf` of the logaddexp JVP: +inf reads as 0.
LK_STATIC float replace_inf(float v) { return v == __builtin_inff() ? 0.0f : v; }

/// The gradient of the summed loss with respect to x, as the trace's backward pass
/// computes it from the forward's intermediates. Each softplus is logaddexp(a, 0) with
/// JVP g·exp(replace_inf(a) − replace_inf(logaddexp(a, 0))); the incoming gradients are
/// the labels' factors (−1·(−y) for log_sigmoid(x), 1·(1 − y) through the subtraction for
/// log_sigmoid(−x)), and the −x branch's contribution (the later node, reached first) is
/// added before the x branch's.
LK_STATIC float optax_sigmoid_bce_gradient(optax_sigmoid_bce_forward f) {
  const float s1 = ftzf(xla_expf(ftzf(replace_inf(f.a1) - replace_inf(f.sp1))));
  const float s2 = ftzf(xla_expf(ftzf(replace_inf(f.a2) - replace_inf(f.sp2))));
  // d log_p = 1·ny, d sp1 = −(d log_p); d log_not_p = (−1)·om, d sp2 = −(d log_not_p).
  const float d_a1 = ftzf(-ftzf(1.0f * f.ny) * s1);
  const float d_a2 = ftzf(-ftzf(-1.0f * f.om) * s2);
  // a1 = −x gives −d_a1; a2 = −(−x) gives −(−d_a2).
  return ftzf(-(-d_a2) + -d_a1);
}

void LK_NAME(lk_optax_sigmoid_bce)(const float *x, const float *y, size_t count, float *loss, float *grad) {
  // Four 16-lane vectors interleaved: one vector's exp → log1p chain alone leaves the
  // out-of-order window idle (one Zen 4 thread: 4.0 → 2.7 ns/element; 2 and 8 were slower).
  if (!grad) {
#pragma clang loop vectorize_width(16) interleave_count(4)
    for (size_t i = 0; i < count; i++) loss[i] = optax_sigmoid_bce_one(x[i], y[i]).loss;
    return;
  }
#pragma clang loop vectorize_width(16) interleave_count(4)
  for (size_t i = 0; i < count; i++) {
    const optax_sigmoid_bce_forward f = optax_sigmoid_bce_one(x[i], y[i]);
    loss[i] = f.loss;
    grad[i] = optax_sigmoid_bce_gradient(f);
  }
}

// MARK: - optax.losses.softmax_cross_entropy_with_integer_labels (JAX's policy, YNNPACK's row sums)

/// xla_expf_core without its clamps, on 16 lanes: m = ⌊x·log2 e + ½⌋ and y ≈ e^(x − m·ln 2).
LK_STATIC lk_v16f v16_xla_exp_core(lk_v16f x, lk_v16f *exponent) {
  const lk_v16f m = __builtin_elementwise_floor(__builtin_elementwise_fma(x, (lk_v16f)F(0x3fb8aa3b), (lk_v16f)0.5f));
  *exponent = m;
  return LK_XLA_EXPF_POLYNOMIAL(lk_v16f, x, m);
}

/// `xla_expf(x)` for lanes with x ≤ 0 or −∞ (no NaN): XLA's clamps of x above and of m
/// cannot bind there (m = ⌊x·log2 e + ½⌋ is in [−127, 0]), nor can the flush of a
/// subnormal x (e^x rounds to 1 for every |x| < 2^−25, flushed or not), so the same bits
/// in fewer operations. 2^m = +0 at m = −127, and the product's flush is xla_expf_scale's.
LK_STATIC lk_v16f v16_xla_exp_nonpositive(lk_v16f x) {
  x = v16_select(x < F(0xc2af999a), (lk_v16f)F(0xc2af999a), x);  /* −87.8 */
  lk_v16f m;
  const lk_v16f y = v16_xla_exp_core(x, &m);
  const lk_v16f scale = (lk_v16f)((__builtin_convertvector(m, lk_v16i) + 127) << 23);
  return v16_select((scale == F(0x00800000)) & (y < 1.0f), (lk_v16f)0.0f, y * scale);
}

/// `xla_expf(x)` for lanes with −87 ≤ x ≤ 0: there the clamp of x cannot bind either,
/// m ≥ −125, and y·2^m is a normal number, so no flush can apply: the product by 2^m
/// (exact) is one vscalefps on AVX-512. The same bits as `v16_xla_exp_nonpositive`.
LK_STATIC lk_v16f v16_xla_exp_moderate(lk_v16f x) {
  lk_v16f m;
  const lk_v16f y = v16_xla_exp_core(x, &m);
  return LK_TIMES_POW2(lk_v16f, lk_v16i, y, m);
}

/// The exponentials e_j = xla_expf(row[j] − shift) of 16 values (stored to `e` + j when
/// `e` is not NULL), `moderate` when every row[j] − shift is in [−87, 0]. Lanes past `n`
/// are +0 (YNNPACK's zero padding); they compute on −∞, or on shift when `moderate`.
LK_STATIC lk_v16f row_exp16(const float *row, size_t j, size_t n, float shift, int moderate, float *e) {
  // A block wholly past the row is padding: +0 in every lane, and nothing to store.
  if (j >= n) return (lk_v16f)0.0f;
  const size_t present = n - j;
  const lk_v16f x = present >= 16 ? v16_load(row + j) : v16_load_padded(row + j, present, moderate ? shift : -__builtin_inff());
  lk_v16f v = moderate ? v16_xla_exp_moderate(x - shift) : v16_xla_exp_nonpositive(x - shift);
  if (present < 16) {
    const lk_v16i lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    v = v16_select(lane < (int32_t)present, v, (lk_v16f)0.0f);  // padding adds +0
  }
  if (e) {
    if (j + 16 <= n) {
      memcpy(e + j, &v, sizeof v);
    } else {
      for (size_t k = 0; j + k < n; k++) e[j + k] = v[k];
    }
  }
  return v;
}

/// YNNPACK's accumulators (`sum_float_k1`, 16 lanes; ynn_sum.c has the one-lane form):
/// blocks of 64 values add into acc0; acc0 moves into acc1 after each step; every 256
/// clock ticks (1,024 values) acc1 is Kahan-added into acc2.
typedef struct {
  lk_v16f acc0, acc1, acc2, err;
  size_t clock;
} ynn_state16;

LK_STATIC ynn_state16 ynn_start16(void) {
  ynn_state16 s = {0, 0, 0, 0, 0};
  return s;
}

LK_STATIC lk_v16f ynn_maybe_ftz(lk_v16f v, int flush) { return flush ? v16_ftz(v) : v; }

LK_STATIC void ynn_kahan16(ynn_state16 *s) {
  const lk_v16f y = v16_ftz(s->acc1 - s->err);
  const lk_v16f t = v16_ftz(s->acc2 + y);
  const lk_v16f e = v16_ftz(v16_ftz(t - s->acc2) - y);
  s->err = v16_select(((lk_v16i)e & 0x7f800000) != 0x7f800000, e, (lk_v16f)0.0f);  // a non-finite correction is dropped
  s->acc2 = t;
  s->acc1 = 0;
}

/// After a step of `ticks` clock ticks (64 for four blocks, 16 for one).
LK_STATIC void ynn_tick16(ynn_state16 *s, size_t ticks, int flush) {
  s->clock += ticks;
  s->acc1 = ynn_maybe_ftz(s->acc1 + s->acc0, flush);
  s->acc0 = 0;
  if (s->clock % 256 == 0) ynn_kahan16(s);
}

/// The final flush, then the lanes halved (v[i] + v[i + 8], + 4, + 2, + 1) from 0.
LK_STATIC float ynn_finish16(ynn_state16 *s, int flush) {
  s->acc1 = ynn_maybe_ftz(s->acc1 + s->acc0, flush);
  ynn_kahan16(s);
  float lanes[16];
  memcpy(lanes, &s->acc2, sizeof lanes);
  for (int width = 8; width >= 1; width /= 2)
    for (int i = 0; i < width; i++) lanes[i] = ftzf(lanes[i] + lanes[i + width]);
  return ftzf(0.0f + lanes[0]);
}

/// YNNPACK's kernel loop over n values: the block (the macro's last argument) adds the
/// next 64 values (zero-padded past n) into `s.acc0`; four blocks per step while 256
/// remain, then one per step, then the partial block.
#define LK_YNN_DRIVE(s, n, flush, ...)                                       \
  do {                                                                       \
    size_t k_ = (n);                                                         \
    for (; k_ >= 256; k_ -= 256) {                                           \
      for (int b_ = 0; b_ < 4; b_++) __VA_ARGS__;                            \
      ynn_tick16(&(s), 64, flush);                                           \
    }                                                                        \
    for (; k_ >= 64; k_ -= 64) {                                             \
      __VA_ARGS__;                                                           \
      ynn_tick16(&(s), 16, flush);                                           \
    }                                                                        \
    if (k_ > 0) __VA_ARGS__;                                                 \
  } while (0)

/// `lk_ynn_sum_f32` (YNNPACK's order, 16 lanes) of a row's exp(row[j] − shift), computed
/// as the sum consumes them (and stored to `e` when it is not NULL), where `shift` is
/// the row's finite maximum, so that every exponential is +0 or a normal number in
/// [0, 1] and n ≤ 2^24: sums of such values are +0 or normal, so the block and group
/// additions need no flush; the Kahan steps (a difference) and the final halving flush
/// as lk_ynn_sum_f32 does. The same bits.
///
/// Each whole 64-value block also folds the same 64 values of `next` (when not NULL).
LK_STATIC float ynn_exp_sum(const float *row, size_t n, float shift, int moderate, float *e, row_fold *next) {
  ynn_state16 state = ynn_start16();
  size_t j = 0;
  LK_YNN_DRIVE(state, n, 0, {
    if (next && j + 64 <= n)
      for (size_t q = 0; q < 64; q += LK_WIDE) row_fold_block(next, j + q);
    const lk_v16f a = row_exp16(row, j, n, shift, moderate, e);
    const lk_v16f b = row_exp16(row, j + 16, n, shift, moderate, e);
    const lk_v16f c = row_exp16(row, j + 32, n, shift, moderate, e);
    const lk_v16f d = row_exp16(row, j + 48, n, shift, moderate, e);
    state.acc0 = state.acc0 + (((a + b) + c) + d);
    j += 64;
  });
  if (next) next->covered = n / 64 * 64;
  return ynn_finish16(&state, 0);
}

/// YNNPACK sums a row longer than one tile (32,768 values) tile by tile, then the tiles'
/// sums (`XLASummation.ynnSums`); rows of at most `LK_YNN_TILES` tiles.
enum { LK_YNN_TILE = 32768, LK_YNN_TILES = 64 };

/// `ynn_exp_sum` of a row of any length up to LK_YNN_TILES tiles. A row of several tiles
/// does not fold the next row's extremes (that row is then scanned on its own).
LK_STATIC float ynn_exp_sum_tiled(const float *row, size_t n, float shift, int moderate, float *e, row_fold *next) {
  if (n <= LK_YNN_TILE) return ynn_exp_sum(row, n, shift, moderate, e, next);
  float partials[LK_YNN_TILES];
  size_t tiles = 0;
  for (size_t j = 0; j < n; j += LK_YNN_TILE) {
    const size_t count = n - j < LK_YNN_TILE ? n - j : LK_YNN_TILE;
    partials[tiles++] = ynn_exp_sum(row + j, count, shift, moderate, e ? e + j : 0, 0);
  }
  return lk_ynn_sum_f32(partials, tiles);
}

/// `sum` (`lk_ynn_sum_f32`, or `ynn_sum16`: the same bits) of a row of any length up to
/// LK_YNN_TILES tiles: tile by tile, then `lk_ynn_sum_f32` of the tiles' sums.
LK_STATIC float ynn_sum_tiled(const float *a, size_t n, float (*sum)(const float *, size_t)) {
  if (n <= LK_YNN_TILE) return sum(a, n);
  float partials[LK_YNN_TILES];
  size_t tiles = 0;
  for (size_t j = 0; j < n; j += LK_YNN_TILE) partials[tiles++] = sum(a + j, n - j < LK_YNN_TILE ? n - j : LK_YNN_TILE);
  return lk_ynn_sum_f32(partials, tiles);
}

/// `rows` rows of `classes` ≤ 64 × 32,768 logits, as the traced JAX policy computes
/// `logsumexp(row) − row[label]` when the logits have 4,096 elements or more (so that
/// the exponentials' row sums are YNNPACK's): m = the row's max (NaN if any value is),
/// m' = m if finite else 0, S = Σ XLA-exp(x − m') in YNNPACK's order, loss =
/// (XLA-log|S| + m') − x[label], every operand and result flushed. With `grad`, the
/// gradient of the summed losses: (±1/|S|)·e_j, minus 1 at the label. `scratch` holds
/// `classes` floats; labels are in [0, classes).
void LK_NAME(lk_optax_sparse_xent_rows)(const float *logits, const int64_t *labels, size_t rows, size_t classes,
                                        float *loss, float *grad, float *scratch) {
  // The first row's maximum; each row's exponentials then fold in the next row's.
  float minimum = 0.0f;
  // The max of the flushed values is the flushed max (up to the sign of a zero, which no
  // result depends on: x − (±0) only differs for x = ∓0, and e^(±0) = 1).
  float m = rows ? dazf(row_max_and_min(logits, classes, &minimum)) : 0.0f;
  for (size_t r = 0; r < rows; r++) {
    const float *row = logits + r * classes;
    const float *next = r + 1 < rows ? row + classes : 0;
    const int finite = __builtin_isfinite(m);
    const float shift = finite ? m : 0.0f;
    // With the gradient, the exponentials are kept in the gradient's row.
    float *e = grad ? grad + r * classes : scratch;
    row_fold fold = row_fold_start(next);
    row_fold *folding = next ? &fold : 0;
    float sum;
    if (!finite) {
      for (size_t j = 0; j < classes; j++) e[j] = xla_expf(ftzf(dazf(row[j]) - shift));
      sum = ynn_sum_tiled(e, classes, lk_ynn_sum_f32);
    } else {
      // Every difference is in [−87, 0] when fl(min − m) ≥ −87 (rounding is monotonic).
      const int moderate = minimum - m >= -87.0f;
      // Literal arguments, so that each call inlines its own loop.
      if (grad) {
        sum = moderate ? ynn_exp_sum_tiled(row, classes, shift, 1, e, folding) : ynn_exp_sum_tiled(row, classes, shift, 0, e, folding);
      } else {
        sum = moderate ? ynn_exp_sum_tiled(row, classes, shift, 1, 0, folding) : ynn_exp_sum_tiled(row, classes, shift, 0, 0, folding);
      }
    }
    const float next_m = next ? dazf(row_fold_finish(&fold, classes, &minimum)) : 0.0f;
    const int64_t label = labels[r];
    const float normalizer = ftzf(ftzf(xla_logf(__builtin_fabsf(sum))) + shift);
    loss[r] = ftzf(normalizer - dazf(row[label]));
    m = next_m;
    if (!grad) continue;
    // log′ = g/|S| (JAX divides), abs′ = select(S ≥ 0, g, −g), exp′ = g·e.
    const float reciprocal = ftzf(1.0f / __builtin_fabsf(sum));
    const float through = sum >= 0.0f ? reciprocal : -reciprocal;
    for (size_t j = 0; j < classes; j++) e[j] = ftzf(through * e[j]);
    e[label] = ftzf(e[label] + -1.0f);
  }
}

// MARK: - optax.losses.softmax_cross_entropy (JAX's policy, YNNPACK's row sums)

/// a[from..<from + 16], zeros past n.
LK_STATIC lk_v16f ynn_padded16(const float *a, size_t from, size_t n) {
  lk_v16f v = 0;
  for (size_t k = 0; k < 16 && from + k < n; k++) v[k] = a[from + k];
  return v;
}
/// `lk_ynn_sum_f32` on 16-lane vectors for any values: every addition flushed, as there.
LK_STATIC float ynn_sum16(const float *a, size_t n) {
  ynn_state16 state = ynn_start16();
  size_t j = 0;
#define LK_YNN_LOAD(q) (j + (q) + 16 <= n ? v16_load(a + j + (q)) : ynn_padded16(a, j + (q), n))
  LK_YNN_DRIVE(state, n, 1, {
    lk_v16f local = v16_ftz((lk_v16f)0.0f + LK_YNN_LOAD(0));
    local = v16_ftz(local + LK_YNN_LOAD(16));
    local = v16_ftz(local + LK_YNN_LOAD(32));
    local = v16_ftz(local + LK_YNN_LOAD(48));
    state.acc0 = v16_ftz(state.acc0 + local);
    j += 64;
  });
#undef LK_YNN_LOAD
  return ynn_finish16(&state, 1);
}

/// `rows` rows of `classes` ≤ 64 × 32,768 logits x and labels y, as the traced JAX policy
/// computes `−Σ y·log_softmax(x)` when the logits have 4,096 elements or more (YNNPACK's
/// row sums): m = the row's max (NaN if any value is), s = x − m, e = XLA-exp(s),
/// S = Σ e, L = XLA-log(S), loss = −Σ y·(s − L), sums in YNNPACK's order, every operand
/// and result flushed. With `grad`, the gradient of the summed losses as the trace's
/// backward pass forms it: (Σy / S)·e − y. `scratch` holds `classes` floats.
void LK_NAME(lk_optax_softmax_xent_rows)(const float *logits, const float *labels, size_t rows, size_t classes,
                                         float *loss, float *grad, float *scratch) {
  for (size_t r = 0; r < rows; r++) {
    const float *x = logits + r * classes, *y = labels + r * classes;
    float minimum;
    const float m = dazf(row_max_and_min(x, classes, &minimum));  // as in the sparse kernel
    float *e = grad ? grad + r * classes : scratch;
    float sum;
    if (__builtin_isfinite(m)) {
      sum = minimum - m >= -87.0f ? ynn_exp_sum_tiled(x, classes, m, 1, e, 0) : ynn_exp_sum_tiled(x, classes, m, 0, e, 0);
    } else {
      for (size_t j = 0; j < classes; j++) e[j] = xla_expf(ftzf(dazf(x[j]) - m));
      sum = ynn_sum_tiled(e, classes, lk_ynn_sum_f32);
    }
    const float log_sum = ftzf(xla_logf(sum));
    // With the gradient, e is in the gradient's row and the products go to scratch.
    float *products = scratch;
    size_t j = 0;
    for (; j + 16 <= classes; j += 16) {
      // The streaming loop of the row: the next row's logits and labels are fetched here.
      prefetch_ahead(x + j);
      prefetch_ahead(y + j);
      const lk_v16f p = v16_ftz(v16_ftz(v16_load(y + j)) * v16_ftz(v16_ftz(v16_ftz(v16_load(x + j)) - m) - log_sum));
      memcpy(products + j, &p, sizeof p);
    }
    for (; j < classes; j++) products[j] = ftzf(dazf(y[j]) * ftzf(ftzf(dazf(x[j]) - m) - log_sum));
    loss[r] = -ynn_sum_tiled(products, classes, ynn_sum16);
    if (!grad) continue;
    // d(s − L)/dL gathers −(−y) = y over the row; log′ = g/S; exp′ = g·e; s gets −y too.
    for (size_t j = 0; j < classes; j++) scratch[j] = ftzf(y[j]);
    const float through = ftzf(ynn_sum_tiled(scratch, classes, ynn_sum16) / sum);
    for (size_t j = 0; j < classes; j++) e[j] = ftzf(ftzf(through * e[j]) + ftzf(-y[j]));
  }
}

// MARK: - optax's squared_error, l2_loss and huber_loss, as the JAX policy traces them

/// One element of `kind` (LK_OPTAX_SQUARED_ERROR, LK_OPTAX_L2, LK_OPTAX_HUBER) and, with
/// `grad`, the gradient of the summed loss with respect to the prediction, in the trace's
/// operations and order (every operand and result flushed, JAX's rules: abs′ is
/// select(e ≥ 0, g, −g), a tie of minimum halves the gradient).
LK_STATIC float optax_regression_one(int kind, float p, float t, float delta, float *grad) {
  const float e = ftzf(ftzf(p) - ftzf(t));
  if (kind != LK_OPTAX_HUBER) {
    const float squared = ftzf(e * e);
    if (kind == LK_OPTAX_SQUARED_ERROR) {
      if (grad) *grad = ftzf(1.0f * ftzf(e * 2.0f));
      return squared;
    }
    if (grad) *grad = ftzf(ftzf(1.0f * 0.5f) * ftzf(e * 2.0f));
    return ftzf(squared * 0.5f);
  }
  const float absolute = __builtin_fabsf(e);
  const float q = (absolute != absolute) ? __builtin_nanf("") : (absolute <= delta ? absolute : delta);
  const float linear = ftzf(absolute - q);
  const float loss = ftzf(ftzf(ftzf(q * q) * 0.5f) + ftzf(linear * delta));
  if (grad) {
    // d linear = 1·δ; d square = 1·0.5; d q = 0.5·(2q), then + (−d linear).
    const float d_linear = ftzf(1.0f * delta);
    const float d_q = ftzf(ftzf(ftzf(1.0f * 0.5f) * ftzf(q * 2.0f)) + -d_linear);
    // minimum(|e|, δ): |e| gets d_q where it is the minimum, half of it on a tie.
    const int mine = absolute == q, theirs = delta == q;
    const float share = mine ? (theirs ? 0.5f : 1.0f) : 0.0f;
    const float d_abs = ftzf(d_linear + ftzf(d_q * share));
    *grad = e >= 0.0f ? d_abs : -d_abs;
  }
  return loss;
}

void LK_NAME(lk_optax_regression)(int kind, const float *p, const float *t, size_t count, float delta, float *loss,
                                  float *grad) {
  if (!grad) {
    for (size_t i = 0; i < count; i++) loss[i] = optax_regression_one(kind, p[i], t[i], delta, 0);
    return;
  }
  for (size_t i = 0; i < count; i++) loss[i] = optax_regression_one(kind, p[i], t[i], delta, grad + i);
}

// MARK: - XLA's elementary functions over arrays (the JAX policy's traced unary ops)

// One loop per function, so that each compiles with the variant's FMA inline (the
// portable build calls the C library's fma) and can be vectorised; the same bits in every
// variant. Op codes: 0 log, 1 exp, 2 log1p, 3 logistic, 4 expm1, 5 tanh.
#define LK_XLA_UNARY(name, T, log_, exp_, log1p_, logistic_, expm1_, tanh_) \
  void LK_NAME(name)(int op, const T *x, T *y, size_t n) {                  \
    switch (op) {                                                           \
    case 0: for (size_t i = 0; i < n; i++) y[i] = log_(x[i]); break;        \
    case 1: for (size_t i = 0; i < n; i++) y[i] = exp_(x[i]); break;        \
    case 2: for (size_t i = 0; i < n; i++) y[i] = log1p_(x[i]); break;      \
    case 3: for (size_t i = 0; i < n; i++) y[i] = logistic_(x[i]); break;   \
    case 4: for (size_t i = 0; i < n; i++) y[i] = expm1_(x[i]); break;      \
    default: for (size_t i = 0; i < n; i++) y[i] = tanh_(x[i]);             \
    }                                                                       \
  }

LK_XLA_UNARY(lk_xla_unary_f32, float, xla_logf, xla_expf, xla_log1pf, xla_sigmoidf, xla_expm1f, xla_tanhf)
LK_XLA_UNARY(lk_xla_unary_f64, double, xla_log, xla_exp, xla_log1p, xla_sigmoid, xla_expm1, xla_tanh)
#undef LK_XLA_UNARY
