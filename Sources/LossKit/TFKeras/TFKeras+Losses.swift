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
        try KerasFamily.binaryCrossentropy(
          TFKeras.self, &t, yTrue: yTrue, yPred: yPred, fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis)
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
        try KerasFamily.binaryFocalCrossentropy(
          TFKeras.self, &t, yTrue: yTrue, yPred: yPred, applyClassBalancing: applyClassBalancing, alpha: alpha,
          gamma: gamma, fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis)
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
        try KerasFamily.categoricalCrossentropy(
          TFKeras.self, &t, yTrue: yTrue, yPred: yPred, fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis)
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
        try KerasFamily.categoricalFocalCrossentropy(
          TFKeras.self, &t, yTrue: yTrue, yPred: yPred, alpha: alpha, gamma: gamma, fromLogits: fromLogits,
          labelSmoothing: labelSmoothing, axis: axis)
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
