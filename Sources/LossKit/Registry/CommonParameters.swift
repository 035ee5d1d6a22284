/// Parameter descriptions shared by several losses.
enum CommonParameters {
  static func fromLogits(_ value: Bool) -> ParameterSpec {
    ParameterSpec("from_logits", .bool, default: .bool(value), "y_pred holds logits rather than probabilities")
  }
  static func binaryLabelSmoothing(_ value: Double) -> ParameterSpec {
    ParameterSpec("label_smoothing", .float, default: .float(value), "move labels toward 0.5: y·(1 − ls) + 0.5·ls")
  }
  static func categoricalLabelSmoothing(_ value: Double) -> ParameterSpec {
    ParameterSpec("label_smoothing", .float, default: .float(value), "move labels toward 1/C: y·(1 − ls) + ls/C")
  }
  static func axis(_ value: Int, _ summary: String) -> ParameterSpec {
    ParameterSpec("axis", .int, default: .int(value), summary)
  }
  static func alpha(_ value: Double, _ summary: String) -> ParameterSpec {
    ParameterSpec("alpha", .float, default: .float(value), summary)
  }
  static func gamma(_ value: Double) -> ParameterSpec {
    ParameterSpec("gamma", .float, default: .float(value), "focusing exponent of the factor (1 − p_t)^γ")
  }
  static func ignoreClass() -> ParameterSpec {
    ParameterSpec("ignore_class", .optionalInt, default: .null, "label value whose positions get zero loss and are masked")
  }
}

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
        parameters: [
          CommonParameters.fromLogits(bce.fromLogits), CommonParameters.binaryLabelSmoothing(bce.labelSmoothing),
          CommonParameters.axis(bce.axis, "axis the mean runs over"), reductionParameter,
        ]
      ) { p in
        BinaryCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .keras, "BinaryFocalCrossentropy",
        summary: "binary cross-entropy × (1 − p_t)^γ (× α_t with class balancing), mean over axis",
        parameters: [
          ParameterSpec(
            "apply_class_balancing", .bool, default: .bool(bfce.applyClassBalancing), "weight by α for 1s, 1 − α for 0s"),
          CommonParameters.alpha(bfce.alpha, "class-balancing weight of the positive class"),
          CommonParameters.gamma(bfce.gamma), CommonParameters.fromLogits(bfce.fromLogits),
          CommonParameters.binaryLabelSmoothing(bfce.labelSmoothing),
          CommonParameters.axis(bfce.axis, "axis the mean runs over"), reductionParameter,
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
        parameters: [
          CommonParameters.fromLogits(cce.fromLogits), CommonParameters.categoricalLabelSmoothing(cce.labelSmoothing),
          CommonParameters.axis(cce.axis, "class axis"), reductionParameter,
        ]
      ) { p in
        CategoricalCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .keras, "CategoricalFocalCrossentropy",
        summary: "Σ α·(1 − p)^γ·(−y·log p) over axis",
        parameters: [
          CommonParameters.alpha(cfce.alpha, "multiplier of every class"), CommonParameters.gamma(cfce.gamma),
          CommonParameters.fromLogits(cfce.fromLogits), CommonParameters.categoricalLabelSmoothing(cfce.labelSmoothing),
          CommonParameters.axis(cfce.axis, "class axis"), reductionParameter,
        ]
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
        parameters: [
          CommonParameters.fromLogits(bce.fromLogits), CommonParameters.binaryLabelSmoothing(bce.labelSmoothing),
          CommonParameters.axis(bce.axis, "axis the mean runs over"), reductionParameter,
        ]
      ) { p in
        BinaryCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .tfKeras, "BinaryFocalCrossentropy",
        summary: "binary cross-entropy × (1 − p_t)^γ; logits path stays stable",
        parameters: [
          ParameterSpec(
            "apply_class_balancing", .bool, default: .bool(bfce.applyClassBalancing), "weight by α for 1s, 1 − α for 0s"),
          CommonParameters.alpha(bfce.alpha, "class-balancing weight of the positive class"),
          CommonParameters.gamma(bfce.gamma), CommonParameters.fromLogits(bfce.fromLogits),
          CommonParameters.binaryLabelSmoothing(bfce.labelSmoothing),
          CommonParameters.axis(bfce.axis, "axis the mean runs over"), reductionParameter,
        ]
      ) { p in
        BinaryFocalCrossentropy(
          applyClassBalancing: p.bool("apply_class_balancing"), alpha: p.double("alpha"), gamma: p.double("gamma"),
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .tfKeras, "CategoricalCrossentropy",
        summary: "−Σ y·log p over axis; label smoothing counts classes along axis",
        parameters: [
          CommonParameters.fromLogits(cce.fromLogits), CommonParameters.categoricalLabelSmoothing(cce.labelSmoothing),
          CommonParameters.axis(cce.axis, "class axis"), reductionParameter,
        ]
      ) { p in
        CategoricalCrossentropy(
          fromLogits: p.bool("from_logits"), labelSmoothing: p.double("label_smoothing"), axis: p.int("axis"),
          reduction: reduction(p))
      },
      LossDefinition(
        .tfKeras, "CategoricalFocalCrossentropy",
        summary: "Σ α·(1 − p)^γ·(−y·log p) over axis",
        parameters: [
          CommonParameters.alpha(cfce.alpha, "multiplier of every class"), CommonParameters.gamma(cfce.gamma),
          CommonParameters.fromLogits(cfce.fromLogits), CommonParameters.categoricalLabelSmoothing(cfce.labelSmoothing),
          CommonParameters.axis(cfce.axis, "class axis"), reductionParameter,
        ]
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

extension TF {
  /// The registry entries of the `tf.nn` loss ops.
  static var definitions: [LossDefinition] {
    [
      LossDefinition(
        .tf, "sigmoid_cross_entropy_with_logits", summary: "elementwise max(x,0) − x·z + log(1 + e^−|x|)",
        parameters: [], inputNames: ("labels", "logits"), acceptsSampleWeight: false
      ) { _ in SigmoidCrossEntropyWithLogits() },
      LossDefinition(
        .tf, "weighted_cross_entropy_with_logits", summary: "sigmoid cross-entropy with positives weighted by pos_weight",
        parameters: [
          ParameterSpec("pos_weight", .floatOrTensor, default: nil, "weight of the positive term (number or tensor)")
        ],
        inputNames: ("labels", "logits"), acceptsSampleWeight: false
      ) { p in
        switch p["pos_weight"] {
        case .tensor(let t): WeightedCrossEntropyWithLogits(posWeight: .tensor(t))
        default: WeightedCrossEntropyWithLogits(posWeight: p.double("pos_weight"))
        }
      },
      LossDefinition(
        .tf, "softmax_cross_entropy_with_logits", summary: "−Σ y·log_softmax(x) over axis (fused kernel)",
        parameters: [CommonParameters.axis(-1, "class axis")], inputNames: ("labels", "logits"),
        acceptsSampleWeight: false
      ) { p in SoftmaxCrossEntropyWithLogits(axis: p.int("axis")) },
      LossDefinition(
        .tf, "sparse_softmax_cross_entropy_with_logits", summary: "softmax cross-entropy against integer labels",
        parameters: [], inputNames: ("labels", "logits"), takesClassIndices: true, acceptsSampleWeight: false
      ) { _ in SparseSoftmaxCrossEntropyWithLogits() },
      LossDefinition(
        .tf, "log_poisson_loss", summary: "exp(c) − c·z (+ Stirling term with compute_full_loss)",
        parameters: [
          ParameterSpec("compute_full_loss", .bool, default: .bool(false), "add Stirling's approximation of log(z!)")
        ],
        inputNames: ("targets", "log_input"), acceptsSampleWeight: false
      ) { p in LogPoissonLoss(computeFullLoss: p.bool("compute_full_loss")) },
    ]
  }
}
