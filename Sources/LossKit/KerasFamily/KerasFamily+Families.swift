extension KerasConvention {
  /// The family rows of the four loss classes Keras 3 and tf-keras share (each in its
  /// probability and its logits form), for ``Keras/familyMembers`` and
  /// ``TFKeras/familyMembers``.
  static func sharedFamilyMembers(reduction: ReductionTranslation, binaryProbabilities: String) -> [FamilyMember] {
    let f = framework
    let dtype = takesDType ? "dtype" : nil
    let logits: ParameterList = ["from_logits": .bool(true)]
    let smoothing = ["label_smoothing": "label_smoothing"]
    return [
      FamilyMember(
        .binaryCrossentropy, f, "BinaryCrossentropy", form: .probabilities, targets: .binary, reduction: reduction,
        perSample: .meanOverLastAxis, parameterNames: smoothing, dtypeParameter: dtype,
        convention: binaryProbabilities + "; mean over the last axis, then over the batch"),
      FamilyMember(
        .binaryCrossentropy, f, "BinaryCrossentropy", parameters: logits, form: .logits, targets: .binary,
        reduction: reduction, perSample: .meanOverLastAxis, parameterNames: smoothing, dtypeParameter: dtype,
        convention: "logits: sigmoid_cross_entropy_with_logits, no clip; mean over the last axis, then over the batch",
        isPrimary: false),
      FamilyMember(
        .categoricalCrossentropy, f, "CategoricalCrossentropy", form: .probabilities, targets: .distribution,
        reduction: reduction, perSample: .rows, parameterNames: smoothing, dtypeParameter: dtype,
        convention: "probabilities divided by their row sum, clipped to [1e-7, 1 − 1e-7], −Σ y·log p; mean over rows"),
      FamilyMember(
        .categoricalCrossentropy, f, "CategoricalCrossentropy", parameters: logits, form: .logits,
        targets: .distribution, reduction: reduction, perSample: .rows, parameterNames: smoothing,
        dtypeParameter: dtype, convention: "logits: fused softmax_cross_entropy_with_logits; mean over rows",
        isPrimary: false),
      FamilyMember(
        .focal, f, "BinaryFocalCrossentropy", form: .probabilities, targets: .binary, reduction: reduction,
        perSample: .meanOverLastAxis, parameterNames: smoothing.merging(["gamma": "gamma"]) { a, _ in a },
        dtypeParameter: dtype, convention: "(1 − p_t)^γ × the framework's binary cross-entropy; mean over the last axis"),
      FamilyMember(
        .focal, f, "BinaryFocalCrossentropy", parameters: logits, form: .logits, targets: .binary,
        reduction: reduction, perSample: .meanOverLastAxis,
        parameterNames: smoothing.merging(["gamma": "gamma"]) { a, _ in a }, dtypeParameter: dtype,
        convention: "logits: (1 − p_t)^γ × sigmoid_cross_entropy_with_logits", isPrimary: false),
      FamilyMember(
        .categoricalFocal, f, "CategoricalFocalCrossentropy", form: .probabilities, targets: .distribution,
        reduction: reduction, perSample: .rows, parameterNames: smoothing.merging(["gamma": "gamma"]) { a, _ in a },
        dtypeParameter: dtype, convention: "probabilities normalised and clipped, α·(1 − p)^γ·(−y·log p) summed over the row"),
      FamilyMember(
        .categoricalFocal, f, "CategoricalFocalCrossentropy", parameters: logits, form: .logits,
        targets: .distribution, reduction: reduction, perSample: .rows,
        parameterNames: smoothing.merging(["gamma": "gamma"]) { a, _ in a }, dtypeParameter: dtype,
        convention: "logits: softmax, then the probability form", isPrimary: false),
    ]
  }
}
