extension TFKeras {
  /// `tf_keras.losses.BinaryCrossentropy`: like ``Keras/BinaryCrossentropy`` but the
  /// probability form adds ε inside each log after clipping (the "double epsilon"):
  /// for `y_true = [1, 1, 1]`, `y_pred = [1, 1, 0]` it gives 5.1416497 where Keras 3
  /// gives 5.3726983.
  public struct BinaryCrossentropy: LossFunction {
    public var fromLogits: Bool
    public var labelSmoothing: Double
    public var axis: Int
    public var reduction: Reduction

    public init(fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1, reduction: Reduction = .auto) {
      self.fromLogits = fromLogits
      self.labelSmoothing = labelSmoothing
      self.axis = axis
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TFKeras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        let target = labelSmoothing != 0 ? try Backend.smoothBinaryLabels(&t, yTrue, labelSmoothing) : yTrue
        let elementwise = try Backend.binaryCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits)
        t.step = "mean over axis \(axis)"
        return PerSampleLoss(value: try Keras.Backend.reduce(&t, .mean, elementwise, axis: axis))
      }
    }
  }

  /// `tf_keras.losses.BinaryFocalCrossentropy`. Unlike Keras 3's JAX/torch backends,
  /// with `fromLogits` the cross-entropy term is always computed from the logits
  /// (stable); `p_t` uses `sigmoid(x)`. The probability form uses the double-ε
  /// cross-entropy of ``TFKeras/BinaryCrossentropy``.
  public struct BinaryFocalCrossentropy: LossFunction {
    public var applyClassBalancing: Bool
    public var alpha: Double
    public var gamma: Double
    public var fromLogits: Bool
    public var labelSmoothing: Double
    public var axis: Int
    public var reduction: Reduction

    public init(
      applyClassBalancing: Bool = false, alpha: Double = 0.25, gamma: Double = 2.0, fromLogits: Bool = false,
      labelSmoothing: Double = 0, axis: Int = -1, reduction: Reduction = .auto
    ) {
      self.applyClassBalancing = applyClassBalancing
      self.alpha = alpha
      self.gamma = gamma
      self.fromLogits = fromLogits
      self.labelSmoothing = labelSmoothing
      self.axis = axis
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TFKeras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        let target = labelSmoothing != 0 ? try Backend.smoothBinaryLabels(&t, yTrue, labelSmoothing) : yTrue
        var sigmoidal = yPred
        if fromLogits {
          t.step = "sigmoid(y_pred)"
          sigmoidal = t.sigmoid(yPred)
        }
        t.step = "focal factor (1 − p_t)^γ, p_t = y·p + (1 − y)·(1 − p)"
        let pt = try t.add(
          t.binary(.multiply, target, sigmoidal, argument: "y_true"),
          t.binary(.multiply, t.subtract(1, target), t.subtract(1, sigmoidal), argument: "y_true"))
        let focalFactor = t.pow(t.subtract(1, pt), S(gamma))
        let bce = try Backend.binaryCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits)
        t.step = "focal factor × cross-entropy"
        var focal = try t.multiply(focalFactor, bce)
        if applyClassBalancing {
          t.step = "class balancing y·α + (1 − y)·(1 − α)"
          let weight = try t.add(t.multiply(target, S(alpha)), t.multiply(t.subtract(1, target), S(1 - alpha)))
          focal = try t.multiply(weight, focal)
        }
        t.step = "mean over axis \(axis)"
        return PerSampleLoss(value: try Keras.Backend.reduce(&t, .mean, focal, axis: axis))
      }
    }
  }

  /// `tf_keras.losses.CategoricalCrossentropy`. As Keras 3's TF backend, except that
  /// label smoothing takes `C` along `axis` and `1 − ε` is computed in the input dtype.
  public struct CategoricalCrossentropy: LossFunction {
    public var fromLogits: Bool
    public var labelSmoothing: Double
    public var axis: Int
    public var reduction: Reduction

    public init(fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1, reduction: Reduction = .auto) {
      self.fromLogits = fromLogits
      self.labelSmoothing = labelSmoothing
      self.axis = axis
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TFKeras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        var target = yTrue
        if labelSmoothing != 0 {
          let shape = t.shape(yTrue)
          let resolved = try Keras.Backend.normalize(axis: axis, rank: shape.count)
          target = try Backend.smoothCategoricalLabels(&t, yTrue, labelSmoothing, classes: shape[resolved])
        }
        let loss = try Backend.categoricalCrossentropy(&t, target: target, output: yPred, fromLogits: fromLogits, axis: axis)
        return PerSampleLoss(value: loss)
      }
    }
  }

  /// `tf_keras.losses.CategoricalFocalCrossentropy`: as ``Keras/CategoricalFocalCrossentropy``
  /// with the shape check and `1 − ε` of tf-keras.
  public struct CategoricalFocalCrossentropy: LossFunction {
    public var alpha: Double
    public var gamma: Double
    public var fromLogits: Bool
    public var labelSmoothing: Double
    public var axis: Int
    public var reduction: Reduction

    public init(
      alpha: Double = 0.25, gamma: Double = 2.0, fromLogits: Bool = false, labelSmoothing: Double = 0,
      axis: Int = -1, reduction: Reduction = .auto
    ) {
      self.alpha = alpha
      self.gamma = gamma
      self.fromLogits = fromLogits
      self.labelSmoothing = labelSmoothing
      self.axis = axis
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TFKeras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        var target = yTrue
        if labelSmoothing != 0 {
          guard let classes = t.shape(yTrue).last else {
            throw LossError.shapeMismatch(argument: "y_true", expected: "rank at least 1", got: "a scalar")
          }
          target = try Backend.smoothCategoricalLabels(&t, yTrue, labelSmoothing, classes: classes)
        }
        try Keras.Backend.requireSameShape(t, target: target, output: yPred)
        var probabilities = yPred
        if fromLogits {
          t.step = "softmax over axis \(axis)"
          probabilities = try TensorFlowOps.softmax(&t, yPred, axis: axis)
        }
        let (_, hi) = Backend.clipBounds(S.self)
        return PerSampleLoss(
          value: try CategoricalFocal.perSample(
            &t, target: target, probabilities: probabilities, axis: axis, alpha: alpha, gamma: gamma, upperBound: hi))
      }
    }
  }

  /// `tf_keras.losses.SparseCategoricalCrossentropy` (no `axis` argument: the class axis
  /// is last). Probabilities are clipped and logged before the sparse kernel; with
  /// `ignoreClass` the ignored positions are dropped before the kernel, get loss 0,
  /// and are masked (`auto` divides by the valid count; with none valid, NaN).
  public struct SparseCategoricalCrossentropy: LossFunction {
    public var fromLogits: Bool
    public var ignoreClass: Int?
    public var reduction: Reduction

    public init(fromLogits: Bool = false, ignoreClass: Int? = nil, reduction: Reduction = .auto) {
      self.fromLogits = fromLogits
      self.ignoreClass = ignoreClass
      self.reduction = reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TFKeras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        let (loss, mask) = try Backend.sparseCategoricalCrossentropy(
          &t, target: yTrue, output: yPred, fromLogits: fromLogits, axis: -1, ignoreClass: ignoreClass)
        return PerSampleLoss(value: loss, mask: mask)
      }
    }
  }
}
