/// Sums in the order of ATen's `cascade_sum` (`aten/src/ATen/native/cpu/SumKernel.cpp`),
/// which torch's CPU `sum` and `mean` use for float32 and float64 (accumulating in the
/// dtype itself), so that float32 sums match torch's to the bit.
///
/// The building block is `multi_row_sum`: `count` steps, each adding one block of lanes
/// into the first of four levels of accumulators; after every `2^p` steps
/// (`p = max(4, ⌈log₂ count⌉ / 4)`) level 0 is added into level 1 and cleared, and the
/// carry continues into the next level while the step index is a multiple of `2^(p·j)`.
/// Leftover steps go into level 0, and finally levels 1–3 are added into level 0.
/// `row_sum` splits its items into four interleaved rows (`i mod 4`) summed by
/// `multi_row_sum`, adds the items past the last full group of four into row 0, then
/// rows 1, 2, 3 into row 0.
///
/// - A contiguous run of `n ≥ L` values (`L` the vector lanes) is `row_sum` over the
///   `⌊n / L⌋` vectors, lane by lane; the `n mod L` leftover values are added one by one
///   to zero, then the `L` lanes in order.
/// - A shorter contiguous run is `row_sum` over the values.
/// - A reduction over an outer axis (kept elements contiguous) reduces each kept column
///   with `multi_row_sum` when the column falls in a block of four vectors
///   (`vectorized_outer_sum`) or of four scalars (`scalar_outer_sum`), and with
///   `row_sum` for the columns left over after those blocks.
///
/// Checked bit-for-bit against `torch.sum` (torch 2.15.0, one thread) for float32 and
/// float64 sums of 1 to 40,000 values.
enum CascadeSummation {
  private static let levels = 4
  private static let interleave = 4

  /// torch's `utils::CeilLog2` (also the fused cascade's and `nll_loss`'s).
  static func ceilLog2(_ x: Int) -> Int {
    if x <= 2 { return 1 }
    return (Int.bitWidth - (x - 1).leadingZeroBitCount)
  }

  /// `multi_row_sum` over `count` steps of `width` lanes; `load(step, lane)`.
  static func multiRowSum<S: LossScalar>(count: Int, width: Int, _ load: (Int, Int) -> S) -> [S] {
    let power = max(4, ceilLog2(count) / levels)
    let step = 1 << power
    let mask = step - 1
    var accumulators = [[S]](repeating: [S](repeating: 0, count: width), count: levels)
    var i = 0
    while i + step <= count {
      for _ in 0..<step {
        for k in 0..<width { accumulators[0][k] += load(i, k) }
        i += 1
      }
      for j in 1..<levels {
        for k in 0..<width {
          accumulators[j][k] += accumulators[j - 1][k]
          accumulators[j - 1][k] = 0
        }
        if i & (mask << (j * power)) != 0 { break }
      }
    }
    while i < count {
      for k in 0..<width { accumulators[0][k] += load(i, k) }
      i += 1
    }
    for j in 1..<levels {
      for k in 0..<width { accumulators[0][k] += accumulators[j][k] }
    }
    return accumulators[0]
  }

  /// `row_sum` over `count` items of `width` lanes; `load(item, lane)`.
  static func rowSum<S: LossScalar>(count: Int, width: Int, _ load: (Int, Int) -> S) -> [S] {
    let groups = count / interleave
    var partial = multiRowSum(count: groups, width: interleave * width) { step, lane in
      load(step * interleave + lane / width, lane % width)
    }
    for i in (groups * interleave)..<max(count, groups * interleave) {
      for k in 0..<width { partial[k] += load(i, k) }
    }
    for row in 1..<interleave {
      for k in 0..<width { partial[k] += partial[row * width + k] }
    }
    return Array(partial[0..<width])
  }

  /// The sum of `count` contiguous values from `start` (`vectorized_inner_sum` or the
  /// scalar `row_sum`).
  static func innerSum<S: LossScalar>(_ x: UnsafeBufferPointer<S>, start: Int, count: Int, lanes: Int) -> S {
    guard count >= lanes else {
      return rowSum(count: count, width: 1) { i, _ in x[start + i] }[0]
    }
    let vectors = count / lanes
    let lanesSum = rowSum(count: vectors, width: lanes) { i, lane in x[start + i * lanes + lane] }
    var total: S = 0
    for k in (vectors * lanes)..<count { total += x[start + k] }
    for k in 0..<lanes { total += lanesSum[k] }
    return total
  }

  /// The sum of column `column` (of `columns` kept, contiguous columns) over `length`
  /// rows `stride` apart, from `start`.
  static func columnSum<S: LossScalar>(
    _ x: UnsafeBufferPointer<S>, start: Int, length: Int, stride: Int, column: Int, columns: Int, lanes: Int
  ) -> S {
    // vectorized_outer_sum takes blocks of 4 vectors, scalar_outer_sum blocks of 4 columns;
    // both reduce those with multi_row_sum, the remaining columns with row_sum.
    let block = columns >= lanes ? interleave * lanes : interleave
    let load: (Int, Int) -> S = { i, _ in x[start + i * stride] }
    if column < (columns / block) * block {
      return multiRowSum(count: length, width: 1, load)[0]
    }
    return rowSum(count: length, width: 1, load)[0]
  }
}
