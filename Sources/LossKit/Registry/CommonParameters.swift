/// Parameter descriptions shared by several losses.
enum CommonParameters {
  static func fromLogits(_ value: Bool) -> ParameterSpec {
    ParameterSpec("from_logits", .bool, default: .bool(value), "y_pred holds logits rather than probabilities")
  }
  static func binaryLabelSmoothing(_ value: Double) -> ParameterSpec {
    ParameterSpec("label_smoothing", .float, default: .float(value), "move labels toward 0.5: y·(1 − ls) + 0.5·ls")
  }
  static func categoricalLabelSmoothing(_ value: Double) -> ParameterSpec {
    ParameterSpec("label_smoothing", .float, default: .float(value), "move labels toward 1/C: y·(1 − ls) + ls/C")
  }
  static func axis(_ value: Int, _ summary: String) -> ParameterSpec {
    ParameterSpec("axis", .int, default: .int(value), summary)
  }
  static func alpha(_ value: Double, _ summary: String) -> ParameterSpec {
    ParameterSpec("alpha", .float, default: .float(value), summary)
  }
  static func gamma(_ value: Double) -> ParameterSpec {
    ParameterSpec("gamma", .float, default: .float(value), "focusing exponent of the factor (1 − p_t)^γ")
  }
  static func ignoreClass() -> ParameterSpec {
    ParameterSpec("ignore_class", .optionalInt, default: .null, "label value whose positions get zero loss and are masked")
  }

  // The parameter lists of the classes Keras 3 and tf-keras share, in constructor order.

  static func binaryCrossentropy(fromLogits: Bool, labelSmoothing: Double, axis: Int, reduction: ParameterSpec)
    -> [ParameterSpec]
  {
    [
      Self.fromLogits(fromLogits), binaryLabelSmoothing(labelSmoothing), Self.axis(axis, "axis the mean runs over"),
      reduction,
    ]
  }

  static func binaryFocalCrossentropy(
    applyClassBalancing: Bool, alpha: Double, gamma: Double, fromLogits: Bool, labelSmoothing: Double, axis: Int,
    reduction: ParameterSpec
  ) -> [ParameterSpec] {
    [
      ParameterSpec("apply_class_balancing", .bool, default: .bool(applyClassBalancing), "weight by α for 1s, 1 − α for 0s"),
      Self.alpha(alpha, "class-balancing weight of the positive class"), Self.gamma(gamma),
      Self.fromLogits(fromLogits), binaryLabelSmoothing(labelSmoothing), Self.axis(axis, "axis the mean runs over"),
      reduction,
    ]
  }

  static func categoricalCrossentropy(fromLogits: Bool, labelSmoothing: Double, axis: Int, reduction: ParameterSpec)
    -> [ParameterSpec]
  {
    [Self.fromLogits(fromLogits), categoricalLabelSmoothing(labelSmoothing), Self.axis(axis, "class axis"), reduction]
  }

  static func categoricalFocalCrossentropy(
    alpha: Double, gamma: Double, fromLogits: Bool, labelSmoothing: Double, axis: Int, reduction: ParameterSpec
  ) -> [ParameterSpec] {
    [
      Self.alpha(alpha, "multiplier of every class"), Self.gamma(gamma), Self.fromLogits(fromLogits),
      categoricalLabelSmoothing(labelSmoothing), Self.axis(axis, "class axis"), reduction,
    ]
  }
}
