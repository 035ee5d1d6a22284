extension Torch {
  /// Checks `target` against `input` for class-index losses (`nll_loss_nd`): `input` is
  /// `(C)`, `(N, C)` or `(N, C, d1, ...)` with the classes along dim 1 (dim 0 unbatched);
  /// `target` is `()`, `(N)` or `(N, d1, ...)`.
  static func checkClassIndexShapes(input: [Int], target: [Int]) throws {
    guard !input.isEmpty else {
      throw LossError.shapeMismatch(argument: "input", expected: "at least 1 dimension: (C,), (N, C) or (N, C, d1, ...)", got: "()")
    }
    let expected = input.count == 1 ? [] : [input[0]] + Array(input.dropFirst(2))
    guard target == expected else {
      throw LossError.shapeMismatch(
        argument: "target", expected: "class indices of shape \(Shape.describe(expected)) for \(classLayout(input))",
        got: Shape.describe(target))
    }
  }

  /// `torch.nn.NLLLoss`: `−weight[t]·input[n, t]` on log-probabilities, classes along dim
  /// 1 (`(C)`, `(N, C)` or `(N, C, d1, ...)`); `mean` divides by `Σ weight[t]` over the
  /// targets that are not `ignore_index` (NaN when all are ignored).
  public struct NLLLoss: TorchReducedLoss {
    public var weight: Tensor<Double>? = nil
    public var sizeAverage: Bool? = nil
    public var ignoreIndex: Int = -100
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean

    public init() {}
    public init(weight: Tensor<Double>? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
      (self.weight, self.ignoreIndex, self.reduction) = (weight, ignoreIndex, reduction)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "NLLLoss",
      summary: "−w[t]·input[n, t]; input (N, C, ...) of log-probabilities with the C classes along dim 1; mean divides by Σ w[t]",
      parameters: [
        LossParameter("weight", \.weight, "per-class weight (C entries, for the classes along dim 1)"),
        LossParameter("ignore_index", \.ignoreIndex, "target value that contributes nothing (and no gradient)"),
      ] + reductionParameters,
      inputNames: Torch.inputAndTarget, takesClassIndices: true, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let shape = t.shape(input)
      try Torch.checkClassIndexShapes(input: shape, target: t.shape(target))
      let classes = shape[Torch.classDimension(shape)]
      try Torch.checkClassWeight(weight, inputShape: shape, classes: classes)
      let labels = try Torch.classIndices(t[target])
      let reduction = effectiveReduction
      return try t.step(.fusedKernel, "nll_loss kernel", [.integer("ignore_index", ignoreIndex), .integer("classes", classes)]) { t in
        try TorchKernels.nllLoss(
          &t, input, target: labels, weight: weight.map(Torch.tensor), reduction: reduction, ignoreIndex: ignoreIndex)
      }
    }
  }

  /// `torch.nn.CrossEntropyLoss` (ATen's `cross_entropy_loss`): `log_softmax` over the
  /// class dimension (dim 1; dim 0 for an unbatched `(C,)` input), then
  ///
  /// - class indices (`target` without the class dimension): `nll_loss_nd`; with
  ///   `label_smoothing` ε, `(1 − ε)·nll + (ε/C)·smooth` where `smooth = −Σ_c w_c·log p_c`
  ///   (0 on ignored positions), normalised for `mean` by the same `Σ w[t]` as nll;
  /// - probabilities (`target` shaped like `input`): `−Σ w_c·t'_c·log p_c` with
  ///   `t' = (1 − ε)·t + ε/C`; `mean` divides the total by `numel / C` (weights not in the
  ///   denominator). `ignore_index` must be negative here.
  ///
  /// Each piece has its own backward (`log_softmax`'s `g − exp(out)·Σg`, `nll_loss`'s
  /// scatter), so ignored rows get a gradient of exactly zero.
  public struct CrossEntropyLoss: TorchReducedLoss {
    public var weight: Tensor<Double>? = nil
    public var sizeAverage: Bool? = nil
    public var ignoreIndex: Int = -100
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean
    public var labelSmoothing: Double = 0

    public init() {}
    public init(weight: Tensor<Double>? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean, labelSmoothing: Double = 0) {
      (self.weight, self.ignoreIndex, self.reduction, self.labelSmoothing) = (weight, ignoreIndex, reduction, labelSmoothing)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "CrossEntropyLoss",
      summary: "log_softmax over dim 1 (input (N, C, ...), C classes along dim 1) + nll_loss; class indices or probabilities",
      parameters: [
        LossParameter("weight", \.weight, "per-class weight (C entries, for the classes along dim 1)"),
        LossParameter("ignore_index", \.ignoreIndex, "target value that contributes nothing (class indices only)"),
      ] + reductionParameters + [
        LossParameter(
          "label_smoothing", \.labelSmoothing, "mix ε of the uniform distribution into the target (≤ 1; ≤ 0 is none)",
          ParameterRule("≤ 1") { $0 <= 1 })
      ],
      inputNames: Torch.inputAndTarget, takesClassIndices: true, acceptsSampleWeight: false,
      notes: [
        ConventionNote("class weights with label smoothing", "the smoothing term sums every class's weight but is divided by Σ w[t] (pytorch#104776)"),
        ConventionNote("reduction='none' then .mean()", "differs from reduction='mean' with class weights, which divides by Σ w[t] (pytorch#65329)"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let shape = t.shape(input)
      guard !shape.isEmpty else {
        throw LossError.shapeMismatch(argument: "input", expected: "at least 1 dimension: (C,), (N, C) or (N, C, d1, ...)", got: "()")
      }
      let classDim = Torch.classDimension(shape)
      let classes = shape[classDim]
      try Torch.checkClassWeight(weight, inputShape: shape, classes: classes)
      let reduction = effectiveReduction
      let smoothing = labelSmoothing
      let logProbabilities = t.step(.activation, "log_softmax over dim \(classDim)", [.text("function", "log_softmax"), .integer("dim", classDim)]) { t in
        TorchKernels.logSoftmax(&t, input, dim: classDim)
      }
      // The weight viewed as (1, C, 1, ...) to broadcast along the class dimension.
      var weightShape = [Int](repeating: 1, count: shape.count)
      weightShape[classDim] = classes
      let weightView: Tensor<S>? = weight.map { (Torch.tensor($0) as Tensor<S>).reshaped(to: weightShape) }

      if t.shape(target) == shape {
        guard ignoreIndex < 0 else {
          throw LossError.unsupported(argument: "ignore_index", message: "is not supported for probability targets (it must be negative)")
        }
        let environment = t.environment
        let (product, perRow) = try t.step(
          .elementwiseLoss, "−Σ w·t·log p (probability targets)", [.number("label_smoothing", smoothing)]
        ) { t -> (LossTrace<S>.Value, LossTrace<S>.Value) in
          var probabilities = target
          if smoothing > 0 {
            probabilities = t.step(.labelSmoothing, "t·(1 − ε) + ε/C", [.number("epsilon", smoothing)]) { t in
              t.add(t.multiply(target, S(1 - smoothing)), S(smoothing / Double(classes)))
            }
          }
          var product = try t.multiply(logProbabilities, probabilities)
          if let weightView { product = try t.multiply(product, t.constant(weightView, name: "weight"), argument: "weight") }
          if reduction == .none { return (product, t.negate(t.sum(product, axis: classDim))) }
          // torch reduces the whole product at once; the rows' losses are kept for explain only.
          let rows = Kernels.reduce(.sum, t[product], axes: [classDim], keepDims: false, environment).map { -$0 }
          return (product, t.intermediate("−Σ over the classes", [product], value: rows))
        }
        if reduction == .none { return perRow }
        let count = Shape.count(shape)
        let title = reduction == .sum ? "sum over everything" : "mean: the sum / (numel / C)"
        let divisor = reduction == .sum ? "none" : "element count"
        return try t.step(.reduction, title, [.text("reduction", reduction.rawValue), .text("divisor", divisor)]) { t in
          let total = t.negate(t.sum(product))
          if reduction == .sum { return t.attributing(total, to: perRow, share: 1) }
          if count == 0 { return t.add(t.multiply(total, 0), S.nan) }
          let mean = try t.divide(total, t.constant(S(count / classes), name: "numel / C"))
          return t.attributing(mean, to: perRow, share: 1 / S(count / classes))
        }
      }

      try Torch.checkClassIndexShapes(input: shape, target: t.shape(target))
      let labels = try Torch.classIndices(t[target])
      let ignoreIndex = self.ignoreIndex
      let nll = try t.step(.fusedKernel, "nll_loss", [.integer("ignore_index", ignoreIndex)]) { t in
        try TorchKernels.nllLoss(&t, logProbabilities, target: labels, weight: weightView.map { $0.reshaped(to: [classes]) },
          reduction: reduction, ignoreIndex: ignoreIndex)
      }
      guard smoothing > 0 else { return nll }
      return try t.step(.labelSmoothing, "(1 − ε)·nll + (ε/C)·smooth", [.number("epsilon", smoothing)]) { t in
        var weighted = logProbabilities
        if let weightView { weighted = try t.multiply(logProbabilities, t.constant(weightView, name: "weight")) }
        let ignored = labels.map { $0 == ignoreIndex }
        var smooth = t.negate(t.sum(weighted, axis: classDim))
        smooth = try t.select(ignored, t.constant(Tensor(repeating: 0, shape: t.shape(smooth)), name: "0"), smooth)
        let smoothReduced: LossTrace<S>.Value
        switch reduction {
        case .none: smoothReduced = smooth
        case .sum: smoothReduced = t.sum(smooth)
        case .mean:
          let denominator: Tensor<S>
          if let weight {
            let kept = labels.scalars.filter { $0 != ignoreIndex }.map { S(weight.scalars[$0]) }
            denominator = Kernels.reduce(.sum, Tensor(kept), axes: nil, keepDims: false, t.environment)
          } else {
            denominator = Tensor(S(ignored.scalars.lazy.filter { !$0 }.count))
          }
          smoothReduced = try t.divide(t.sum(smooth), t.constant(denominator, name: "Σ w[t] (not ignored)"))
        }
        return try t.add(t.multiply(nll, S(1 - smoothing)), t.multiply(smoothReduced, S(smoothing / Double(classes))))
      }
    }
  }
}
