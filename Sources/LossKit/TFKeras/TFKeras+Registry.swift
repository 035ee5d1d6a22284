extension TFKeras {
  static let reductionParameter = ParameterSpec(
    "reduction", .choice(Reduction.allCases.map(\.rawValue)), default: .string(Reduction.auto.rawValue),
    "how weighted per-sample losses are reduced (auto = sum_over_batch_size)")

  static func reduction(_ p: ResolvedParameters) -> Reduction { Reduction(rawValue: p.string("reduction"))! }

  /// The registry entries of every tf-keras loss LossKit implements.
  static var definitions: [LossDefinition] {
    let bce = BinaryCrossentropy()
    let bfce = BinaryFocalCrossentropy()
    let cce = CategoricalCrossentropy()
    let cfce = CategoricalFocalCrossentropy()
    let scce = SparseCategoricalCrossentropy()
    return [
      LossDefinition(
        .tfKeras, "BinaryCrossentropy",
        summary: "binary cross-entropy; clips to [ε, 1−ε] and adds ε inside each log",
        parameters: CommonParameters.binaryCrossentropy(
          fromLogits: bce.fromLogits, labelSmoothing: bce.labelSmoothing, axis: bce.axis, reduction: reductionParameter)
      ) { p in
        BinaryCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .tfKeras, "BinaryFocalCrossentropy",
        summary: "binary cross-entropy × (1 − p_t)^γ; logits path stays stable",
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
        .tfKeras, "CategoricalCrossentropy",
        summary: "−Σ y·log p over axis; label smoothing counts classes along axis",
        parameters: CommonParameters.categoricalCrossentropy(
          fromLogits: cce.fromLogits, labelSmoothing: cce.labelSmoothing, axis: cce.axis, reduction: reductionParameter)
      ) { p in
        CategoricalCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .tfKeras, "CategoricalFocalCrossentropy",
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
        .tfKeras, "SparseCategoricalCrossentropy",
        summary: "cross-entropy against integer labels (class axis last)",
        parameters: [CommonParameters.fromLogits(scce.fromLogits), CommonParameters.ignoreClass(), reductionParameter],
        takesClassIndices: true
      ) { p in
        SparseCategoricalCrossentropy(
          fromLogits: p.bool("from_logits"), ignoreClass: p.optionalInt("ignore_class"), reduction: reduction(p))
      },
    ]
  }
}
