/// How a reduction combines the elements it visits.
public enum ReduceOp: String, Sendable {
  case sum
  case mean
  case max
}

extension Kernels {
  /// Reduces `x` over `axes` (every axis when nil), in TensorFlow's order.
  ///
  /// Like TensorFlow, the shape is first simplified: size-1 dimensions are dropped and
  /// neighbouring dimensions that are both reduced or both kept are merged. A reduction
  /// of trailing (contiguous) elements sums each run with ``EigenSummation``; a
  /// reduction of leading or middle dimensions accumulates sequentially in `S`. A mean
  /// divides the sum by the count in `S`, as Eigen's mean reducer does.
  static func reduce<S: LossScalar>(
    _ op: ReduceOp, _ x: Tensor<S>, axes: [Int]?, keepDims: Bool
  ) -> Tensor<S> {
    let rank = x.rank
    let reduced = Set(axes ?? Array(0..<rank))
    let keptShape = (0..<rank).map { reduced.contains($0) ? 1 : x.shape[$0] }
    let outShape = keepDims ? keptShape : (0..<rank).filter { !reduced.contains($0) }.map { x.shape[$0] }
    let outCount = Shape.count(keptShape)
    let groupSize = outCount == 0 ? 0 : x.count / outCount

    // Collapse to runs of (size, reduced), TensorFlow's ReductionHelper.
    var runs: [(size: Int, reduced: Bool)] = []
    for d in 0..<rank where x.shape[d] != 1 {
      let isReduced = reduced.contains(d)
      if let last = runs.last, last.reduced == isReduced {
        runs[runs.count - 1].size *= x.shape[d]
      } else {
        runs.append((x.shape[d], isReduced))
      }
    }

    var out = [S](repeating: op == .max ? -S.infinity : 0, count: outCount)
    x.scalars.withUnsafeBufferPointer { values in
      func combine(_ accumulator: inout S, _ v: S) {
        switch op {
        case .sum, .mean: accumulator += v
        case .max: accumulator = (v.isNaN || accumulator.isNaN) ? S.nan : Swift.max(accumulator, v)
        }
      }
      let pattern = runs.map(\.reduced)
      if groupSize == 0 || outCount == 0 {
        return
      } else if !pattern.contains(true) {
        for i in 0..<outCount { out[i] = values[i] }
      } else if pattern.last == true && pattern.dropLast().allSatisfy({ !$0 }) && (op == .sum || op == .mean) {
        // Innermost runs: Eigen's packet tree per output.
        for row in 0..<outCount {
          out[row] = EigenSummation.innerSum(values, start: row * groupSize, count: groupSize, first: row * groupSize)
        }
      } else if let r = pattern.firstIndex(of: true), pattern.lastIndex(of: true) == r {
        // One reduced run between kept ones: sequential over it.
        let inner = runs[(r + 1)...].reduce(1) { $0 * $1.size }
        let length = runs[r].size
        for o in 0..<(outCount / inner) {
          for i in 0..<inner {
            var accumulator = out[o * inner + i]
            for k in 0..<length { combine(&accumulator, values[(o * length + k) * inner + i]) }
            out[o * inner + i] = accumulator
          }
        }
      } else {
        // Several separate reduced runs: sequential in element order.
        var walk = StridedWalk(shape: x.shape, strides: [broadcastStrides(keptShape, to: x.shape)])
        for i in 0..<values.count {
          combine(&out[walk.offsets[0]], values[i])
          walk.advance()
        }
      }
    }
    if op == .mean {
      let divisor = S(groupSize)
      for i in 0..<out.count { out[i] = out[i] / divisor }
    }
    return Tensor(shape: outShape, scalars: out)
  }

  /// The Eigen-ordered sum of one contiguous row.
  static func rowSum<S: LossScalar>(_ row: ArraySlice<S>, first: Int) -> S {
    row.withUnsafeBufferPointer { EigenSummation.innerSum($0, start: 0, count: $0.count, first: first) }
  }

  /// Sums `gradient` (of the broadcast shape) back down to `shape`: the gradient of a
  /// broadcast, TF's `_ReduceGradientArgs`.
  static func unbroadcast<S: LossScalar>(_ gradient: Tensor<S>, to shape: [Int]) -> Tensor<S> {
    if gradient.shape == shape { return gradient }
    let offset = gradient.rank - shape.count
    var axes: [Int] = Array(0..<offset)
    for d in 0..<shape.count where shape[d] == 1 && gradient.shape[d + offset] != 1 {
      axes.append(d + offset)
    }
    let summed = reduce(.sum, gradient, axes: axes, keepDims: true)
    return summed.reshaped(to: shape)
  }
}
