import CLossKitKernels

/// `optax.losses.squared_error`, `l2_loss` and `huber_loss` in one pass: per element the
/// trace's operations in its order (every operand and result flushed), and the gradient
/// of the summed loss as its backward pass computes it (JAX's rules), into the caller's
/// buffer or a new one. Predictions and targets of one shape; anything else runs traced.
/// The conformance suite runs every case through both.
enum OptaxRegressionKernel {
  static func evaluate(
    kind: Int32, delta: Float = 0, _ inputs: LossInputs<Float>, policy: FrameworkPolicy, gradient: Bool,
    into buffer: UnsafeMutableBufferPointer<Float>?
  ) -> LossEvaluation<Float>? {
    let environment = KernelEnvironment(policy)
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == inputs.yPred.shape, environment.flushesSubnormals else { return nil }
    // The kernel flushes as the policy does: no MXCSR mode needed.
    return FusedExecution.elementwiseLoss(inputs, gradient: gradient, into: buffer) { _, n, p, t, loss, g in
      lk_optax_regression(kind, p, t, n, delta, loss, g)
    }
  }

  /// The kernel's per-element losses summed exactly (``ExactlyReducible``).
  static func exactElementSum(kind: Int32, delta: Float = 0, _ inputs: LossInputs<Float>, policy: FrameworkPolicy) -> ExactElementSum? {
    guard KernelEnvironment(policy).flushesSubnormals else { return nil }
    return FusedExecution.elementwiseExactSum(inputs) { _, n, p, t, loss in lk_optax_regression(kind, p, t, n, delta, loss, nil) }
  }
}

extension Optax.SquaredError: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    OptaxRegressionKernel.evaluate(kind: Int32(LK_OPTAX_SQUARED_ERROR), inputs, policy: policy, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    OptaxRegressionKernel.exactElementSum(kind: Int32(LK_OPTAX_SQUARED_ERROR), inputs, policy: policy)
  }
}

extension Optax.L2Loss: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    OptaxRegressionKernel.evaluate(kind: Int32(LK_OPTAX_L2), inputs, policy: policy, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    OptaxRegressionKernel.exactElementSum(kind: Int32(LK_OPTAX_L2), inputs, policy: policy)
  }
}

extension Optax.HuberLoss: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    OptaxRegressionKernel.evaluate(
      kind: Int32(LK_OPTAX_HUBER), delta: Float(delta), inputs, policy: policy, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    OptaxRegressionKernel.exactElementSum(kind: Int32(LK_OPTAX_HUBER), delta: Float(delta), inputs, policy: policy)
  }
}
