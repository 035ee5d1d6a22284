/// TensorFlow's loss ops (`tf.nn`), with the semantics of TensorFlow 2.21 on the CPU.
///
/// These return the elementwise (or per-row) loss with no reduction and take no sample
/// weights. `y_true` is the op's `labels` (`targets` for `log_poisson_loss`) and
/// `y_pred` its `logits` (`log_input`); the gradient is taken with respect to the latter.
public enum TF {
  /// `tf.nn.sigmoid_cross_entropy_with_logits(labels, logits)`:
  /// `max(x, 0) − x·z + log(1 + e^{−|x|})`, elementwise. Labels need not be 0 or 1.
  public struct SigmoidCrossEntropyWithLogits: LossFunction {
    public init() {}
    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, labels: "labels", logits: "logits")
      t.step = "max(x, 0) − x·z + log1p(exp(−|x|))"
      return try TensorFlowOps.sigmoidCrossEntropyWithLogits(&t, labels: labels, logits: logits)
    }
  }

  /// `tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)`:
  /// `q·z·(−log σ(x)) + (1 − z)·(−log(1 − σ(x)))`, computed as TF does. At `x = 0`
  /// exactly, TF's gradient is `1 − z` (it drops the `log1p` term's derivative there).
  public struct WeightedCrossEntropyWithLogits: LossFunction {
    /// `pos_weight`: a number, or a tensor that broadcasts against the labels.
    public enum PositiveWeight: Sendable, Equatable {
      case scalar(Double)
      case tensor(Tensor<Double>)
    }
    public var posWeight: PositiveWeight

    public init(posWeight: PositiveWeight) { self.posWeight = posWeight }
    public init(posWeight: Double) { self.posWeight = .scalar(posWeight) }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, labels: "labels", logits: "logits")
      t.step = "(1 − z)·x + (1 + (q − 1)·z)·(log1p(exp(−|x|)) + relu(−x))"
      return try TensorFlowOps.weightedCrossEntropyWithLogits(&t, labels: labels, logits: logits, posWeight: posWeight)
    }
  }

  /// `tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis)`: `−Σ y·log_softmax(x)`
  /// over `axis`, by the fused kernel. Its gradient is `softmax − y`, which is the true
  /// gradient only when each label row sums to one.
  public struct SoftmaxCrossEntropyWithLogits: LossFunction {
    public var axis: Int
    public init(axis: Int = -1) { self.axis = axis }
    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, labels: "labels", logits: "logits")
      t.step = "fused softmax cross-entropy (axis \(axis))"
      return try TensorFlowOps.softmaxCrossEntropyWithLogits(&t, labels: labels, logits: logits, axis: axis)
    }
  }

  /// `tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)`: integer labels of
  /// shape `logits.shape[:-1]`; a label outside `[0, C)` is an error (TF's CPU kernel).
  public struct SparseSoftmaxCrossEntropyWithLogits: LossFunction {
    public init() {}
    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try TF.recordInputs(&t, inputs, labels: "labels", logits: "logits")
      let classIndices = try ClassLabels.exact(t[labels], argument: "labels")
      t.step = "fused sparse softmax cross-entropy"
      return try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(&t, labels: classIndices, logits: logits)
    }
  }

  /// `tf.nn.log_poisson_loss(targets, log_input, compute_full_loss)`: `exp(c) − c·z`,
  /// plus Stirling's approximation of `log(z!)` where `z > 1` when `computeFullLoss`.
  public struct LogPoissonLoss: LossFunction {
    public var computeFullLoss: Bool
    public init(computeFullLoss: Bool = false) { self.computeFullLoss = computeFullLoss }
    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, logInput) = try TF.recordInputs(&t, inputs, labels: "targets", logits: "log_input")
      t.step = "exp(c) − c·z"
      return try TensorFlowOps.logPoissonLoss(&t, targets: targets, logInput: logInput, computeFullLoss: computeFullLoss)
    }
  }

  /// Records an op's two inputs; `tf.nn` ops take no sample weight.
  static func recordInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, labels: String, logits: String
  ) throws -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    guard inputs.sampleWeight == nil else {
      throw LossError.invalidValue(
        argument: "sample_weight", expected: "none (tf.nn ops take no sample weight)", got: "a tensor")
    }
    return t.recordInputs(inputs, yTrueName: labels, yPredName: logits)
  }
}
