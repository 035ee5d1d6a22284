/// Sums in the order TensorFlow's CPU kernels add, so float32 results match TF's to the
/// bit rather than to a few ulps. (A loss like `log(Σ exp)` near 1 turns one ulp of
/// the sum into a 1e-3 relative error.)
///
/// TensorFlow reduces with Eigen. A reduction over contiguous (innermost) elements uses
/// Eigen's `InnerMostDimReducer`: four packet accumulators of `P` lanes (P = 8 floats or
/// 4 doubles with AVX) take `4P` elements per step, are added together, then further
/// whole packets go into the first accumulator, the leftover elements are summed one
/// by one from zero, and the result is `leftover + predux(packet)`, where `predux`
/// adds lanes pairwise (`((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7))`). Above `P·1024`
/// elements the range is split in two at a packet boundary and each half reduced
/// recursively. A reduction over an outer axis accumulates sequentially. These rules
/// were checked bit-for-bit against `tf.reduce_sum` in TensorFlow 2.21 for sums of up to
/// 10⁶ floats and doubles.
enum EigenSummation {
  static let leafSize = 1024

  /// The sum of `count` contiguous values starting at `start`; `first` is the absolute
  /// index of the first value in the reduced tensor (it aligns the tree's split).
  static func innerSum<S: LossScalar>(
    _ x: UnsafeBufferPointer<S>, start: Int, count: Int, first: Int, packet p: Int
  ) -> S {
    if let (left, rightFirst) = split(count: count, first: first, packet: p) {
      var total: S = 0 + innerSum(x, start: start, count: left, first: first, packet: p)
      if left < count {
        total = total + innerSum(x, start: start + left, count: count - left, first: rightFirst, packet: p)
      }
      return total
    }
    return leafSum(x, start: start, count: count, packet: p)
  }

  /// Where Eigen's tree splits a range of `count` values whose first has absolute index
  /// `first`: the left part's length and the right part's first index, or nil when the
  /// range is one leaf (at most `packet·1024` values).
  static func split(count: Int, first: Int, packet p: Int) -> (left: Int, rightFirst: Int)? {
    guard count > p * leafSize else { return nil }
    let half = (count + 1) / 2
    let boundary = p * ((first + half + p - 1) / p)
    return (min(boundary - first, count), boundary)
  }

  static func leafSum<S: LossScalar>(_ x: UnsafeBufferPointer<S>, start: Int, count: Int, packet p: Int) -> S {
    if count < p {
      var scalar: S = 0
      for i in start..<(start + count) { scalar += x[i] }
      return scalar
    }
    return withUnsafeTemporaryAllocation(of: S.self, capacity: 4 * p) { lanes in
      lanes.initialize(repeating: 0)
      var offset = 0
      if count >= 4 * p {
        let unrolled = (count / (4 * p)) * (4 * p)
        while offset < unrolled {
          for q in 0..<(4 * p) { lanes[q] += x[start + offset + q] }
          offset += 4 * p
        }
        for q in 1..<4 {
          for lane in 0..<p { lanes[lane] += lanes[q * p + lane] }
        }
      }
      while offset + p <= count {
        for lane in 0..<p { lanes[lane] += x[start + offset + lane] }
        offset += p
      }
      var scalar: S = 0
      while offset < count {
        scalar += x[start + offset]
        offset += 1
      }
      return scalar + horizontalSum(lanes, p)
    }
  }

  /// Eigen's `predux`: halve the packet by adding its upper half to its lower half
  /// until one lane is left.
  static func horizontalSum<S: LossScalar>(_ lanes: UnsafeMutableBufferPointer<S>, _ p: Int) -> S {
    var width = p
    while width > 1 {
      width /= 2
      if width == 1 {
        return lanes[0] + lanes[1]
      }
      for lane in 0..<width { lanes[lane] = lanes[lane] + lanes[lane + width] }
    }
    return lanes[0]
  }
}
