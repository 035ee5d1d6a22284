/// Steps shared by the Keras 3 and tf-keras losses, parameterised by a
/// ``KerasConvention`` where the frameworks differ (the label smoothing steps serve
/// `tf.compat.v1.losses` too).
enum KerasFamily {
  typealias Value<S: LossScalar> = LossTrace<S>.Value

  static let fromLogitsSummary = "y_pred holds logits rather than probabilities"
  static let gammaSummary = "focusing exponent of the factor (1 − p_t)^γ"

  /// `y·(1 − ls) + 0.5·ls`, or `y` unchanged when `ls` is 0 (Keras skips it then).
  static func smoothBinaryLabels<C: KerasConvention, S: LossScalar>(
    _: C.Type, _ t: inout LossTrace<S>, _ y: Value<S>, _ labelSmoothing: Double
  ) throws -> Value<S> {
    guard labelSmoothing != 0 else { return y }
    let (keep, half): (S, S) = C.labelSmoothingFactors(labelSmoothing)
    return smoothBinaryLabels(&t, y, labelSmoothing, keep: keep, half: half)
  }

  /// The step `y·keep + half` with `keep = 1 − ls` and `half = 0.5·ls` already in the
  /// dtype (also `tf.compat.v1.losses.sigmoid_cross_entropy`'s, from Python floats).
  static func smoothBinaryLabels<S: LossScalar>(
    _ t: inout LossTrace<S>, _ y: Value<S>, _ labelSmoothing: Double, keep: S, half: S
  ) -> Value<S> {
    t.step(
      .labelSmoothing, "label smoothing toward 0.5: y·(1 − ls) + 0.5·ls",
      [.number("label_smoothing", labelSmoothing), .text("toward", "0.5")]
    ) { t in
      t.add(t.multiply(y, keep), half)
    }
  }

  /// `y·(1 − ls) + ls / C` with `C` a tensor of y's dtype, or `y` when `ls` is 0.
  static func smoothCategoricalLabels<C: KerasConvention, S: LossScalar>(
    _: C.Type, _ t: inout LossTrace<S>, _ y: Value<S>, _ labelSmoothing: Double, axis: Int
  ) throws -> Value<S> {
    guard labelSmoothing != 0 else { return y }
    let classes = try C.smoothingClasses(yTrueShape: t.shape(y), axis: axis)
    let (keep, _): (S, S) = C.labelSmoothingFactors(labelSmoothing)
    return try smoothCategoricalLabels(&t, y, labelSmoothing, keep: keep, classes: classes)
  }

  /// The step `y·keep + ls / C` with `keep = 1 − ls` already in the dtype and `ls / C`
  /// divided in it (also `tf.compat.v1.losses.softmax_cross_entropy`'s).
  static func smoothCategoricalLabels<S: LossScalar>(
    _ t: inout LossTrace<S>, _ y: Value<S>, _ labelSmoothing: Double, keep: S, classes: Int
  ) throws -> Value<S> {
    try t.step(
      .labelSmoothing, "label smoothing toward 1/C: y·(1 − ls) + ls/C (C = \(classes))",
      [.number("label_smoothing", labelSmoothing), .text("toward", "1/C"), .integer("classes", classes)]
    ) { t in
      let share = try t.divide(t.constant(S(labelSmoothing)), t.constant(S(classes), name: "C"))
      return try t.add(t.multiply(y, keep), share)
    }
  }

  /// `ops.mean(x, axis)` / `ops.sum(x, axis)` inside a loss function.
  static func axisReduction<S: LossScalar>(
    _ t: inout LossTrace<S>, _ op: ReduceOp, _ x: Value<S>, axis: Int
  ) throws -> Value<S> {
    let resolved = try Shape.resolve(axis: axis, rank: t.shape(x).count)
    return t.step(.axisReduction, "\(op.rawValue) over axis \(axis)", [.text("op", op.rawValue), .integer("axis", axis)]) { t in
      t.reduce(op, x, axes: [resolved])
    }
  }

  /// Probabilities divided by their sum over `axis`, then clipped to `[ε, 1 − ε]`.
  static func normalizeAndClip<S: LossScalar>(
    _ t: inout LossTrace<S>, _ probabilities: Value<S>, axis: Int, resolved: Int
  ) throws -> Value<S> {
    let normalized = try t.step(.normalize, "divide y_pred by its sum over axis \(axis)", [.integer("axis", axis)]) { t in
      let total = t.sum(probabilities, axis: resolved, keepDims: true)
      return try t.divide(probabilities, total)
    }
    return clip(&t, normalized, Keras.epsilon)
  }

  /// `clip_by_value(x, ε, 1 − ε)` with `ε` and `1 − ε` Python floats rounded to `S`.
  static func clip<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>, _ epsilon: Double) -> Value<S> {
    let (lower, upper) = (S(epsilon), S(1 - epsilon))
    return t.step(
      .clip, "clip to [ε, 1 − ε] = [\(lower), \(upper)]",
      [.number("lower", Double(lower)), .number("upper", Double(upper))]
    ) { t in
      TensorFlowOps.clipByValue(&t, x, lower, upper)
    }
  }

  /// The error of the regression losses: Keras 3 writes `y_true − y_pred`, tf-keras
  /// `y_pred − y_true` (the same magnitude, so the same losses and gradients).
  static func difference<C: KerasConvention, S: LossScalar>(
    _: C.Type, _ t: inout LossTrace<S>, _ yTrue: Value<S>, _ yPred: Value<S>
  ) throws -> Value<S> {
    C.framework == .keras
      ? try t.subtract(yTrue, yPred, argument: "y_true") : try t.subtract(yPred, yTrue, argument: "y_true")
  }

  /// `convert_binary_labels_to_hinge` (tf-keras `_maybe_convert_labels`): when every
  /// label of the whole tensor is 0 or 1, `2y − 1`; otherwise the labels unchanged.
  static func hingeLabels<S: LossScalar>(_ t: inout LossTrace<S>, _ y: Value<S>) -> Value<S> {
    let isBinary = t[y].scalars.allSatisfy { $0 == 0 || $0 == 1 }
    return t.step("label-conversion", isBinary ? "labels in {0, 1}: 2y − 1" : "labels not all in {0, 1}: unchanged",
      [.flag("converted", isBinary)]) { t in
      isBinary ? t.add(t.multiply(y, 2), -1) : y
    }
  }
}
