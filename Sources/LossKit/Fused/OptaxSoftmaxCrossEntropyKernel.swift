import CLossKitKernels

/// optax's softmax cross-entropies row by row in parallel, with the same float
/// operations, in the same order, as the traced JAX policy: XLA's `exp` and `log`,
/// YNNPACK's row sums, every operand and result flushed (the kernels flush lane by lane,
/// so no MXCSR mode is needed).
///
/// The kernels cover what makes those row sums YNNPACK's: float32 logits of 4,096
/// elements or more, the class axis last and at most 64 YNNPACK tiles of 32,768 classes
/// per row (a longer row is summed tile by tile, then the tiles' sums), and no `where`.
/// Smaller inputs (XLA's tree-order sums), other axes and masks run traced. With a gradient, that of the summed loss with respect to the logits, as the
/// trace's backward pass computes it. The conformance suite and `FusedValueOnlyTests`
/// hold them to the trace bit for bit.
enum OptaxSoftmaxKernel {
  /// The smallest logits that YNNPACK sums (the JAX policy's `largeReduction`), and the
  /// longest row the kernels take (`LK_YNN_TILES` tiles of 32,768).
  static let fusedElements = 4096, fusedClasses = 64 * 32768

  /// The number of classes when the kernels cover these inputs' logits under `policy`
  /// (and no sample weight is given), else nil.
  static func classes(_ inputs: LossInputs<Float>, axis: Optax.Axes, where mask: Tensor<Double>?, policy: FrameworkPolicy) -> Int? {
    let environment = KernelEnvironment(policy)
    let logits = inputs.yPred, shape = logits.shape
    guard inputs.sampleWeight == nil, mask == nil, axis.parameterValue == .int(-1) || axis.parameterValue == .int(shape.count - 1),
      environment.elementaryFunctions == .xla, environment.flushesSubnormals,
      let classes = shape.last, classes > 0, classes <= fusedClasses, logits.count >= fusedElements
    else { return nil }
    return classes
  }
}

/// `optax.losses.softmax_cross_entropy_with_integer_labels`
/// (``JAXOps/logsumexp(_:_:axes:b:where:keepDims:)`` minus the label's logit), for labels
/// in `[−C, C)` (negative ones count from the end); out-of-range labels (which gather
/// NaN) run traced.
extension Optax.SoftmaxCrossEntropyWithIntegerLabels: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard let classes = OptaxSoftmaxKernel.classes(inputs, axis: axis, where: self.where, policy: policy),
      inputs.yTrue.shape == Array(shape.dropLast()),
      let labels = SparseSoftmaxCrossEntropyKernel.classIndices(inputs.yTrue, classes: classes, truncating: false, fromEnd: true)
    else { return nil }
    return FusedExecution.rowLoss(logits: inputs.yPred, labels: labels, labelsPerRow: 1, gradient: gradient, into: buffer) {
      x, y, count, loss, g, scratch in lk_optax_sparse_xent_rows(x, y, count, classes, loss, g, scratch)
    }
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    try ExactElementSum.ofRows(self, inputs)  // an op without a reduction
  }
}

/// `optax.losses.softmax_cross_entropy` (``JAXOps/logSoftmax(_:_:axes:where:)``, then
/// `−Σ labels·log p`) for labels of the logits' shape; labels that broadcast run traced.
extension Optax.SoftmaxCrossEntropy: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard let classes = OptaxSoftmaxKernel.classes(inputs, axis: axis, where: self.where, policy: policy),
      inputs.yTrue.shape == shape
    else { return nil }
    return FusedExecution.rowLoss(
      logits: inputs.yPred, labels: inputs.yTrue.scalars, labelsPerRow: classes, gradient: gradient, into: buffer
    ) { x, y, count, loss, g, scratch in lk_optax_softmax_xent_rows(x, y, count, classes, loss, g, scratch) }
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    try ExactElementSum.ofRows(self, inputs)  // an op without a reduction
  }
}
