extension TorchKernels {
  /// `nll_loss_nd(input, target, weight, reduction, ignore_index)` on log-probabilities
  /// `input` of shape `(C)`, `(N, C)` or `(N, C, d1, ...)` (ATen's `nll_loss` and
  /// `nll_loss2d` CPU kernels, which agree on the order of operations).
  ///
  /// - `none`: `−w[t]·x[n, t]` per target position, 0 where `t == ignore_index`.
  /// - `sum` / `mean`: the losses and the weights are accumulated in an eight-level
  ///   cascade (flushed upward whenever the position index is a multiple of 16, 256,
  ///   ...), the total weight is the count of non-ignored positions without `weight`;
  ///   `mean` divides by it (NaN when every position is ignored).
  /// - Backward: `w[t]·(−g / total_weight)` (`mean`) or `w[t]·(−g)` at each target
  ///   position, `−w[t]·g[n]` for `none`, exactly 0 elsewhere and on ignored positions.
  static func nllLoss<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, target: Tensor<Int>, weight: Tensor<S>?,
    reduction: Torch.Reduction, ignoreIndex: Int
  ) throws -> LossTrace<S>.Value {
    let input = t[x]
    let shape = input.shape
    let unbatched = shape.count == 1
    let classes = unbatched ? shape[0] : shape[1]
    let batch = unbatched ? 1 : shape[0]
    let map = unbatched ? 1 : shape[2...].reduce(1, *)
    let positions = batch * map
    // (position, class) → flat index of input.
    @Sendable func index(_ position: Int, _ c: Int) -> Int {
      let b = position / max(map, 1), e = position % max(map, 1)
      return b * classes * map + c * map + e
    }
    for value in target.scalars where value != ignoreIndex && (value < 0 || value >= classes) {
      throw LossError.labelOutOfRange(argument: "target", label: value, classes: classes)
    }
    let w: @Sendable (Int) -> S = { c in weight?.scalars[c] ?? 1 }

    let value: Tensor<S>
    var totalWeight: S = 0
    // The loss of each target position: −w[t]·x[n, t], 0 where ignored.
    func perPosition() -> Tensor<S> {
      Tensor(shape: target.shape, scalars: (0..<positions).map { p -> S in
        let c = target.scalars[p]
        return c == ignoreIndex ? 0 : -input.scalars[index(p, c)] * w(c)
      })
    }
    if reduction == .none && !unbatched {
      value = perPosition()
    } else if positions == 0 || target.count == 0 {
      value = Tensor(reduction == .mean ? S.nan : 0)
    } else {
      let sums = nllCascade(positions: positions, weight: weight) { p in
        let c = target.scalars[p]
        return c == ignoreIndex ? nil : (input.scalars[index(p, c)], c)
      }
      totalWeight = sums.weight
      var output = sums.loss
      if reduction == .mean { output /= totalWeight }
      value = Tensor(output)
    }
    let total = totalWeight
    let backward: @Sendable (Tensor<S>) -> Tensor<S> = { g in
      var grad = [S](repeating: 0, count: input.count)
      if reduction == .none && !unbatched {
        for p in 0..<positions {
          let c = target.scalars[p]
          if c == ignoreIndex { continue }
          grad[index(p, c)] = -w(c) * g.scalars[p]
        }
      } else if positions > 0 {
        let scale = -(reduction == .mean ? g.scalars[0] / total : g.scalars[0])
        for p in 0..<positions {
          let c = target.scalars[p]
          if c == ignoreIndex { continue }
          grad[index(p, c)] = weight == nil ? scale : weight!.scalars[c] * scale
        }
      }
      return Tensor(shape: shape, scalars: grad)
    }
    guard reduction != .none, positions > 0, target.count > 0 else { return t.kernel("nll_loss", x, value: value, vjp: backward) }
    // Reduced: the loss of each target position first (for explain; no gradient of its
    // own), then the kernel's reduction with the kernel's backward.
    let units = t.step(.elementwiseLoss, "−w[t]·x[n, t] per target position (0 where ignored)") { t in
      t.intermediate("nll_loss (per position)", [x], value: perPosition())
    }
    let plain = weight == nil && !target.scalars.contains(ignoreIndex)
    let divisor = reduction == .sum ? "none" : (plain ? "element count" : "total weight of the targets not ignored")
    let title = reduction == .mean ? "mean: Σ / Σ w[t] over the targets not ignored" : "sum"
    return t.step(.reduction, title, [.text("reduction", reduction.rawValue), .text("divisor", divisor)]) { t in
      let out = t.kernel("nll_loss", x, value: value, vjp: backward)
      return t.attributing(out, to: units, share: reduction == .mean ? 1 / total : 1)
    }
  }

  /// `nll_loss`'s reduced forward (`nll_loss_out_frame`): `−data·w[c]` (or `−data`)
  /// accumulated over `positions` in an 8-level cascade of `2^p`-step blocks, the weights
  /// alongside; `term(p)` is the picked log-probability and its class, nil for an ignored
  /// position. The total weight is the count of kept positions without `weight`.
  static func nllCascade<S: LossScalar>(
    positions: Int, weight: Tensor<S>?, _ term: (Int) -> (data: S, classIndex: Int)?
  ) -> (loss: S, weight: S) {
    let levels = 8
    let power = max(4, CascadeSummation.ceilLog2(positions) / levels)
    let mask = (1 << power) - 1
    var weightSums = [S](repeating: 0, count: levels)
    var lossSums = [S](repeating: 0, count: levels)
    var ignored = 0
    for p in 0..<positions {
      guard let (data, c) = term(p) else {
        ignored += 1
        continue
      }
      if let weight {
        lossSums[0] -= data * weight.scalars[c]
        weightSums[0] += weight.scalars[c]
      } else {
        lossSums[0] -= data
      }
      for j in 0..<(levels - 1) {
        if p & (mask << (j * power)) != 0 { break }
        weightSums[j + 1] += weightSums[j]
        lossSums[j + 1] += lossSums[j]
        weightSums[j] = 0
        lossSums[j] = 0
      }
    }
    return (lossSums.reduce(0, +), weight == nil ? S(positions - ignored) : weightSums.reduce(0, +))
  }
}
