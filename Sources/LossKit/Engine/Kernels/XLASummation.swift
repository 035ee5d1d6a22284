import CLossKitKernels

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
/// From 4096 elements XLA hands the reduction to YNNPACK (a `__ynn_fusion`): float32 sums
/// over the last axis or over every axis of rank 1 or 2 follow its order (``ynnSums``);
/// the rest (float64, other axes) are summed sequentially. LLVM's loop
/// vectoriser may also reassociate a multi-dimensional window (the `fadd` carries
/// `reassoc`), e.g. a full `jnp.sum` of an `(8, 5)` array: sums there agree to rounding.
enum XLASummation {
  /// The sum of each output's elements of `x` reduced over the axes in `reduced`, in
  /// XLA's order, one per output in row-major order (``Kernels/reduce(_:_:axes:keepDims:_:)``
  /// shapes them, divides a mean and flushes).
  static func sums<S: LossScalar>(
    _ x: Tensor<S>, reduced: Set<Int>, window: Int, largeReduction: Int, _ environment: KernelEnvironment
  ) -> [S] {
    let keptAxes = (0..<x.rank).filter { !reduced.contains($0) }
    let reducedAxes = (0..<x.rank).filter { reduced.contains($0) }
    let keptDims = keptAxes.map { x.shape[$0] }
    let outCount = Shape.count(keptDims)
    let blockDims = reducedAxes.map { x.shape[$0] }
    let blockCount = Shape.count(blockDims)
    let strides = Shape.strides(x.shape)
    let useTree = x.count < largeReduction
    if !useTree, S.self == Float.self, let sums = ynnSums(x as! Tensor<Float>, reduced: reduced) {
      return sums.map { environment.flushed(S(Double($0))) }
    }

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
    return out
  }

  /// YNNPACK's sums, for a float32 reduction of `largeReduction` elements or more over
  /// the last axis, or over every axis of a tensor of rank 1 or 2 (measured against jax
  /// 0.10.2 on a 2-core machine, 980 of 980 inputs bit for bit): its kernel
  /// (``lk_ynn_sum_f32``) over each run of at most 32,768 elements (a tile), then, when a
  /// run was cut into tiles, once more over the tiles' sums. Nil for other reductions,
  /// whose order is not known (they are summed sequentially).
  ///
  /// Full sums of a 2-D `(R, C)` array take tiles of `s1 = max(1, min(32768 / C, R))`
  /// whole rows when `C ≤ 32768`, otherwise 32,768-element pieces of each row. (With one
  /// CPU, XLA does not tile a reduction without a fused producer; not modelled.)
  static func ynnSums(_ x: Tensor<Float>, reduced: Set<Int>) -> [Float]? {
    let rank = x.rank
    guard rank >= 1 else { return nil }
    let tile = 32768
    return x.scalars.withUnsafeBufferPointer { values -> [Float]? in
      let base = values.baseAddress!
      func kernel(_ start: UnsafePointer<Float>, _ count: Int) -> Float { lk_ynn_sum_f32(start, count) }
      func row(_ start: UnsafePointer<Float>, _ count: Int) -> Float {
        guard count > tile else { return kernel(start, count) }
        let partials = stride(from: 0, to: count, by: tile).map { kernel(start + $0, Swift.min(tile, count - $0)) }
        return partials.withUnsafeBufferPointer { kernel($0.baseAddress!, $0.count) }
      }
      let columns = x.shape[rank - 1]
      if reduced == [rank - 1] {
        let rows = columns == 0 ? 0 : x.count / columns
        return (0..<rows).map { row(base + $0 * columns, columns) }
      }
      guard reduced.count == rank, rank <= 2 else { return nil }
      let rows = rank == 2 ? x.shape[0] : 1
      if columns > tile {
        var partials: [Float] = []
        for r in 0..<rows {
          for c in stride(from: 0, to: columns, by: tile) { partials.append(kernel(base + r * columns + c, Swift.min(tile, columns - c))) }
        }
        return [partials.withUnsafeBufferPointer { kernel($0.baseAddress!, $0.count) }]
      }
      let tileRows = Swift.max(1, Swift.min(tile / Swift.max(columns, 1), rows))
      if tileRows >= rows { return [kernel(base, x.count)] }
      let partials = stride(from: 0, to: rows, by: tileRows).map {
        kernel(base + $0 * columns, (Swift.min($0 + tileRows, rows) - $0) * columns)
      }
      return [partials.withUnsafeBufferPointer { kernel($0.baseAddress!, $0.count) }]
    }
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
    // Which window (`outer.index`) and which position inside it (`inner.index`).
    var outer = StridedWalk(shape: counts, strides: [])
    for p in 0..<partialCount {
      var total: S = 0
      var inner = StridedWalk(shape: windows, strides: [])
      for _ in 0..<windowCount {
        // The element at padded position window·w + inner, if it is not padding.
        var offset = 0
        var isPadding = false
        for d in 0..<dims.count {
          let i = outer.index[d] * windows[d] + inner.index[d] - front[d]
          if i < 0 || i >= dims[d] { isPadding = true; break }
          offset += i * blockStrides[d]
        }
        if !isPadding { total = environment.flushed(total + block[offset]) }
        inner.advance()
      }
      partials[p] = total
      outer.advance()
    }
    return treeSum(partials, dims: counts, window: window, environment)
  }

  /// One accumulator from 0, in order.
  static func sequentialSum<S: LossScalar>(_ values: ArraySlice<S>, _ environment: KernelEnvironment) -> S {
    var total: S = 0
    for v in values { total = environment.flushed(total + v) }
    return total
  }
}
