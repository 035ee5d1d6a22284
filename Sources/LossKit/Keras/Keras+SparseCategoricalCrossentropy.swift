extension Keras {
  /// `keras.losses.SparseCategoricalCrossentropy`: cross-entropy against integer class
  /// labels, `y_true` of shape `y_pred.shape` without the class axis (a trailing 1 is
  /// squeezed).
  ///
  /// Labels arrive as floats (Keras casts `y_true` to the loss dtype) and are truncated
  /// toward zero. On the TensorFlow backend probabilities are clipped to `[ε, 1 − ε]`,
  /// logged, and passed to `sparse_softmax_cross_entropy_with_logits` — so an
  /// unnormalised row is clipped *then* normalised. A label outside `[0, C)` raises, as
  /// TF's CPU kernel does.
  ///
  /// With `ignoreClass`, positions whose label equals it get loss 0, no gradient, and are
  /// masked: `sum_over_batch_size` then divides by the number of valid positions.
  ///
  /// Backends: JAX, torch and numpy normalise *then* clip (p = [3, 1], label 1: TF
  /// 0.6931472, the others 1.3862944), and JAX returns 0 for an out-of-range label
  /// instead of failing. Only `axis = −1` works on TF.
  public struct SparseCategoricalCrossentropy: LossFunction {
    public var fromLogits: Bool
    public var ignoreClass: Int?
    public var reduction: Reduction
    public var axis: Int

    public init(fromLogits: Bool = false, ignoreClass: Int? = nil, reduction: Reduction = .sumOverBatchSize, axis: Int = -1) {
      self.fromLogits = fromLogits
      self.ignoreClass = ignoreClass
      self.reduction = reduction
      self.axis = axis
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Keras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        var labels = yTrue
        var predictions = yPred
        let predShape = t.shape(yPred)
        let trueShape = t.shape(yTrue)
        if trueShape.count == predShape.count, let resolved = Shape.normalize(axis: axis, rank: trueShape.count),
          trueShape[resolved] == 1
        {
          t.step = "squeeze y_true's class axis"
          labels = t.reshape(yTrue, to: Shape.removing(resolved, from: trueShape))
        }
        var validMask: Tensor<Bool>? = nil
        if let ignoreClass {
          t.step = "ignore_class=\(ignoreClass): zero the ignored positions"
          let classAxis = try Backend.normalize(axis: axis, rank: predShape.count)
          let ignored = S(ignoreClass)
          let valid = t[labels].map { $0 != ignored }
          let zeros = t.constant(S(0))
          labels = try t.select(valid, labels, zeros)
          var expanded = valid.shape
          expanded.insert(1, at: min(classAxis, expanded.count))
          predictions = try t.select(valid.reshaped(to: expanded), yPred, zeros)
          validMask = valid
        }
        var loss = try Backend.sparseCategoricalCrossentropy(
          &t, target: labels, output: predictions, fromLogits: fromLogits, axis: axis)
        if let valid = validMask {
          t.step = "zero the loss at ignored positions and mask them"
          let mask = valid.reshaped(to: t.shape(loss))
          loss = try t.select(mask, loss, t.constant(S(0)))
          return PerSampleLoss(value: loss, mask: mask)
        }
        return PerSampleLoss(value: loss)
      }
    }
  }
}
