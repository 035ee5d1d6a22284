/// How a reduction combines the elements it visits.
public enum ReduceOp: String, Sendable {
  case sum
  case mean
  case max
  case prod
}

extension Kernels {
  /// Reduces `x` over `axes` (every axis when nil).
  ///
  /// Sums accumulate in `Double` and round once to `S`: TensorFlow's CPU sums are tree
  /// reductions whose result is within a few ulps of the exact sum, and a wide
  /// accumulator lands within one. A mean rounds the sum to `S` first and then divides
  /// by the count in `S`, as Eigen's mean reducer does.
  @inlinable
  static func reduce<S: LossScalar>(
    _ op: ReduceOp, _ x: Tensor<S>, axes: [Int]?, keepDims: Bool
  ) -> Tensor<S> {
    let rank = x.rank
    let reduced = Set(axes ?? Array(0..<rank))
    let outShapeKept = (0..<rank).map { reduced.contains($0) ? 1 : x.shape[$0] }
    let outShape = keepDims ? outShapeKept : (0..<rank).filter { !reduced.contains($0) }.map { x.shape[$0] }
    let outCount = Shape.count(outShapeKept)
    let groupSize = outCount == 0 ? 0 : x.count / max(outCount, 1)

    var sums = Array(repeating: 0.0, count: outCount)
    var maxima = Array(repeating: -S.infinity, count: op == .max ? outCount : 0)
    var products = Array(repeating: S(1), count: op == .prod ? outCount : 0)

    // Map each input element to its output slot with an odometer over the input index.
    let outStrides = broadcastStrides(outShapeKept, to: x.shape)
    var index = Array(repeating: 0, count: rank)
    var slot = 0
    x.scalars.withUnsafeBufferPointer { values in
      for i in 0..<values.count {
        let v = values[i]
        switch op {
        case .sum, .mean: sums[slot] += Double(v)
        case .max: maxima[slot] = (v.isNaN || maxima[slot].isNaN) ? S.nan : Swift.max(maxima[slot], v)
        case .prod: products[slot] *= v
        }
        var d = rank - 1
        while d >= 0 {
          index[d] += 1
          slot += outStrides[d]
          if index[d] < x.shape[d] { break }
          slot -= outStrides[d] * x.shape[d]
          index[d] = 0
          d -= 1
        }
      }
    }
    let scalars: [S]
    switch op {
    case .sum: scalars = sums.map { S(accumulated: $0) }
    case .mean: scalars = sums.map { S(accumulated: $0) / S(groupSize) }
    case .max: scalars = maxima
    case .prod: scalars = products
    }
    return Tensor(shape: outShape, scalars: scalars)
  }

  /// Sums `gradient` (of the broadcast shape) back down to `shape`: the gradient of a
  /// broadcast, TF's `_ReduceGradientArgs`.
  @inlinable
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
