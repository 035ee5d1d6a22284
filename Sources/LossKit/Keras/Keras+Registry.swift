extension Keras {
  static let reductionParameter = ParameterSpec(
    "reduction", .choice(Reduction.allCases.map(\.rawValue)), default: .string(Reduction.sumOverBatchSize.rawValue),
    "how weighted per-sample losses are reduced")

  static func reduction(_ p: ResolvedParameters) -> Reduction { Reduction(rawValue: p.string("reduction"))! }

  /// The registry entries of every Keras 3 loss LossKit implements.
  static var definitions: [LossDefinition] {
    let bce = BinaryCrossentropy()
    let bfce = BinaryFocalCrossentropy()
    let cce = CategoricalCrossentropy()
    let cfce = CategoricalFocalCrossentropy()
    let scce = SparseCategoricalCrossentropy()
    return [
      LossDefinition(
        .keras, "BinaryCrossentropy",
        summary: "binary cross-entropy; probabilities clipped to [ε, 1−ε], mean over axis",
        parameters: CommonParameters.binaryCrossentropy(
          fromLogits: bce.fromLogits, labelSmoothing: bce.labelSmoothing, axis: bce.axis, reduction: reductionParameter)
      ) { p in
        BinaryCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .keras, "BinaryFocalCrossentropy",
        summary: "binary cross-entropy × (1 − p_t)^γ (× α_t with class balancing), mean over axis",
        parameters: CommonParameters.binaryFocalCrossentropy(
          applyClassBalancing: bfce.applyClassBalancing, alpha: bfce.alpha, gamma: bfce.gamma, fromLogits: bfce.fromLogits,
          labelSmoothing: bfce.labelSmoothing, axis: bfce.axis, reduction: reductionParameter)
      ) { p in
        BinaryFocalCrossentropy(
          applyClassBalancing: p.bool("apply_class_balancing"), alpha: p.double("alpha"), gamma: p.double("gamma"),
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .keras, "CategoricalCrossentropy",
        summary: "−Σ y·log p over axis; probabilities normalised then clipped",
        parameters: CommonParameters.categoricalCrossentropy(
          fromLogits: cce.fromLogits, labelSmoothing: cce.labelSmoothing, axis: cce.axis, reduction: reductionParameter)
      ) { p in
        CategoricalCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .keras, "CategoricalFocalCrossentropy",
        summary: "Σ α·(1 − p)^γ·(−y·log p) over axis",
        parameters: CommonParameters.categoricalFocalCrossentropy(
          alpha: cfce.alpha, gamma: cfce.gamma, fromLogits: cfce.fromLogits, labelSmoothing: cfce.labelSmoothing,
          axis: cfce.axis, reduction: reductionParameter)
      ) { p in
        CategoricalFocalCrossentropy(
          alpha: p.double("alpha"), gamma: p.double("gamma"), fromLogits: p.bool("from_logits"),
          labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"), reduction: reduction(p))
      },
      LossDefinition(
        .keras, "SparseCategoricalCrossentropy",
        summary: "cross-entropy against integer labels; TF clips then normalises",
        parameters: [
          CommonParameters.fromLogits(scce.fromLogits), CommonParameters.ignoreClass(), reductionParameter,
          CommonParameters.axis(scce.axis, "class axis (the TensorFlow backend supports only -1)"),
        ],
        takesClassIndices: true
      ) { p in
        SparseCategoricalCrossentropy(
          fromLogits: p.bool("from_logits"), ignoreClass: p.optionalInt("ignore_class"), reduction: reduction(p),
          axis: p.int("axis"))
      },
      LossDefinition(
        .keras, "CategoricalGeneralizedCrossEntropy",
        summary: "(1 − p_y^q)/q for integer labels (noise-robust)",
        parameters: [
          ParameterSpec("q", .float, default: .float(0.5), "noise parameter in (0, 1): toward 0 cross-entropy, toward 1 MAE"),
          reductionParameter,
        ],
        takesClassIndices: true
      ) { p in
        try CategoricalGeneralizedCrossEntropy(q: p.double("q"), reduction: reduction(p))
      },
    ]
  }
}
