extension Optax {
  /// optax.losses' functions in their families (`compare`, `diagnose`, `plot`, the input
  /// lint). A function joins its family with one row here.
  ///
  /// optax returns unreduced values and takes no sample weight (`reduction: nil`,
  /// `sampleWeight: .none`): compare shows their mean (or sum) and weights them itself.
  static var familyMembers: [FamilyMember] {
    [
      FamilyMember(
        .binaryCrossentropy, .optax, "sigmoid_binary_cross_entropy", form: .logits, targets: .binary, reduction: nil,
        perSample: .elements, sampleWeight: .none,
        convention: "logits: −y·log_sigmoid(x) − (1 − y)·log_sigmoid(−x), unbounded; unreduced"),
      FamilyMember(
        .categoricalCrossentropy, .optax, "softmax_cross_entropy", form: .logits, targets: .distribution,
        reduction: nil, perSample: .rows, sampleWeight: .none,
        convention: "logits: −Σ y·log_softmax(x) over the last axis; one value per row, unreduced"),
      FamilyMember(
        .categoricalCrossentropy, .optax, "safe_softmax_cross_entropy", form: .logits, targets: .distribution,
        reduction: nil, perSample: .rows, sampleWeight: .none,
        convention: "logits: softmax cross-entropy with 0·log 0 = 0 where a logit is −inf; one value per row",
        isPrimary: false),
      FamilyMember(
        .sparseCategoricalCrossentropy, .optax, "softmax_cross_entropy_with_integer_labels", form: .logits,
        targets: .classIndices, reduction: nil, perSample: .rows, sampleWeight: .none,
        convention: "logits: logsumexp(x) − x[label] over the last axis; one value per row, unreduced"),
      FamilyMember(
        .focal, .optax, "sigmoid_focal_loss", form: .logits, targets: .binary, reduction: nil, perSample: .elements,
        parameterNames: ["gamma": "gamma"], sampleWeight: .none,
        convention: "logits: (1 − p_t)^γ × the sigmoid cross-entropy, in log space; alpha=None (no class balance); unreduced"),
      FamilyMember(
        .mse, .optax, "squared_error", form: .values, targets: .values, reduction: nil, perSample: .elements,
        sampleWeight: .none, convention: "(p − t)²; unreduced (l2_loss is half of it)"),
      FamilyMember(
        .huber, .optax, "huber_loss", form: .values, targets: .values, reduction: nil, perSample: .elements,
        parameterNames: ["delta": "delta"], sampleWeight: .none,
        convention: "½·min(|e|, δ)² + δ·(|e| − min(|e|, δ)); unreduced"),
      FamilyMember(
        .logCosh, .optax, "log_cosh", form: .values, targets: .values, reduction: nil, perSample: .elements,
        sampleWeight: .none, convention: "logaddexp(e, −e) − log 2; unreduced"),
      FamilyMember(
        .hinge, .optax, "hinge_loss", form: .values, targets: .signed, reduction: nil, perSample: .elements,
        sampleWeight: .none, convention: "max(0, 1 − y·f) with y used as given: {−1, 1}, no conversion of {0, 1}; unreduced"),
      FamilyMember(
        .klDivergence, .optax, "kl_divergence", form: .logProbabilities, targets: .distribution, reduction: nil,
        perSample: .sumOverLastAxis, sampleWeight: .none,
        convention: "log-probability predictions: Σ t·(log t − log p) over the last axis, 0·log 0 = 0, no clip; one value per row"),
      FamilyMember(
        .cosineSimilarity, .optax, "cosine_similarity", form: .values, targets: .values, reduction: nil, perSample: .rows,
        sampleWeight: .none,
        convention: "+cos, Σ a/‖a‖·b/‖b‖ over the last axis (Keras returns −cos); one value per row, unreduced"),
    ]
  }
}
