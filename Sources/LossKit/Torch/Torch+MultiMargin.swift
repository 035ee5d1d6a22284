extension Torch {
  /// `(nframe, dim)` of the margin kernels' input (`multi_margin_loss_shape_check`,
  /// `multilabel_margin_loss_shape_check`): `(N, C)`, an unbatched `(C,)`, or a scalar
  /// (one sample of one class), with the classes along dim 1.
  static func marginKernelLayout(_ shape: [Int]) throws -> (frames: Int, classes: Int) {
    switch shape.count {
    case 0: return (1, 1)
    case 1 where shape[0] != 0: return (1, shape[0])
    case 2 where shape[1] != 0: return (shape[0], shape[1])
    default:
      throw LossError.shapeMismatch(
        argument: "input", expected: "a non-empty vector (C,) or matrix (N, C) with classes along dim 1", got: Shape.describe(shape))
    }
  }

  /// The margin kernels' backward scale: `1 / (N·C)` for `mean`, else `1 / C` (computed
  /// in double, then rounded to the dtype).
  static func marginGradientScale<S: LossScalar>(_ reduction: Reduction, frames: Int, classes: Int) -> S {
    S(reduction == .mean ? 1 / Double(frames * classes) : 1 / Double(classes))
  }

  /// `torch.nn.MultiMarginLoss`: per sample `Σ_{d ≠ y} w[y]·max(0, margin − x[y] + x[d])^p / C`
  /// (ATen's `multi_margin_loss` kernel: each sample summed in the dtype, the samples
  /// accumulated in double for `mean`/`sum`). `p` is 1 or 2, `weight` is per class and
  /// applies the **target's** weight. The backward gives `g` or `2·g·z` (times `w[y]`)
  /// to each violating `x[d]` and minus their sum to `x[y]`, with `g = 1/(N·C)` (`mean`)
  /// or `1/C`; exactly at the margin (`z = 0`) nothing.
  public struct MultiMarginLoss: TorchReducedLoss {
    public var p: Int = 1
    public var margin: Double = 1
    public var weight: Tensor<Double>? = nil
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean

    public init() {}
    public init(p: Int = 1, margin: Double = 1, weight: Tensor<Double>? = nil, reduction: Reduction = .mean) {
      (self.p, self.margin, self.weight, self.reduction) = (p, margin, weight, reduction)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "MultiMarginLoss",
      summary: "Σ_{d≠y} w[y]·max(0, margin − x[y] + x[d])^p / C per sample; input (N, C) with classes along dim 1",
      parameters: [
        LossParameter("p", \.p, "1 or 2", ParameterRule("1 or 2") { $0 == 1 || $0 == 2 }),
        LossParameter("margin", \.margin, "margin"),
        LossParameter("weight", \.weight, "per-class weight (1-D, C entries); the target class's weight applies"),
      ] + reductionParameters,
      inputNames: Torch.inputAndTarget, takesClassIndices: true, acceptsSampleWeight: false,
      check: { loss in
        if let w = loss.weight, w.rank != 1 {
          throw LossError.invalidParameter(name: "weight", expected: "a 1-D tensor", got: "a tensor of shape \(Shape.describe(w.shape))")
        }
      })

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let x = t[input]
      let shape = x.shape
      let (nframe, dim) = try Torch.marginKernelLayout(shape)
      let labels = try Torch.classIndices(t[target])
      guard labels.rank <= 1, labels.count == nframe else {
        throw LossError.shapeMismatch(
          argument: "target", expected: "\(nframe) class indices for \(Torch.classLayout(shape))", got: Shape.describe(labels.shape))
      }
      try ClassLabels.requireInRange(labels, classes: dim, argument: "target")
      if let weight, weight.count != dim {
        throw LossError.shapeMismatch(
          argument: "weight", expected: "one weight per class: (\(dim),) for \(Torch.classLayout(shape))", got: Shape.describe(weight.shape))
      }
      let w: Tensor<S>? = weight.map(Torch.tensor)
      let margin = S(self.margin)
      let p = self.p
      let reduction = effectiveReduction
      // Per-sample sums, in the dtype.
      var perSample = [S](repeating: 0, count: nframe)
      for i in 0..<nframe {
        let y = labels.scalars[i]
        let xy = x.scalars[i * dim + y]
        var sum: S = 0
        for d in 0..<dim where d != y {
          let z = margin - xy + x.scalars[i * dim + d]
          if z > 0 {
            var h = p == 1 ? z : z * z
            if let w { h *= w.scalars[y] }
            sum += h
          }
        }
        perSample[i] = sum / S(dim)
      }
      let value: Tensor<S>
      if reduction == .none && shape.count == 2 {
        value = Tensor(shape: [nframe], scalars: perSample)
      } else {
        var total: Double = 0
        for s in perSample { total += Double(s) }
        if reduction == .mean { total /= Double(nframe) }
        value = Tensor(S(total))
      }
      return t.step(.fusedKernel, "multi_margin_loss kernel", [.integer("p", p), .number("margin", self.margin)]) { t in
        t.kernel("multi_margin_loss", input, value: value) { g in
          let scale: S = Torch.marginGradientScale(reduction, frames: nframe, classes: dim)
          var grad = [S](repeating: 0, count: x.count)
          for i in 0..<nframe {
            let y = labels.scalars[i]
            let xy = x.scalars[i * dim + y]
            var gradTarget: S = 0
            for d in 0..<dim where d != y {
              let z = margin - xy + x.scalars[i * dim + d]
              if z > 0 {
                var h = p == 1 ? scale : 2 * scale * z
                if let w { h *= w.scalars[y] }
                gradTarget -= h
                grad[i * dim + d] = h
              }
            }
            grad[i * dim + y] = gradTarget
            let gi = g.count == 1 ? g.scalars[0] : g.scalars[i]
            for d in 0..<dim { grad[i * dim + d] *= gi }
          }
          return Tensor(shape: shape, scalars: grad)
        }
      }
    }
  }

  /// `torch.nn.MultiLabelMarginLoss`: `target` (same shape as `input`) lists class
  /// indices up to the first −1; per sample `Σ_{j ∈ J} Σ_{i ∉ J} max(0, 1 − (x[j] − x[i])) / C`
  /// (ATen's `multilabel_margin_loss` kernel, accumulated in double). The backward adds
  /// `∓g` per violating pair with `g = 1/(N·C)` (`mean`) or `1/C`; nothing at `z = 0`.
  public struct MultiLabelMarginLoss: TorchReducedLoss {
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean

    public init() {}
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .torch, "MultiLabelMarginLoss",
      summary: "Σ_{j∈targets} Σ_{i∉targets} max(0, 1 − (x[j] − x[i])) / C; input (N, C), classes along dim 1; target lists indices up to the first −1",
      parameters: reductionParameters, inputNames: Torch.inputAndTarget, takesClassIndices: true, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let x = t[input]
      let shape = x.shape
      let (nframe, dim) = try Torch.marginKernelLayout(shape)
      let labels = try Torch.classIndices(t[target])
      guard labels.shape == shape || (shape.isEmpty && labels.count == 1 && labels.rank <= 1) else {
        throw LossError.shapeMismatch(argument: "target", expected: "the shape of input \(Shape.describe(shape))", got: Shape.describe(labels.shape))
      }
      for v in labels.scalars where v < -1 || v >= dim {
        throw LossError.labelOutOfRange(argument: "target", label: v, classes: dim)
      }
      let reduction = effectiveReduction
      // The target classes of each sample, up to the first −1, and the membership mask.
      var targetsOf: [[Int]] = []
      var isTarget = [Bool](repeating: false, count: nframe * dim)
      for n in 0..<nframe {
        var list: [Int] = []
        for k in 0..<dim {
          let v = labels.scalars[n * dim + k]
          if v < 0 { break }
          list.append(v)
          isTarget[n * dim + v] = true
        }
        targetsOf.append(list)
      }
      var sums = [Double](repeating: 0, count: nframe)
      for n in 0..<nframe {
        for j in targetsOf[n] {
          let xj = x.scalars[n * dim + j]
          for d in 0..<dim where !isTarget[n * dim + d] {
            let z = 1 - xj + x.scalars[n * dim + d]
            if z > 0 { sums[n] += Double(z) }
          }
        }
      }
      let value: Tensor<S>
      if reduction == .none && shape.count == 2 {
        value = Tensor(shape: [nframe], scalars: sums.map { S($0 / Double(dim)) })
      } else {
        var total = sums.reduce(0, +)
        total /= Double(dim)
        if reduction == .mean { total /= Double(nframe) }
        value = Tensor(S(total))
      }
      let targets = targetsOf, membership = isTarget
      return t.step(.fusedKernel, "multilabel_margin_loss kernel") { t in
        t.kernel("multilabel_margin_loss", input, value: value) { g in
          let scale: S = Torch.marginGradientScale(reduction, frames: nframe, classes: dim)
          var grad = [S](repeating: 0, count: x.count)
          for n in 0..<nframe {
            for j in targets[n] {
              let xj = x.scalars[n * dim + j]
              for d in 0..<dim where !membership[n * dim + d] {
                let z = 1 - xj + x.scalars[n * dim + d]
                if z > 0 {
                  grad[n * dim + j] -= scale
                  grad[n * dim + d] += scale
                }
              }
            }
            let gn = g.count == 1 ? g.scalars[0] : g.scalars[n]
            for d in 0..<dim { grad[n * dim + d] *= gn }
          }
          return Tensor(shape: shape, scalars: grad)
        }
      }
    }
  }
}
