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
          fromLogits: bce.fromLogits, labelSmoothing: bce.labelSmoothing, axis: bce.axis, reduction: reductionParameter),
        notes: [
          ConventionNote("JAX backend", "the mean may be 1 ulp off (division by a constant becomes a reciprocal multiply): 5.3726988 for the example"),
          ConventionNote("torch backend", "log(1 − p) is log1p(−p): for y = 0, p = 1e-5 the element is 1.0000050e-05, not 1.0013630e-05"),
          ConventionNote("numpy backend", "from_logits applies sigmoid and then clips, saturating at 16.118 per element"),
          ConventionNote("gradient at a clip bound", "p exactly ε or 1 − ε: TF passes the gradient, JAX halves it, torch ≥ 2.14 drops it"),
          ConventionNote("TF backend, outputs of a Keras sigmoid", "the logits behind the sigmoid are scored exactly (no clipping): a Dense(sigmoid) logit of 30 gives 30, not 15.94"),
        ]
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
          labelSmoothing: bfce.labelSmoothing, axis: bfce.axis, reduction: reductionParameter),
        notes: [
          ConventionNote("JAX, torch and numpy backends", "with from_logits the cross-entropy term clips sigmoid(x) instead of using the logits: y = 1, x = −30 gives 15.94 per element instead of 30, with a 1e-12 gradient"),
        ]
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
          fromLogits: cce.fromLogits, labelSmoothing: cce.labelSmoothing, axis: cce.axis, reduction: reductionParameter),
        notes: [
          ConventionNote("JAX, torch and numpy backends", "with from_logits the gradient is the true (Σy)·softmax − y, not the fused kernel's softmax − y, when label rows do not sum to 1"),
          ConventionNote("Keras after 3.15.1", "label smoothing counts classes along axis (3.15.1 uses the last axis)"),
        ]
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
        takesClassIndices: true,
        notes: [
          ConventionNote("JAX, torch and numpy backends", "probabilities are normalised and then clipped (TF clips, then normalises): p = [3, 1], label 1 gives 1.3862944 instead of 0.6931472"),
          ConventionNote("JAX backend", "an out-of-range label silently gives loss 0 instead of an error"),
          ConventionNote("other axes", "the TF backend accepts only axis = −1; JAX and numpy fail on other axes in 3.15.1"),
        ]
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
        takesClassIndices: true,
        notes: [
          ConventionNote("out-of-range labels", "Keras one-hot encodes them as zeros and returns 1/q with a NaN gradient; LossKit reports an error"),
          ConventionNote("labels of shape (B, 1)", "broadcast against (B, C) into a (B, B) loss in Keras; LossKit reproduces it"),
        ]
      ) { p in
        try CategoricalGeneralizedCrossEntropy(q: p.double("q"), reduction: reduction(p))
      },
    ]
  }
}
