extension Keras {
  /// Keras 3's losses in their families (`compare`, `diagnose`, `plot`, the input lint).
  /// A Keras 3 loss joins its family with one row here.
  static var familyMembers: [FamilyMember] {
    sharedFamilyMembers(reduction: .keras, binaryProbabilities: "probabilities clipped to [1e-7, 1 − 1e-7], then log(p)")
      + sharedRegressionMembers(reduction: .keras)
      + [
        FamilyMember(
          .sparseCategoricalCrossentropy, .keras, "SparseCategoricalCrossentropy", form: .probabilities,
          targets: .classIndices, reduction: .keras, perSample: .rows, dtypeParameter: "dtype",
          convention: "probabilities clipped to [1e-7, 1 − 1e-7], log, then sparse softmax cross-entropy (clip, then normalise)"),
        FamilyMember(
          .sparseCategoricalCrossentropy, .keras, "SparseCategoricalCrossentropy", parameters: ["from_logits": .bool(true)],
          form: .logits, targets: .classIndices, reduction: .keras, perSample: .rows, dtypeParameter: "dtype",
          convention: "logits: sparse_softmax_cross_entropy_with_logits", isPrimary: false),
        FamilyMember(
          .generalizedCrossentropy, .keras, "CategoricalGeneralizedCrossEntropy", form: .probabilities,
          targets: .classIndices, reduction: .keras, perSample: .rows, parameterNames: ["q": "q"], dtypeParameter: "dtype",
          convention: "(1 − p_y^q) / q of the unclipped probability of the label"),
      ]
  }
}
