extension KerasConvention {
  /// The family rows of the four loss classes Keras 3 and tf-keras share (each in its
  /// probability and its logits form), for ``Keras/familyMembers`` and
  /// ``TFKeras/familyMembers``.
  static func sharedFamilyMembers(reduction: ReductionTranslation, binaryProbabilities: String) -> [FamilyMember] {
    let f = framework
    let dtype = takesDType ? "dtype" : nil
    let logits: ParameterList = ["from_logits": .bool(true)]
    let smoothing = ["label_smoothing": "label_smoothing"]
    let focalNames = ["label_smoothing": "label_smoothing", "gamma": "gamma"]
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
        perSample: .meanOverLastAxis, parameterNames: focalNames,
        dtypeParameter: dtype, convention: "(1 − p_t)^γ × the framework's binary cross-entropy; mean over the last axis"),
      FamilyMember(
        .focal, f, "BinaryFocalCrossentropy", parameters: logits, form: .logits, targets: .binary,
        reduction: reduction, perSample: .meanOverLastAxis,
        parameterNames: focalNames, dtypeParameter: dtype,
        convention: "logits: (1 − p_t)^γ × sigmoid_cross_entropy_with_logits", isPrimary: false),
      FamilyMember(
        .categoricalFocal, f, "CategoricalFocalCrossentropy", form: .probabilities, targets: .distribution,
        reduction: reduction, perSample: .rows, parameterNames: focalNames,
        dtypeParameter: dtype, convention: "probabilities normalised and clipped, α·(1 − p)^γ·(−y·log p) summed over the row"),
      FamilyMember(
        .categoricalFocal, f, "CategoricalFocalCrossentropy", parameters: logits, form: .logits,
        targets: .distribution, reduction: reduction, perSample: .rows,
        parameterNames: focalNames, dtypeParameter: dtype,
        convention: "logits: softmax, then the probability form", isPrimary: false),
    ]
  }

  /// The family rows of the regression, hinge, Poisson, KL and cosine loss classes
  /// Keras 3 and tf-keras share, for ``Keras/familyMembers`` and ``TFKeras/familyMembers``.
  /// Their per-sample loss is a mean over the last axis (a sum for `KLDivergence`, one
  /// value per row for `CosineSimilarity`), then the reduction over the batch.
  static func sharedRegressionMembers(reduction: ReductionTranslation) -> [FamilyMember] {
    let f = framework
    let dtype = takesDType ? "dtype" : nil
    func member(
      _ family: FamilyID, _ loss: String, form: PredictionForm = .values, targets: TargetForm = .values,
      perSample: PerSampleRule = .meanOverLastAxis, names: [String: String] = [:], _ convention: String
    ) -> FamilyMember {
      FamilyMember(
        family, f, loss, form: form, targets: targets, reduction: reduction, perSample: perSample, parameterNames: names,
        dtypeParameter: dtype, convention: convention)
    }
    return [
      member(.mse, "MeanSquaredError", "(y − p)²; mean over the last axis, then over the batch"),
      member(.mae, "MeanAbsoluteError", "|y − p|; mean over the last axis, then over the batch"),
      member(.huber, "Huber", names: ["delta": "delta"], "½e² where |e| ≤ δ, else δ·|e| − ½δ²; mean over the last axis"),
      member(.logCosh, "LogCosh", "e + softplus(−2e) − log 2; mean over the last axis"),
      member(
        .hinge, "Hinge", targets: .signedOrBinary,
        "max(1 − y·p, 0), labels converted to {−1, 1} only when every label is 0 or 1; mean over the last axis"),
      member(.poisson, "Poisson", "rates: p − y·log(p + 1e-7), no clip; mean over the last axis"),
      member(
        .klDivergence, "KLDivergence", form: .probabilities, targets: .distribution, perSample: .sumOverLastAxis,
        "y and p clipped to [1e-7, 1], Σ y·log(y/p) over the last axis, then the mean over the batch"),
      member(
        .cosineSimilarity, "CosineSimilarity", perSample: .rows,
        "−Σ l2_normalize(y)·l2_normalize(p) over the last axis (the negative similarity); mean over rows"),
    ]
  }
}
