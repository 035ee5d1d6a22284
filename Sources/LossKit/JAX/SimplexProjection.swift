extension JAXOps {
  /// `optax.projections.projection_simplex(v)` row by row over the last axis of a
  /// rank-2 tensor (the sparsemax of each row), as optax's `_projection_unit_simplex`
  /// (a `custom_jvp`) computes it: `u = sort(v)` descending, `c = cumsum(u)`,
  /// `k = #{i : 1/i + (u_i − c_i/i) > 0}`, `relu(1/k + (v − c_k/k))`. Its derivative on
  /// the support `s = (p > 0)` is `s·v̇ − (s·v̇ summed / |s|)·s`.
  static func projectionSimplexRows<S: LossScalar>(_ t: inout LossTrace<S>, _ scores: Value<S>) -> Value<S> {
    let shape = t.shape(scores)
    let (rows, n) = (shape[0], shape[1])
    let e = t.environment
    let values = t.operand(scores)
    var out = [S](repeating: 0, count: rows * n)
    for r in 0..<rows {
      let v = Array(values.scalars[(r * n)..<((r + 1) * n)])
      out.replaceSubrange((r * n)..<((r + 1) * n), with: projectRow(v, e))
    }
    let projected = Tensor(shape: shape, scalars: out)
    return t.customGradient("projection_simplex", [scores], value: projected) { g in
      var grad = [S](repeating: 0, count: rows * n)
      for r in 0..<rows {
        let support = (0..<n).map { projected.scalars[r * n + $0] > 0 ? S(1) : 0 }
        let card = S(support.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
        // Transpose: s·g + s·(Σ(−g·s) / |s|).
        let terms = (0..<n).map { e.flushed(-g.scalars[r * n + $0] * support[$0]) }
        let total = XLASummation.treeSum(terms, dims: [n], window: 32, e)
        let shared = e.flushed(total / card)
        for i in 0..<n {
          grad[r * n + i] = e.flushed(e.flushed(support[i] * g.scalars[r * n + i]) + e.flushed(shared * support[i]))
        }
      }
      return [Tensor(shape: shape, scalars: grad)]
    }
  }

  /// One row's projection, in JAX's order of operations.
  static func projectRow<S: LossScalar>(_ v: [S], _ e: KernelEnvironment) -> [S] {
    let n = v.count
    let u = v.sorted { $0 > $1 }
    var cumulative = [S](repeating: 0, count: n)
    var running: S = 0
    for i in 0..<n {
      running = e.flushed(running + u[i])
      cumulative[i] = running
    }
    var k = 0
    for i in 0..<n {
      let index = S(i + 1)
      let condition = e.flushed(e.flushed(1 / index) + e.flushed(u[i] - e.flushed(cumulative[i] / index)))
      if condition > 0 { k += 1 }
    }
    // `cumsum_u[idx - 1]` with idx = 0 reads the last element, as JAX's indexing wraps.
    let c = cumulative[k == 0 ? n - 1 : k - 1]
    let kk = S(k)
    let offset = e.flushed(c / kk)
    let inverse = e.flushed(1 / kk)
    return v.map { x in
      let r = e.flushed(inverse + e.flushed(x - offset))
      return r > 0 ? r : (r.isNaN ? r : 0)
    }
  }
}
