/// How a reduction combines the elements it visits.
public enum ReduceOp: String, Sendable {
  case sum
  case mean
  case max
}

extension Kernels {
  /// Reduces `x` over `axes` (every axis when nil), in the order of the environment's
  /// ``SummationOrder``.
  ///
  /// Like TensorFlow, the shape is first simplified: size-1 dimensions are dropped and
  /// neighbouring dimensions that are both reduced or both kept are merged. A reduction
  /// of trailing (contiguous) elements sums each run in the summation order
  /// (``contiguousSum(_:start:count:first:_:)``); a reduction of leading or middle
  /// dimensions accumulates sequentially in `S` (torch: ATen's outer-sum cascade). XLA
  /// orders every sum, contiguous or not, by its tree rewrite (``XLASummation``). A mean
  /// divides the sum by the count in `S`, as Eigen's mean reducer does.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func reduce<S: LossScalar>(
    _ op: ReduceOp, _ x: Tensor<S>, axes: [Int]?, keepDims: Bool, _ environment: KernelEnvironment
  ) -> Tensor<S> {
    let rank = x.rank
    let reduced = Set(axes ?? Array(0..<rank))
    let keptShape = (0..<rank).map { reduced.contains($0) ? 1 : x.shape[$0] }
    let outShape = keepDims ? keptShape : (0..<rank).filter { !reduced.contains($0) }.map { x.shape[$0] }
    let outCount = Shape.count(keptShape)
    let groupSize = outCount == 0 ? 0 : x.count / outCount

    var out: [S]
    if case .xla(let window, let largeReduction) = environment.summation, op != .max {
      out = XLASummation.sums(x, reduced: reduced, window: window, largeReduction: largeReduction, environment)
    } else {
      out = [S](repeating: op == .max ? -S.infinity : 0, count: outCount)
      collapsedReduce(op, x, reduced: reduced, keptShape: keptShape, groupSize: groupSize, into: &out, environment)
    }
    if op == .mean {
      let divisor = S(groupSize)
      for i in 0..<out.count { out[i] = environment.divided(out[i], byConstant: divisor) }
    }
    return environment.flushed(Tensor(shape: outShape, scalars: out))
  }

  /// The sums (or maxima) of ``reduce(_:_:axes:keepDims:_:)`` for every order but XLA's,
  /// on TensorFlow's collapsed shape: into `out` (one per output of `keptShape`, each of
  /// `groupSize` elements, filled with the reduction's identity).
  private static func collapsedReduce<S: LossScalar>(
    _ op: ReduceOp, _ x: Tensor<S>, reduced: Set<Int>, keptShape: [Int], groupSize: Int, into out: inout [S],
    _ environment: KernelEnvironment
  ) {
    let outCount = out.count
    // Collapse to runs of (size, reduced), TensorFlow's ReductionHelper.
    var runs: [(size: Int, reduced: Bool)] = []
    for d in 0..<x.rank where x.shape[d] != 1 {
      let isReduced = reduced.contains(d)
      if let last = runs.last, last.reduced == isReduced {
        runs[runs.count - 1].size *= x.shape[d]
      } else {
        runs.append((x.shape[d], isReduced))
      }
    }

    x.scalars.withUnsafeBufferPointer { values in
      func combine(_ accumulator: inout S, _ v: S) {
        switch op {
        case .sum, .mean: accumulator = environment.flushed(accumulator + v)
        case .max: accumulator = (v.isNaN || accumulator.isNaN) ? S.nan : Swift.max(accumulator, v)
        }
      }
      let pattern = runs.map(\.reduced)
      if groupSize == 0 || outCount == 0 {
        return
      } else if !pattern.contains(true) {
        for i in 0..<outCount { out[i] = values[i] }
      } else if pattern.last == true && pattern.dropLast().allSatisfy({ !$0 }) && (op == .sum || op == .mean) {
        // Innermost runs: each output's run in the summation order.
        for row in 0..<outCount {
          out[row] = contiguousSum(values, start: row * groupSize, count: groupSize, first: row * groupSize, environment)
        }
      } else if let r = pattern.firstIndex(of: true), pattern.lastIndex(of: true) == r {
        // One reduced run between kept ones: sequential over it.
        let inner = runs[(r + 1)...].reduce(1) { $0 * $1.size }
        let length = runs[r].size
        if case .cascade(let floatLanes, let doubleLanes) = environment.summation, op != .max {
          // torch: each kept column reduced by ATen's outer-sum cascade.
          let lanes = S.self == Float.self ? floatLanes : doubleLanes
          for o in 0..<(outCount / inner) {
            for i in 0..<inner {
              out[o * inner + i] = CascadeSummation.columnSum(
                values, start: o * length * inner + i, length: length, stride: inner, column: i, columns: inner, lanes: lanes)
            }
          }
          return
        }
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
  }

  /// The sum of `count` contiguous values from `start`, in the environment's order;
  /// `first` is the position of the first value in the reduced tensor (Eigen's tree
  /// aligns its splits to it).
  static func contiguousSum<S: LossScalar>(
    _ x: UnsafeBufferPointer<S>, start: Int, count: Int, first: Int, _ environment: KernelEnvironment
  ) -> S {
    switch environment.summation {
    case .eigen(let floatPacket, let doublePacket):
      let packet = S.self == Float.self ? floatPacket : doublePacket
      return EigenSummation.innerSum(x, start: start, count: count, first: first, packet: packet)
    case .sequential:
      var total: S = 0
      for i in start..<(start + count) { total += x[i] }
      return total
    case .pairwise:
      return PairwiseSummation.reduce(x, start: start, count: count)
    case .cascade(let floatLanes, let doubleLanes):
      return CascadeSummation.innerSum(x, start: start, count: count, lanes: S.self == Float.self ? floatLanes : doubleLanes)
    case .xla(let window, let largeReduction):
      let row = Array(x[start..<(start + count)])
      return count < largeReduction
        ? XLASummation.treeSum(row, dims: [count], window: window, environment)
        : XLASummation.sequentialSum(row[...], environment)
    }
  }

  /// The sum of one contiguous row, in the environment's order.
  static func rowSum<S: LossScalar>(_ row: ArraySlice<S>, first: Int, _ environment: KernelEnvironment) -> S {
    row.withUnsafeBufferPointer { contiguousSum($0, start: 0, count: $0.count, first: first, environment) }
  }

  /// Sums `gradient` (of the broadcast shape) back down to `shape`: the gradient of a
  /// broadcast, TF's `_ReduceGradientArgs`.
  static func unbroadcast<S: LossScalar>(
    _ gradient: Tensor<S>, to shape: [Int], _ environment: KernelEnvironment
  ) -> Tensor<S> {
    if gradient.shape == shape { return gradient }
    let offset = gradient.rank - shape.count
    var axes: [Int] = Array(0..<offset)
    for d in 0..<shape.count where shape[d] == 1 && gradient.shape[d + offset] != 1 {
      axes.append(d + offset)
    }
    let summed = reduce(.sum, gradient, axes: axes, keepDims: true, environment)
    return summed.reshaped(to: shape)
  }
}
