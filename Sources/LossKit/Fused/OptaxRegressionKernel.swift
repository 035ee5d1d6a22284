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
    let count = inputs.yPred.count
    return KerasRowMeanKernel.withGradient(gradient, shape: inputs.yPred.shape, into: buffer) { g in
      let loss = inputs.yPred.scalars.withUnsafeBufferPointer { p in
        inputs.yTrue.scalars.withUnsafeBufferPointer { t in
          let pointers = UncheckedSendable((p.baseAddress, t.baseAddress, g))
          // The kernel flushes as the policy does: no MXCSR mode needed.
          return FusedExecution.elementwiseOutput(count: count) { start, n, out in
            let (p, t, g) = pointers.value
            lk_optax_regression(kind, p! + start, t! + start, n, delta, out, g.map { $0 + start })
          }
        }
      }
      return Tensor(shape: inputs.yPred.shape, scalars: loss)
    }
  }
}

extension Optax.SquaredError: FusedLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    OptaxRegressionKernel.evaluate(kind: Int32(LK_OPTAX_SQUARED_ERROR), inputs, policy: policy, gradient: gradient, into: buffer)
  }
}

extension Optax.L2Loss: FusedLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    OptaxRegressionKernel.evaluate(kind: Int32(LK_OPTAX_L2), inputs, policy: policy, gradient: gradient, into: buffer)
  }
}

extension Optax.HuberLoss: FusedLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    OptaxRegressionKernel.evaluate(
      kind: Int32(LK_OPTAX_HUBER), delta: Float(delta), inputs, policy: policy, gradient: gradient, into: buffer)
  }
}
