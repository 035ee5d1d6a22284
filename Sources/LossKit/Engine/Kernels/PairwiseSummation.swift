/// Sums in the order NumPy adds the elements of a contiguous float array: `np.sum`,
/// `np.mean`, `np.average` and every `add.reduce` over an innermost axis call
/// `pairwise_sum` (numpy/_core/src/umath/loops_utils.h.src).
///
/// Fewer than 8 elements are added one by one from zero. Up to 128 (`PW_BLOCKSIZE`),
/// eight accumulators start from the first eight elements and take every eighth
/// element after them; they are combined as `((r0 + r1) + (r2 + r3)) + ((r4 + r5) +
/// (r6 + r7))` and the `n mod 8` leftover elements are added one by one. Longer runs
/// are split at `n/2` rounded down to a multiple of 8 and each half summed
/// recursively. The reduction adds the result to its identity, `0 + sum` (which turns
/// a `-0.0` sum into `+0.0`). float32 accumulates in float32, float64 in float64.
///
/// A reduction over an outer axis (`a.sum(axis=0)` of an `(n, k)` array with `k > 1`)
/// does not go through this: NumPy's iterator puts the kept axis innermost and adds
/// row after row, which is the engine's sequential outer-axis reduction. Checked
/// bit-for-bit against NumPy 2.4.6 (`Tests/Fixtures/numpy/sums.json`, written by
/// `Tools/fixtures/make_numpy_sums.py`).
enum PairwiseSummation {
  /// NumPy's `PW_BLOCKSIZE`.
  static let blockSize = 128

  /// `0 + pairwise_sum(x[start ..< start + count])`, as `np.add.reduce` returns it.
  static func reduce<S: LossScalar>(_ x: UnsafeBufferPointer<S>, start: Int, count: Int) -> S {
    0 + pairwiseSum(x, start: start, count: count)
  }

  /// `pairwise_sum` itself.
  static func pairwiseSum<S: LossScalar>(_ x: UnsafeBufferPointer<S>, start: Int, count n: Int) -> S {
    if n < 8 {
      var total: S = 0
      for i in start..<(start + n) { total += x[i] }
      return total
    }
    if n <= blockSize {
      var r0 = x[start], r1 = x[start + 1], r2 = x[start + 2], r3 = x[start + 3]
      var r4 = x[start + 4], r5 = x[start + 5], r6 = x[start + 6], r7 = x[start + 7]
      var i = 8
      while i < n - n % 8 {
        let b = start + i
        r0 += x[b]
        r1 += x[b + 1]
        r2 += x[b + 2]
        r3 += x[b + 3]
        r4 += x[b + 4]
        r5 += x[b + 5]
        r6 += x[b + 6]
        r7 += x[b + 7]
        i += 8
      }
      var total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
      while i < n {
        total += x[start + i]
        i += 1
      }
      return total
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(x, start: start, count: half) + pairwiseSum(x, start: start + half, count: n - half)
  }
}
