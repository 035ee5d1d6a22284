extension TFKeras {
  /// tf-keras's losses in their families (`compare`, `diagnose`, `plot`, the input lint).
  /// A tf-keras loss joins its family with one row here.
  static var familyMembers: [FamilyMember] {
    sharedFamilyMembers(
      reduction: .tfKeras, binaryProbabilities: "probabilities clipped to [1e-7, 1 − 1e-7], then log(p + 1e-7)")
      + sharedRegressionMembers(reduction: .tfKeras)
      + [
        FamilyMember(
          .sparseCategoricalCrossentropy, .tfKeras, "SparseCategoricalCrossentropy", form: .probabilities,
          targets: .classIndices, reduction: .tfKeras, perSample: .rows,
          convention: "probabilities clipped to [1e-7, 1 − 1e-7], log, then sparse softmax cross-entropy (clip, then normalise)"),
        FamilyMember(
          .sparseCategoricalCrossentropy, .tfKeras, "SparseCategoricalCrossentropy",
          parameters: ["from_logits": .bool(true)], form: .logits, targets: .classIndices, reduction: .tfKeras,
          perSample: .rows, convention: "logits: sparse_softmax_cross_entropy_with_logits", isPrimary: false),
      ]
  }
}
