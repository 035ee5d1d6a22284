import CLossKitKernels

/// TensorFlow's SoftmaxCrossEntropyWithLogits kernel fused, row by row in parallel:
/// `tf.nn.softmax_cross_entropy_with_logits` over the last axis, and Keras 3 / tf-keras
/// `CategoricalCrossentropy(from_logits=True)` (which call it) with their reduction.
/// Float32, labels of the logits' shape, class axis last; label smoothing, sample
/// weights and other axes run traced.
enum SoftmaxCrossEntropyKernel {
  /// Per-row losses and, when `gradient` is given, `seed`-scaled backprop written there.
  static func rows(
    logits: Tensor<Float>, labels: Tensor<Float>, seed: Float, gradient: UnsafeMutablePointer<Float>?,
    _ environment: KernelEnvironment
  ) -> [Float] {
    let classes = logits.shape.last!
    let rows = logits.count / classes
    return logits.scalars.withUnsafeBufferPointer { x in
      labels.scalars.withUnsafeBufferPointer { y in
        let pointers = UncheckedSendable((x.baseAddress!, y.baseAddress!, gradient))
        return FusedExecution.rowOutput(rows: rows, classes: classes, flushingSubnormals: environment.flushesSubnormals) {
          first, count, loss, scratch in
          let (x, y, b) = pointers.value
          lk_softmax_xent_rows(
            x + first * classes, y + first * classes, count, classes, first, rows, seed, loss,
            b.map { $0 + first * classes }, scratch)
        }
      }
    }
  }

  /// Whether the kernel covers these inputs (see the type's documentation).
  static func covers(_ inputs: LossInputs<Float>, axis: Int, policy: FrameworkPolicy) -> Bool {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, let classes = shape.last, classes > 0,
      !shape.contains(0), axis == -1 || axis == shape.count - 1
    else { return false }
    return KernelEnvironment(policy).elementaryFunctions.packet(Float.self) > 0
  }
}

extension TF.SoftmaxCrossEntropyWithLogits: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    guard SoftmaxCrossEntropyKernel.covers(inputs, axis: axis, policy: policy) else { return nil }
    let shape = inputs.yPred.shape
    return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
      let loss = SoftmaxCrossEntropyKernel.rows(
        logits: inputs.yPred, labels: inputs.yTrue, seed: 1, gradient: g, KernelEnvironment(policy))
      return Tensor(shape: Array(shape.dropLast()), scalars: loss)
    }
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    try ExactElementSum.ofRows(self, inputs)  // an op without a reduction
  }
}

extension KerasCategoricalCrossentropy: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard fromLogits, labelSmoothing == 0, shape.count >= 2,
      SoftmaxCrossEntropyKernel.covers(inputs, axis: axis, policy: policy)
    else { return nil }
    let environment = KernelEnvironment(policy)
    let rows = inputs.yPred.count / shape.last!
    let reduction = ReductionKind(reduction.rawValue)
    // The gradient per row is 1/count for the mean-like reductions (divide_no_nan's
    // 1/count), 1 for sum and none.
    let perRow: Float = reduction == .mean ? 1 / Float(rows) : 1
    return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
      let loss = SoftmaxCrossEntropyKernel.rows(
        logits: inputs.yPred, labels: inputs.yTrue, seed: perRow, gradient: g, environment)
      if reduction == .none { return Tensor(shape: Array(shape.dropLast()), scalars: loss) }
      let total = FusedExecution.withFlushing(environment.flushesSubnormals) {
        loss.withUnsafeBufferPointer { Kernels.contiguousSum($0, start: 0, count: rows, first: 0, environment) }
      }
      return Tensor(reduction == .sum ? total : total / Float(rows))
    }
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    guard let none = Convention.Reduction(rawValue: "none") else { return nil }
    var unreduced = self
    unreduced.reduction = none
    return try ExactElementSum.ofRows(unreduced, inputs)
  }
}
