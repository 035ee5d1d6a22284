extension TFV1 {
  /// tf.compat.v1.losses in their families (`compare`, `diagnose`, `plot`, the input
  /// lint). A function joins its family with one row here.
  ///
  /// The v1 functions cast to float32, multiply by `weights` (the case format's
  /// `sample_weight`, broadcast here to the losses' shape: v1 wants their rank) and by
  /// default divide the weighted sum by the number of non-zero weights, which is the
  /// mean when no weight is zero.
  static var familyMembers: [FamilyMember] {
    let smoothing = ["label_smoothing": "label_smoothing"]
    let nonzero = "weighted sum / number of non-zero weights"
    return [
      FamilyMember(
        .binaryCrossentropy, .tfV1, "log_loss", form: .probabilities, targets: .binary, reduction: .tfV1,
        perSample: .elements, sampleWeight: .expandedSampleWeight,
        convention: "probabilities, no clip: ε = 1e-7 inside each log (an exact 1 costs −log(1 + 1e-7) < 0); float32; \(nonzero)"),
      FamilyMember(
        .binaryCrossentropy, .tfV1, "sigmoid_cross_entropy", form: .logits, targets: .binary, reduction: .tfV1,
        perSample: .elements, parameterNames: smoothing, sampleWeight: .expandedSampleWeight,
        convention: "logits: sigmoid_cross_entropy_with_logits, labels smoothed toward 0.5; \(nonzero)", isPrimary: false),
      FamilyMember(
        .categoricalCrossentropy, .tfV1, "softmax_cross_entropy", form: .logits, targets: .distribution,
        reduction: .tfV1, perSample: .rows, parameterNames: smoothing, sampleWeight: .expandedSampleWeight,
        convention: "logits: fused softmax cross-entropy per row, labels smoothed toward 1/C; \(nonzero)"),
      FamilyMember(
        .sparseCategoricalCrossentropy, .tfV1, "sparse_softmax_cross_entropy", form: .logits, targets: .classIndices,
        reduction: .tfV1, perSample: .rows, sampleWeight: .expandedSampleWeight,
        convention: "logits: sparse_softmax_cross_entropy_with_logits per row; \(nonzero)"),
      FamilyMember(
        .mse, .tfV1, "mean_squared_error", form: .values, targets: .values, reduction: .tfV1, perSample: .elements,
        sampleWeight: .expandedSampleWeight, convention: "(p − y)² in float32; \(nonzero)"),
      FamilyMember(
        .mae, .tfV1, "absolute_difference", form: .values, targets: .values, reduction: .tfV1, perSample: .elements,
        sampleWeight: .expandedSampleWeight, convention: "|p − y| in float32; \(nonzero)"),
      FamilyMember(
        .hinge, .tfV1, "hinge_loss", form: .values, targets: .binary, reduction: .tfV1, perSample: .elements,
        sampleWeight: .expandedSampleWeight,
        convention: "labels in {0, 1}, always converted with 2y − 1 ({−1, 1} labels get converted again): "
          + "relu(1 − (2y − 1)·x) in float32; \(nonzero)"),
      FamilyMember(
        .huber, .tfV1, "huber_loss", form: .values, targets: .values, reduction: .tfV1, perSample: .elements,
        parameterNames: ["delta": "delta"], sampleWeight: .expandedSampleWeight,
        convention: "½·min(|e|, δ)² + δ·(|e| − min(|e|, δ)) in float32; \(nonzero)"),
    ]
  }
}
