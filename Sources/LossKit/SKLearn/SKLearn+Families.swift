extension SKLearn {
  /// scikit-learn's loss metrics in their families (`compare`, `diagnose`, `plot`, the
  /// input lint). A metric joins its family with one row here.
  ///
  /// The metrics return a (weighted) mean, `log_loss` a sum with `normalize=False`;
  /// none returns per-sample values, so compare and diagnose read those from the trace.
  /// `log_loss` on 1-D probabilities of the positive class is binary cross-entropy:
  /// its binary member is given the elements flattened and `labels=[0, 1]`, so that a
  /// `y_true` of one class still names both.
  static var familyMembers: [FamilyMember] {
    let clip = "clipped to [ε, 1 − ε], ε = the machine epsilon of y_proba's dtype (2⁻²³ in float32, 2⁻⁵² in float64)"
    return [
      FamilyMember(
        .binaryCrossentropy, .sklearn, "log_loss", form: .probabilities, targets: .binary, reduction: .sklearnNormalize,
        perSample: .elements,
        convention: "1-D probabilities of the positive class (y flattened, labels=[0, 1]), \(clip); mean over samples",
        classLabels: "labels", flattensInputs: true),
      FamilyMember(
        .categoricalCrossentropy, .sklearn, "log_loss", form: .probabilities, targets: .distribution,
        reduction: .sklearnNormalize, perSample: .rows,
        convention: "a label-indicator y_true and probability rows, \(clip), not renormalised (rows off 1 only warn); "
          + "−Σ y·log p, mean over rows"),
      FamilyMember(
        .sparseCategoricalCrossentropy, .sklearn, "log_loss", form: .probabilities, targets: .classIndices,
        reduction: .sklearnNormalize, perSample: .rows,
        convention: "class labels (labels=[0, …, C − 1]) and probability rows, \(clip), not renormalised; mean over rows",
        classLabels: "labels"),
      FamilyMember(
        .mse, .sklearn, "mean_squared_error", form: .values, targets: .values, reduction: .alwaysMean,
        perSample: .elements,
        convention: "(y − ŷ)²: the mean over samples of each output column, then over the outputs; always a mean"),
      FamilyMember(
        .mae, .sklearn, "mean_absolute_error", form: .values, targets: .values, reduction: .alwaysMean,
        perSample: .elements,
        convention: "|y − ŷ|: the mean over samples of each output column, then over the outputs; always a mean"),
      FamilyMember(
        .hinge, .sklearn, "hinge_loss", form: .values, targets: .signedOrBinary, reduction: .alwaysMean,
        perSample: .elements,
        convention: "1-D decisions (flattened): the two labels mapped to ±1 (a y_true of one class maps to −1), "
          + "max(0, 1 − y·f) in float64; always a mean",
        flattensInputs: true),
      FamilyMember(
        .poisson, .sklearn, "mean_poisson_deviance", form: .values, targets: .values, reduction: .alwaysMean,
        perSample: .elements,
        convention: "rates (flattened: one output only): the deviance 2·(y·log(y/μ) − y + μ), twice the Poisson NLL "
          + "minus its value at μ = y (0 for a perfect prediction); needs μ > 0; always a mean",
        flattensInputs: true),
    ]
  }
}
