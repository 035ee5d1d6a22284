extension TFKeras {
  /// `tf_keras.losses.SparseCategoricalCrossentropy` (no `axis` argument: the class axis
  /// is last). Probabilities are clipped and logged before the sparse kernel; with
  /// `ignoreClass` the ignored positions are dropped before the kernel, get loss 0,
  /// and are masked (`auto` divides by the valid count; with none valid, NaN).
  public struct SparseCategoricalCrossentropy: KerasFamilyLoss, KerasFunctionalForm {
    public typealias Convention = TFKeras
    public var fromLogits: Bool
    public var ignoreClass: Int?
    public var reduction: Reduction
    /// The class axis of the *function* `sparse_categorical_crossentropy(..., axis=-1)`;
    /// the class has no `axis` argument and always uses the last axis.
    public var functionAxis: Int = -1
    /// tf-keras has no `dtype` argument; a value casts the inputs like Keras 3's.
    public var dtype: DType? = nil

    public init() { self.init(fromLogits: false) }

    public init(fromLogits: Bool = false, ignoreClass: Int? = nil, reduction: Reduction = .auto) {
      self.fromLogits = fromLogits
      self.ignoreClass = ignoreClass
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .tfKeras, "SparseCategoricalCrossentropy", summary: "cross-entropy against integer labels (class axis last)",
      parameters: [
        LossParameter("from_logits", \.fromLogits, KerasFamily.fromLogitsSummary),
        LossParameter("ignore_class", \.ignoreClass, "label value whose positions get zero loss and are masked"),
        LossParameter("reduction", \.reduction, "how the weighted per-sample losses are reduced"),
      ],
      takesClassIndices: true,
      notes: [
        ConventionNote("all positions ignored", "the mask weight total/valid divides by zero: the loss is NaN (Keras 3 returns 0)")
      ])

    public static var functionName: String { "sparse_categorical_crossentropy" }
    public static var functionSummary: String { "cross-entropy against integer labels" }
    public static var functionTakesClassIndices: Bool { true }
    public static var functionParameters: [LossParameter<KerasFunction<Self>>] {
      [
        LossParameter("from_logits", \.loss.fromLogits, KerasFamily.fromLogitsSummary),
        LossParameter("axis", \.loss.functionAxis, "class axis (moved last before the kernel)"),
        LossParameter("ignore_class", \.loss.ignoreClass, "label value whose positions get zero loss"),
      ]
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      var classForm = self
      classForm.functionAxis = -1
      return try classForm.callClass(on: &t, inputs)
    }

    public func perSample<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
    ) throws -> PerSampleLoss<S> {
      let (loss, mask) = try Backend.sparseCategoricalCrossentropy(
        &t, target: yTrue, output: yPred, fromLogits: fromLogits, axis: functionAxis, ignoreClass: ignoreClass)
      return PerSampleLoss(value: loss, mask: mask)
    }
  }
}
