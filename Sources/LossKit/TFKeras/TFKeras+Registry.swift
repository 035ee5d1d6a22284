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
          fromLogits: bce.fromLogits, labelSmoothing: bce.labelSmoothing, axis: bce.axis, reduction: reductionParameter),
        notes: [
          ConventionNote("graph mode (tf.function, fit)", "a raw tf.sigmoid output is recognised and its logits scored exactly: logits (20, 20, −20) give 6.6666665 instead of 5.1416497"),
          ConventionNote("NumPy inputs", "no squeezing: y_true (3,) against y_pred (3, 1) broadcasts silently to (3, 3) (0.87702936 instead of 0.2797764)"),
          ConventionNote("Keras 3", "no ε inside the logs: 5.3726983 instead of 5.1416497 for the example"),
        ]
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
        takesClassIndices: true,
        notes: [
          ConventionNote("all positions ignored", "the mask weight total/valid divides by zero: the loss is NaN (Keras 3 returns 0)"),
        ]
      ) { p in
        SparseCategoricalCrossentropy(
          fromLogits: p.bool("from_logits"), ignoreClass: p.optionalInt("ignore_class"), reduction: reduction(p))
      },
    ]
  }
}
