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
  public struct SparseCategoricalCrossentropy: KerasFamilyLoss, KerasFunctionalForm {
    public typealias Convention = Keras
    public var fromLogits: Bool
    public var ignoreClass: Int?
    public var reduction: Reduction
    public var axis: Int
    /// The dtype inputs are cast to (nil: float32).
    public var dtype: DType?

    public init() { self.init(fromLogits: false) }

    public init(
      fromLogits: Bool = false, ignoreClass: Int? = nil, reduction: Reduction = .sumOverBatchSize, axis: Int = -1,
      dtype: DType? = nil
    ) {
      self.fromLogits = fromLogits
      self.ignoreClass = ignoreClass
      self.reduction = reduction
      self.axis = axis
      self.dtype = dtype
    }

    public static let declaration = LossDeclaration<Self>(
      .keras, "SparseCategoricalCrossentropy", summary: "cross-entropy against integer labels; TF clips then normalises",
      parameters: [
        LossParameter("from_logits", \.fromLogits, KerasFamily.fromLogitsSummary),
        LossParameter("ignore_class", \.ignoreClass, "label value whose positions get zero loss and are masked"),
        LossParameter("reduction", \.reduction, "how the weighted per-sample losses are reduced"),
        LossParameter("axis", \.axis, "class axis (the TensorFlow backend supports only -1)"),
        LossParameter("dtype", \.dtype, "dtype the inputs are cast to and computed in (null: floatx, float32)"),
      ],
      takesClassIndices: true,
      notes: [
        ConventionNote("JAX, torch and numpy backends", "probabilities are normalised and then clipped (TF clips, then normalises): p = [3, 1], label 1 gives 1.3862944 instead of 0.6931472"),
        ConventionNote("JAX backend", "an out-of-range label silently gives loss 0 instead of an error"),
        ConventionNote("other axes", "the TF backend accepts only axis = −1; JAX and numpy fail on other axes in 3.15.1"),
      ])

    public static var functionName: String { "sparse_categorical_crossentropy" }
    public static var functionSummary: String { "cross-entropy against integer labels; TF clips then normalises" }
    public static var functionTakesClassIndices: Bool { true }
    public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
      [
        LossParameter("from_logits", \.loss.fromLogits, KerasFamily.fromLogitsSummary),
        LossParameter("ignore_class", \.loss.ignoreClass, "label value whose positions get zero loss"),
        LossParameter("axis", \.loss.axis, "class axis (the TensorFlow backend supports only -1)"),
      ]
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try callClass(on: &t, inputs)
    }

    public func perSample<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
    ) throws -> PerSampleLoss<S> {
      var labels = yTrue
      var predictions = yPred
      let predShape = t.shape(yPred)
      let trueShape = t.shape(yTrue)
      if trueShape.count == predShape.count, let resolved = Shape.normalize(axis: axis, rank: trueShape.count),
        trueShape[resolved] == 1
      {
        labels = t.step(.alignRanks, "squeeze y_true's class axis") { t in
          t.reshape(yTrue, to: Shape.removing(resolved, from: trueShape))
        }
      }
      var validMask: Tensor<Bool>? = nil
      if let ignoreClass {
        let classAxis = try Shape.resolve(axis: axis, rank: predShape.count)
        let valid = t[labels].map { $0 != S(ignoreClass) }
        (labels, predictions) = try t.step(
          .mask, "ignore_class=\(ignoreClass): zero the ignored positions", [.integer("ignore_class", ignoreClass)]
        ) { t in
          let zeros = t.constant(S(0))
          var expanded = valid.shape
          expanded.insert(1, at: min(classAxis, expanded.count))
          return (try t.select(valid, labels, zeros), try t.select(valid.reshaped(to: expanded), yPred, zeros))
        }
        validMask = valid
      }
      let loss = try Backend.sparseCategoricalCrossentropy(
        &t, target: labels, output: predictions, fromLogits: fromLogits, axis: axis)
      guard let valid = validMask else { return PerSampleLoss(value: loss) }
      return try t.step(.mask, "zero the loss at ignored positions and mask them") { t in
        let mask = valid.reshaped(to: t.shape(loss))
        return PerSampleLoss(value: try t.select(mask, loss, t.constant(S(0))), mask: mask)
      }
    }
  }
}
