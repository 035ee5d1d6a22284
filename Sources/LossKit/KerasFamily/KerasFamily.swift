/// What Keras 3 and tf-keras do differently in the loss classes they share
/// (`BinaryCrossentropy`, `BinaryFocalCrossentropy`, `CategoricalCrossentropy`,
/// `CategoricalFocalCrossentropy`). Everything else about those losses is one body,
/// in ``KerasFamily``, so the two frameworks cannot drift apart by accident.
protocol KerasConvention {
  /// `(1 − ls, 0.5·ls)`: Keras 3 computes them as Python floats and then rounds to the
  /// dtype; tf-keras converts `ls` to the dtype first and computes in it.
  static func labelSmoothingFactors<S: LossScalar>(_ labelSmoothing: Double) -> (keep: S, half: S)
  /// The `C` of categorical label smoothing `y·(1 − ls) + ls/C`.
  static func smoothingClasses(yTrueShape: [Int], axis: Int) throws -> Int
  /// The elementwise binary cross-entropy of the framework's backend.
  static func binaryCrossentropy<S: LossScalar>(
    _ t: inout LossTrace<S>, target: LossTrace<S>.Value, output: LossTrace<S>.Value, fromLogits: Bool
  ) throws -> LossTrace<S>.Value
  /// Whether `categorical_focal_crossentropy` checks that the shapes agree (tf-keras)
  /// or lets them broadcast (Keras 3).
  static var checksCategoricalFocalShapes: Bool { get }
}

/// The per-sample bodies of the loss classes Keras 3 and tf-keras share, parameterised
/// by a ``KerasConvention``.
enum KerasFamily {
  typealias Value<S: LossScalar> = LossTrace<S>.Value

  /// `y·(1 − ls) + 0.5·ls`, or `y` unchanged when `ls` is 0 (Keras skips it then).
  static func smoothBinaryLabels<C: KerasConvention, S: LossScalar>(
    _: C.Type, _ t: inout LossTrace<S>, _ y: Value<S>, _ labelSmoothing: Double
  ) throws -> Value<S> {
    guard labelSmoothing != 0 else { return y }
    t.step = "label smoothing: y·(1 − ls) + 0.5·ls"
    let (keep, half): (S, S) = C.labelSmoothingFactors(labelSmoothing)
    return try t.add(t.multiply(y, keep), t.constant(half))
  }

  /// `y·(1 − ls) + ls / C` with `C` a tensor of y's dtype, or `y` when `ls` is 0.
  static func smoothCategoricalLabels<C: KerasConvention, S: LossScalar>(
    _: C.Type, _ t: inout LossTrace<S>, _ y: Value<S>, _ labelSmoothing: Double, axis: Int
  ) throws -> Value<S> {
    guard labelSmoothing != 0 else { return y }
    let classes = try C.smoothingClasses(yTrueShape: t.shape(y), axis: axis)
    t.step = "label smoothing: y·(1 − ls) + ls/C (C = \(classes))"
    let (keep, _): (S, S) = C.labelSmoothingFactors(labelSmoothing)
    let share = try t.divide(t.constant(S(labelSmoothing)), t.constant(S(classes), name: "C"))
    return try t.add(t.multiply(y, keep), share)
  }

  /// `binary_crossentropy`: the elementwise loss, then its mean over `axis`.
  static func binaryCrossentropy<C: KerasConvention, S: LossScalar>(
    _ convention: C.Type, _ t: inout LossTrace<S>, yTrue: Value<S>, yPred: Value<S>, fromLogits: Bool,
    labelSmoothing: Double, axis: Int
  ) throws -> PerSampleLoss<S> {
    let target = try smoothBinaryLabels(convention, &t, yTrue, labelSmoothing)
    let elementwise = try C.binaryCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits)
    t.step = "mean over axis \(axis)"
    return PerSampleLoss(value: try Keras.Backend.reduce(&t, .mean, elementwise, axis: axis))
  }

  /// `binary_focal_crossentropy`: `(1 − p_t)^γ` (× `α_t`) times the cross-entropy, mean
  /// over `axis`. With `fromLogits` the cross-entropy term is the stable logits op in
  /// both frameworks — tf-keras calls it directly, Keras 3's TensorFlow backend recovers
  /// the logits that its own `sigmoid` attached to its output — while `p_t` uses
  /// `sigmoid(x)`.
  static func binaryFocalCrossentropy<C: KerasConvention, S: LossScalar>(
    _ convention: C.Type, _ t: inout LossTrace<S>, yTrue: Value<S>, yPred: Value<S>, applyClassBalancing: Bool,
    alpha: Double, gamma: Double, fromLogits: Bool, labelSmoothing: Double, axis: Int
  ) throws -> PerSampleLoss<S> {
    let target = try smoothBinaryLabels(convention, &t, yTrue, labelSmoothing)
    var probabilities = yPred
    if fromLogits {
      t.step = "sigmoid(y_pred)"
      probabilities = t.sigmoid(yPred)
    }
    let bce = try C.binaryCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits)
    t.step = "focal factor (1 − p_t)^γ, p_t = y·p + (1 − y)·(1 − p)"
    let pt = try t.add(
      t.binary(.multiply, target, probabilities, argument: "y_true"),
      t.binary(.multiply, t.subtract(1, target), t.subtract(1, probabilities), argument: "y_true"))
    let focalFactor = t.pow(t.subtract(1, pt), S(gamma))
    var focal = try t.multiply(focalFactor, bce)
    if applyClassBalancing {
      t.step = "class balancing y·α + (1 − y)·(1 − α)"
      let weight = try t.add(t.multiply(target, S(alpha)), t.multiply(t.subtract(1, target), S(1 - alpha)))
      focal = try t.multiply(weight, focal)
    }
    t.step = "mean over axis \(axis)"
    return PerSampleLoss(value: try Keras.Backend.reduce(&t, .mean, focal, axis: axis))
  }

  /// `categorical_crossentropy`: smoothing toward `1/C`, then the TensorFlow backend's
  /// cross-entropy (identical in both frameworks).
  static func categoricalCrossentropy<C: KerasConvention, S: LossScalar>(
    _ convention: C.Type, _ t: inout LossTrace<S>, yTrue: Value<S>, yPred: Value<S>, fromLogits: Bool,
    labelSmoothing: Double, axis: Int
  ) throws -> PerSampleLoss<S> {
    let target = try smoothCategoricalLabels(convention, &t, yTrue, labelSmoothing, axis: axis)
    return PerSampleLoss(
      value: try Keras.Backend.categoricalCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits, axis: axis))
  }

  /// `categorical_focal_crossentropy`: `Σ α·(1 − p)^γ·(−y·log p)` over `axis`, after
  /// an optional softmax, renormalisation and clipping to `[ε, 1 − ε]`.
  static func categoricalFocalCrossentropy<C: KerasConvention, S: LossScalar>(
    _ convention: C.Type, _ t: inout LossTrace<S>, yTrue: Value<S>, yPred: Value<S>, alpha: Double, gamma: Double,
    fromLogits: Bool, labelSmoothing: Double, axis: Int
  ) throws -> PerSampleLoss<S> {
    // Both frameworks count the classes along the last axis here, whatever `axis` is.
    let target = try smoothCategoricalLabels(convention, &t, yTrue, labelSmoothing, axis: -1)
    if C.checksCategoricalFocalShapes { try Keras.Backend.requireSameShape(t, target: target, output: yPred) }
    var probabilities = yPred
    if fromLogits {
      t.step = "softmax over axis \(axis)"
      probabilities = try TensorFlowOps.softmax(&t, yPred, axis: axis)
    }
    t.step = "normalize to sum to 1 over axis \(axis)"
    let resolved = try Keras.Backend.normalize(axis: axis, rank: t.shape(probabilities).count)
    let total = t.sum(probabilities, axis: resolved, keepDims: true)
    let normalized = try t.divide(probabilities, total)
    t.step = "clip to [ε, 1 − ε]"
    let clipped = t.clipByValue(normalized, S(Keras.epsilon), S(1 - Keras.epsilon))
    t.step = "α·(1 − p)^γ·(−y·log p)"
    let crossEntropy = try t.binary(.multiply, t.negate(target), t.log(clipped), argument: "y_true")
    let modulating = t.pow(t.subtract(1, clipped), S(gamma))
    let weighting = t.multiply(modulating, S(alpha))
    let focal = try t.binary(.multiply, weighting, crossEntropy, argument: "y_true")
    t.step = "sum over axis \(axis)"
    return PerSampleLoss(value: try Keras.Backend.reduce(&t, .sum, focal, axis: axis))
  }
}
