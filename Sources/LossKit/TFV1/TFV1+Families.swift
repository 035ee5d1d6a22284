extension TFV1 {
  /// tf.compat.v1.losses in their families. Empty until the tf_v1 losses are merged.
  /// Merging lead: one row per function, e.g.
  ///
  /// ```swift
  /// FamilyMember(.binaryCrossentropy, .tfV1, "log_loss", form: .probabilities, targets: .binary,
  ///   reduction: ReductionTranslation(mean: "weighted_sum_by_nonzero_weights", sum: "weighted_sum", none: "none"),
  ///   perSample: .elements, sampleWeight: .parameter("weights"),
  ///   convention: "probabilities, ε = 1e-7 inside each log, no clip; mean over non-zero weights"),
  /// FamilyMember(.binaryCrossentropy, .tfV1, "sigmoid_cross_entropy", form: .logits, ...),
  /// FamilyMember(.categoricalCrossentropy, .tfV1, "softmax_cross_entropy", form: .logits, ...),
  /// FamilyMember(.sparseCategoricalCrossentropy, .tfV1, "sparse_softmax_cross_entropy", form: .logits, ...),
  /// FamilyMember(.mse, .tfV1, "mean_squared_error", ...), FamilyMember(.mae, .tfV1, "absolute_difference", ...),
  /// FamilyMember(.hinge, .tfV1, "hinge_loss", ...), FamilyMember(.huber, .tfV1, "huber_loss", ...)
  /// ```
  static var familyMembers: [FamilyMember] { [] }
}
