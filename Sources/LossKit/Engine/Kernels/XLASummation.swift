/// The order in which XLA's CPU backend (JAX) adds the terms of a reduction.
///
/// Measured on jax/jaxlib 0.10.2 (`XLA_FLAGS=--xla_dump_to=...` shows the rewritten HLO,
/// and numpy replays of the order match `jnp.sum` bit for bit): before code generation,
/// XLA's `TreeReductionRewriter` rewrites a `reduce` whose operand has fewer than 4096
/// elements into a `reduce-window` and a smaller `reduce`:
/// - every reduced dimension of at least 32 elements gets windows of 32, the dimension
///   padded with zeros up to a multiple of 32 — `⌊pad/2⌋` in front, the rest behind
///   (`f32[37]` → `window={size=32 stride=32 pad=13_14}`, two window sums);
/// - shorter reduced dimensions are covered by one window;
/// - each window is summed from 0 in row-major order over its dimensions, and the window
///   sums are reduced again by the same rule until no dimension reaches 32.
/// From 4096 elements XLA hands the reduction to YNNPACK (a `__ynn_fusion`), whose
/// vectorised order this does not reproduce; those are summed sequentially. LLVM's loop
/// vectoriser may also reassociate a multi-dimensional window (the `fadd` carries
/// `reassoc`), e.g. a full `jnp.sum` of an `(8, 5)` array: sums there agree to rounding.
enum XLASummation {
  /// Reduces `x` over `axes` (all when nil) in XLA's order; `op` is `.sum` or `.mean`
  /// (the sum divided by the count, as `jnp.mean` does).
  static func reduce<S: LossScalar>(
    _ op: ReduceOp, _ x: Tensor<S>, axes: [Int]?, keepDims: Bool, window: Int, largeReduction: Int,
    _ environment: KernelEnvironment
  ) -> Tensor<S> {
    let rank = x.rank
    let reduced = Set(axes ?? Array(0..<rank))
    let keptAxes = (0..<rank).filter { !reduced.contains($0) }
    let reducedAxes = (0..<rank).filter { reduced.contains($0) }
    let keptShape = (0..<rank).map { reduced.contains($0) ? 1 : x.shape[$0] }
    let outShape = keepDims ? keptShape : keptAxes.map { x.shape[$0] }
    let outCount = Shape.count(keptShape)
    let blockDims = reducedAxes.map { x.shape[$0] }
    let blockCount = Shape.count(blockDims)
    let strides = Shape.strides(x.shape)
    let useTree = x.count < largeReduction

    var out = [S](repeating: 0, count: outCount)
    var block = [S](repeating: 0, count: blockCount)
    x.scalars.withUnsafeBufferPointer { values in
      // The offset of each output's first element, and of each block element from it.
      var blockOffsets = [Int](repeating: 0, count: blockCount)
      if blockCount > 0 {
        var walk = StridedWalk(shape: blockDims, strides: [reducedAxes.map { strides[$0] }])
        for i in 0..<blockCount {
          blockOffsets[i] = walk.offsets[0]
          walk.advance()
        }
      }
      let keptDims = keptAxes.map { x.shape[$0] }
      var outer = StridedWalk(shape: keptDims, strides: [keptAxes.map { strides[$0] }])
      for o in 0..<outCount {
        let base = outer.offsets[0]
        for i in 0..<blockCount { block[i] = values[base + blockOffsets[i]] }
        out[o] = useTree
          ? treeSum(block, dims: blockDims, window: window, environment)
          : sequentialSum(block[...], environment)
        outer.advance()
      }
    }
    if op == .mean {
      let divisor = S(blockCount)
      for i in 0..<out.count { out[i] = out[i] / divisor }
    }
    return environment.flushed(Tensor(shape: outShape, scalars: out))
  }

  /// The sum of a row-major block of `dims` as XLA's tree rewrite orders it.
  static func treeSum<S: LossScalar>(_ block: [S], dims: [Int], window: Int, _ environment: KernelEnvironment) -> S {
    guard dims.contains(where: { $0 >= window }) else { return sequentialSum(block[...], environment) }
    // Per dimension: the window length, the number of windows, and the front padding.
    let windows = dims.map { $0 >= window ? window : $0 }
    let counts = zip(dims, windows).map { $1 == 0 ? 0 : ($0 + $1 - 1) / $1 }
    let front = zip(dims, windows).map { d, w -> Int in w == window ? ((d + w - 1) / w * w - d) / 2 : 0 }
    let blockStrides = Shape.strides(dims)
    let partialCount = Shape.count(counts)
    var partials = [S](repeating: 0, count: partialCount)
    let windowCount = Shape.count(windows)
    var windowIndex = [Int](repeating: 0, count: dims.count)
    for p in 0..<partialCount {
      var total: S = 0
      var inner = [Int](repeating: 0, count: dims.count)
      for _ in 0..<windowCount {
        // The element at padded position windowIndex·w + inner, if it is not padding.
        var offset = 0
        var isPadding = false
        for d in 0..<dims.count {
          let i = windowIndex[d] * windows[d] + inner[d] - front[d]
          if i < 0 || i >= dims[d] { isPadding = true; break }
          offset += i * blockStrides[d]
        }
        if !isPadding { total = environment.flushed(total + block[offset]) }
        advance(&inner, within: windows)
      }
      partials[p] = total
      advance(&windowIndex, within: counts)
    }
    return treeSum(partials, dims: counts, window: window, environment)
  }

  /// One accumulator from 0, in order.
  static func sequentialSum<S: LossScalar>(_ values: ArraySlice<S>, _ environment: KernelEnvironment) -> S {
    var total: S = 0
    for v in values { total = environment.flushed(total + v) }
    return total
  }

  /// Advances a row-major multi-index within `shape` (wrapping to zeros at the end).
  private static func advance(_ index: inout [Int], within shape: [Int]) {
    var d = shape.count - 1
    while d >= 0 {
      index[d] += 1
      if index[d] < shape[d] { return }
      index[d] = 0
      d -= 1
    }
  }
}
