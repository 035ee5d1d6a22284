extension TFKeras {
  /// `tf_keras.losses.SparseCategoricalCrossentropy` (no `axis` argument: the class axis
  /// is last). Probabilities are clipped and logged before the sparse kernel; with
  /// `ignoreClass` the ignored positions are dropped before the kernel, get loss 0,
  /// and are masked (`auto` divides by the valid count; with none valid, NaN).
  public struct SparseCategoricalCrossentropy: DeclaredLoss {
    public var fromLogits: Bool
    public var ignoreClass: Int?
    public var reduction: Reduction

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

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TFKeras.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in
        let (loss, mask) = try Backend.sparseCategoricalCrossentropy(
          &t, target: yTrue, output: yPred, fromLogits: fromLogits, axis: -1, ignoreClass: ignoreClass)
        return PerSampleLoss(value: loss, mask: mask)
      }
    }
  }
}
