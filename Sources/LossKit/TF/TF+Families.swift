extension TF {
  /// The `tf.nn` loss ops in their families. They return unreduced values and take no
  /// sample weight: compare shows their mean (or sum) and weights them itself.
  static var familyMembers: [FamilyMember] {
    [
      FamilyMember(
        .binaryCrossentropy, .tf, "sigmoid_cross_entropy_with_logits", form: .logits, targets: .binary, reduction: nil,
        perSample: .elements, sampleWeight: .none,
        convention: "logits: max(x, 0) − x·z + log1p(exp(−|x|)), unbounded; no reduction"),
      FamilyMember(
        .categoricalCrossentropy, .tf, "softmax_cross_entropy_with_logits", form: .logits, targets: .distribution,
        reduction: nil, perSample: .rows, sampleWeight: .none,
        convention: "logits: fused softmax cross-entropy over the last axis; one value per row"),
      FamilyMember(
        .sparseCategoricalCrossentropy, .tf, "sparse_softmax_cross_entropy_with_logits", form: .logits,
        targets: .classIndices, reduction: nil, perSample: .rows, sampleWeight: .none,
        convention: "logits: fused sparse softmax cross-entropy; one value per row"),
      FamilyMember(
        .poisson, .tf, "log_poisson_loss", form: .logRates, targets: .values, reduction: nil, perSample: .elements,
        sampleWeight: .none, convention: "log-rates: exp(c) − c·z (no Stirling term by default); no reduction"),
    ]
  }
}
