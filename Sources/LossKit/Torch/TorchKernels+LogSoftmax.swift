extension TorchKernels {
  /// The vector width of torch's softmax kernels (they register AVX512 kernels: 16
  /// floats, 8 doubles). Measured: with 16 lanes 94–96% of float32 `log_softmax` rows of
  /// 8–50 classes agree bit-for-bit (the rest differ by SLEEF's `exp`/`log`), with 8
  /// lanes 78–92%.
  static func softmaxLanes<S: LossScalar>(_: S.Type) -> Int { S.self == Float.self ? 16 : 8 }

  /// `log_softmax(x, dim)` (ATen's CPU kernel) with its backward
  /// `grad − exp(output) · Σ_dim grad`. Over the last dimension the forward's `exp` and
  /// `log` are the vector kernel's (``TorchVectorMath``, SLEEF in float32); over another
  /// they are the C library's (closer to torch on the corpus's K-dimensional
  /// CrossEntropyLoss cases than SLEEF's, measured). The backward
  /// takes SLEEF's `exp`, and its multiply and subtract are one FMA, as GCC contracted
  /// them in torch's build (measured: only `fma(−exp(y), Σg, g)` reproduces torch's
  /// float32 gradient; float64 CrossEntropyLoss gradients 87.3% → 92.9%).
  ///
  /// Over the last dimension (`_vec_log_softmax_lastdim`) the row sum of `exp(x − max)`
  /// is a vector reduction: lanes accumulate whole vectors, the tail is added into the
  /// first lanes, and the lanes are combined pairwise (halving); rows shorter than a
  /// vector are summed in order. Over another dimension (`_vec_log_softmax`) each
  /// position sums along the dimension in order. The output is `(x − max) − log(sum)`.
  static func logSoftmax<S: LossScalar>(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, dim: Int) -> LossTrace<S>.Value {
    let input = t[x]
    let shape = input.shape
    let dimSize = shape[dim]
    let inner = shape[(dim + 1)...].reduce(1, *)
    let outer = shape[..<dim].reduce(1, *)
    let lanes = softmaxLanes(S.self)
    let lastDim = inner == 1
    var out = input.scalars
    if dimSize > 0 {
      for o in 0..<outer {
        for i in 0..<inner {
          let base = o * dimSize * inner + i
          let row = (0..<dimSize).map { input.scalars[base + $0 * inner] }
          let maximum: S
          let sum: S
          if lastDim {
            maximum = row.reduce(-S.infinity) { Kernels.maximum($0, $1) }
            sum = vectorSum(row.map { TorchVectorMath.exp($0 - maximum) }, lanes: lanes)
          } else {
            maximum = row.reduce(-S.infinity) { $1 > $0 ? $1 : $0 }
            sum = row.reduce(S(0)) { $0 + S.exp($1 - maximum) }
          }
          let logSum = lastDim ? TorchVectorMath.log(sum) : S.log(sum)
          for k in 0..<dimSize { out[base + k * inner] = row[k] - maximum - logSum }
        }
      }
    }
    let output = Tensor(shape: shape, scalars: out)
    return t.kernel("log_softmax", x, value: output) { g in
      var grad = g.scalars
      for o in 0..<outer {
        for i in 0..<inner {
          let base = o * dimSize * inner + i
          let gRow = (0..<dimSize).map { g.scalars[base + $0 * inner] }
          let total = lastDim ? pairwiseVectorSum(gRow, lanes: lanes) : gRow.reduce(S(0), +)
          for k in 0..<dimSize {
            let index = base + k * inner
            // g − exp(y)·Σg contracted into one FMA by torch's compiler (measured).
            grad[index] = g.scalars[index].addingProduct(-TorchVectorMath.exp(output.scalars[index]), total)
          }
        }
      }
      return Tensor(shape: shape, scalars: grad)
    }
  }

  /// `vec::map_reduce_all` with `+`: whole vectors accumulate lane-wise, the tail is
  /// added into the first lanes, then the lanes are combined pairwise; a row shorter
  /// than one vector is summed in order.
  static func vectorSum<S: LossScalar>(_ values: [S], lanes: Int) -> S {
    let n = values.count
    guard n >= lanes else { return values.dropFirst().reduce(values.first ?? 0, +) }
    var accumulator = Array(values[0..<lanes])
    var d = lanes
    while d < n - n % lanes {
      for k in 0..<lanes { accumulator[k] += values[d + k] }
      d += lanes
    }
    for k in 0..<(n - d) { accumulator[k] += values[d + k] }
    return horizontalSum(accumulator)
  }

  /// `vec::reduce_all` with `+` (the backward's row sum): the same as ``vectorSum(_:lanes:)``.
  static func pairwiseVectorSum<S: LossScalar>(_ values: [S], lanes: Int) -> S { vectorSum(values, lanes: lanes) }

  /// `vec_reduce_all` on one vector: halves added pairwise until one lane is left.
  static func horizontalSum<S: LossScalar>(_ lanes: [S]) -> S {
    var v = lanes
    var width = v.count
    while width > 1 {
      width /= 2
      for k in 0..<width { v[k] = v[k] + v[k + width] }
    }
    return v[0]
  }
}
