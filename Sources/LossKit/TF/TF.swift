/// TensorFlow's loss ops (`tf.nn`), with the semantics of TensorFlow 2.21 on the CPU.
///
/// These return the elementwise (or per-row) loss with no reduction and take no sample
/// weights. `y_true` is the op's `labels` (`targets` for `log_poisson_loss`) and
/// `y_pred` its `logits` (`log_input`); the gradient is taken with respect to the latter.
public enum TF {
  /// The registry entries of the `tf.nn` loss ops.
  static var definitions: [LossDefinition] {
    [
      LossDefinition(SigmoidCrossEntropyWithLogits.self),
      LossDefinition(WeightedCrossEntropyWithLogits.self),
      LossDefinition(SoftmaxCrossEntropyWithLogits.self),
      LossDefinition(SparseSoftmaxCrossEntropyWithLogits.self),
      LossDefinition(LogPoissonLoss.self),
    ]
  }

  /// Records an op's two inputs; `tf.nn` ops take no sample weight.
  static func recordInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, _ names: InputNames
  ) throws -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    guard inputs.sampleWeight == nil else {
      throw LossError.invalidValue(
        argument: "sample_weight", expected: "none (tf.nn ops take no sample weight)", got: "a tensor")
    }
    return t.recordInputs(inputs, yTrueName: names.yTrue, yPredName: names.yPred)
  }

  static let labelsAndLogits = InputNames(yTrue: "labels", yPred: "logits")
}

extension TF {
  /// `tf.nn.sigmoid_cross_entropy_with_logits(labels, logits)`:
  /// `max(x, 0) − x·z + log(1 + e^{−|x|})`, elementwise. Labels need not be 0 or 1.
  public struct SigmoidCrossEntropyWithLogits: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .tf, "sigmoid_cross_entropy_with_logits", summary: "elementwise max(x,0) − x·z + log(1 + e^−|x|)",
      parameters: [], inputNames: TF.labelsAndLogits, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try t.step(.elementwiseLoss, "max(x, 0) − x·z + log1p(exp(−|x|))", [.flag("from_logits", true)]) { t in
        try TensorFlowOps.sigmoidCrossEntropyWithLogits(&t, labels: labels, logits: logits)
      }
    }
  }

  /// `tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)`:
  /// `q·z·(−log σ(x)) + (1 − z)·(−log(1 − σ(x)))`, computed as TF does. At `x = 0`
  /// exactly, TF's gradient is `1 − z` (it drops the `log1p` term's derivative there).
  public struct WeightedCrossEntropyWithLogits: DeclaredLoss {
    /// `pos_weight`: a number, or a tensor that broadcasts against the labels.
    public enum PositiveWeight: Sendable, Equatable, ParameterConvertible {
      case scalar(Double)
      case tensor(Tensor<Double>)

      public init?(parameterValue: ParameterValue) {
        switch parameterValue {
        case .float(let q): self = .scalar(q)
        case .int(let q): self = .scalar(Double(q))
        case .tensor(let q): self = .tensor(q)
        default: return nil
        }
      }
      public var parameterValue: ParameterValue {
        switch self {
        case .scalar(let q): .float(q)
        case .tensor(let q): .tensor(q)
        }
      }
      public static var parameterExpectation: String { "a number or a tensor" }
    }

    /// Required: TensorFlow's `pos_weight` has no default.
    public var posWeight: PositiveWeight?

    public init() {}
    public init(posWeight: PositiveWeight) { self.posWeight = posWeight }
    public init(posWeight: Double) { self.posWeight = .scalar(posWeight) }

    public static let declaration = LossDeclaration<Self>(
      .tf, "weighted_cross_entropy_with_logits", summary: "sigmoid cross-entropy with positives weighted by pos_weight",
      parameters: [LossParameter(required: "pos_weight", \.posWeight, "weight of the positive term (number or tensor)")],
      inputNames: TF.labelsAndLogits, acceptsSampleWeight: false,
      notes: [
        ConventionNote("gradient at x = 0", "TF's abs′(0) = relu′(0) = 0 give 1 − z; the true derivative is 1 − z − (1 + (q − 1)·z)/2")
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, Self.declaration.inputNames)
      let posWeight = try self.posWeight.unwrapped(parameter: "pos_weight")
      return try t.step(
        .elementwiseLoss, "(1 − z)·x + (1 + (q − 1)·z)·(log1p(exp(−|x|)) + relu(−x))", [.flag("from_logits", true)]
      ) { t in
        try TensorFlowOps.weightedCrossEntropyWithLogits(&t, labels: labels, logits: logits, posWeight: posWeight)
      }
    }
  }

  /// `tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis)`: `−Σ y·log_softmax(x)`
  /// over `axis`, by the fused kernel. Its gradient is `softmax − y`, which is the true
  /// gradient only when each label row sums to one.
  public struct SoftmaxCrossEntropyWithLogits: DeclaredLoss {
    public var axis: Int = -1
    public init() {}
    public init(axis: Int = -1) { self.axis = axis }

    public static let declaration = LossDeclaration<Self>(
      .tf, "softmax_cross_entropy_with_logits", summary: "−Σ y·log_softmax(x) over axis (fused kernel)",
      parameters: [LossParameter("axis", \.axis, "class axis")], inputNames: TF.labelsAndLogits,
      acceptsSampleWeight: false,
      notes: [
        ConventionNote("enable_op_determinism()", "TF computes −Σ y·log_softmax(x) with autodiff instead of the fused kernel, so the gradient is the true (Σy)·softmax − y"),
        ConventionNote("tf.compat.v1.nn.softmax_cross_entropy_with_logits", "labels are wrapped in stop_gradient (v2 also differentiates them)"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try t.step(.fusedKernel, "fused softmax cross-entropy over axis \(axis)", [.integer("axis", axis)]) { t in
        try TensorFlowOps.softmaxCrossEntropyWithLogits(&t, labels: labels, logits: logits, axis: axis)
      }
    }
  }

  /// `tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)`: integer labels of
  /// shape `logits.shape[:-1]`; a label outside `[0, C)` is an error (TF's CPU kernel).
  public struct SparseSoftmaxCrossEntropyWithLogits: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .tf, "sparse_softmax_cross_entropy_with_logits", summary: "softmax cross-entropy against integer labels",
      parameters: [], inputNames: TF.labelsAndLogits, takesClassIndices: true, acceptsSampleWeight: false,
      notes: [ConventionNote("GPU", "an out-of-range label gives NaN loss and gradient instead of an error")])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, Self.declaration.inputNames)
      let classIndices = try ClassLabels.exact(t[labels], argument: "labels")
      return try t.step(.fusedKernel, "fused sparse softmax cross-entropy") { t in
        try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(&t, labels: classIndices, logits: logits)
      }
    }
  }

  /// `tf.nn.log_poisson_loss(targets, log_input, compute_full_loss)`: `exp(c) − c·z`,
  /// plus Stirling's approximation of `log(z!)` where `z > 1` when `computeFullLoss`.
  public struct LogPoissonLoss: DeclaredLoss {
    public var computeFullLoss = false
    public init() {}
    public init(computeFullLoss: Bool = false) { self.computeFullLoss = computeFullLoss }

    public static let declaration = LossDeclaration<Self>(
      .tf, "log_poisson_loss", summary: "exp(c) − c·z (+ Stirling term with compute_full_loss)",
      parameters: [LossParameter("compute_full_loss", \.computeFullLoss, "add Stirling's approximation of log(z!)")],
      inputNames: InputNames(yTrue: "targets", yPred: "log_input"), acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, logInput) = try TF.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try t.step(.elementwiseLoss, "exp(c) − c·z", [.flag("compute_full_loss", computeFullLoss)]) { t in
        try TensorFlowOps.logPoissonLoss(&t, targets: targets, logInput: logInput, computeFullLoss: computeFullLoss)
      }
    }
  }
}
