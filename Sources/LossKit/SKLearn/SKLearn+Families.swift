extension SKLearn {
  /// scikit-learn's loss metrics in their families. Empty until the sklearn losses are
  /// merged. Merging lead: one row per function, e.g.
  ///
  /// ```swift
  /// // log_loss on 1-D probabilities of the positive class is binary cross-entropy:
  /// FamilyMember(.binaryCrossentropy, .sklearn, "log_loss", form: .probabilities, targets: .binary,
  ///   reduction: ReductionTranslation(parameter: "normalize", mean: .bool(true), sum: .bool(false), none: nil),
  ///   perSample: .elements, sampleWeight: .parameter("sample_weight"),
  ///   convention: "probabilities clipped to the dtype's machine epsilon; weighted mean (float64)"),
  /// FamilyMember(.categoricalCrossentropy, .sklearn, "log_loss", form: .probabilities, targets: .classIndices, ...),
  /// FamilyMember(.mse, .sklearn, "mean_squared_error", ...), FamilyMember(.mae, .sklearn, "mean_absolute_error", ...),
  /// FamilyMember(.hinge, .sklearn, "hinge_loss", targets: .signed, ...), FamilyMember(.poisson, .sklearn, "mean_poisson_deviance", ...)
  /// ```
  static var familyMembers: [FamilyMember] { [] }
}
