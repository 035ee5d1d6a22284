import CLossKitKernels

/// `optax.losses.sigmoid_binary_cross_entropy` in one pass: per element
/// `−y·log_sigmoid(x) − (1 − y)·log_sigmoid(−x)` with the same float operations, in the
/// same order, as the traced JAX policy (``JAXOps/logaddexp(_:_:_:)``: XLA's `exp` and
/// `log1p`, every operand and result flushed), vectorised C in parallel pieces of 64 Ki
/// elements.
///
/// Labels and logits of one shape; with a gradient, that of the summed loss with respect
/// to the logits, as the trace's backward pass computes it (JAX's logaddexp JVP), into
/// the caller's buffer or a new one. Broadcast labels run traced. The conformance suite
/// runs every case through both.
extension Optax.SigmoidBinaryCrossEntropy: FusedLoss, ExactlyReducible {
  /// Whether the kernel reproduces this policy: XLA's functions, every value flushed
  /// (the kernel flushes lane by lane as the policy does: no MXCSR mode needed).
  private var kernelCovers: Bool {
    let environment = KernelEnvironment(policy)
    return environment.elementaryFunctions == .xla && environment.flushesSubnormals
  }

  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == inputs.yPred.shape, kernelCovers else { return nil }
    return FusedExecution.elementwiseLoss(inputs, gradient: gradient, into: buffer) { _, n, x, y, loss, g in
      lk_optax_sigmoid_bce(x, y, n, loss, g)
    }
  }

  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    guard kernelCovers else { return nil }
    return FusedExecution.elementwiseExactSum(inputs) { _, n, x, y, loss in lk_optax_sigmoid_bce(x, y, n, loss, nil) }
  }
}
