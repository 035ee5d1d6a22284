import CLossKitKernels

/// `optax.losses.sigmoid_binary_cross_entropy` in one pass: per element
/// `−y·log_sigmoid(x) − (1 − y)·log_sigmoid(−x)` with the same float operations, in the
/// same order, as the traced JAX policy (``JAXOps/logaddexp(_:_:_:)``: XLA's `exp` and
/// `log1p`, every operand and result flushed), vectorised C in parallel pieces of 64 Ki
/// elements.
///
/// Values only, labels and logits of one shape; a gradient (or anything else) runs
/// traced. The conformance suite runs every case through both.
extension Optax.SigmoidBinaryCrossEntropy: FusedLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    let environment = KernelEnvironment(policy)
    guard !gradient, buffer == nil, inputs.sampleWeight == nil, inputs.yTrue.shape == inputs.yPred.shape,
      environment.elementaryFunctions == .xla, environment.flushesSubnormals
    else { return nil }
    let count = inputs.yPred.count
    let loss = inputs.yPred.scalars.withUnsafeBufferPointer { x in
      inputs.yTrue.scalars.withUnsafeBufferPointer { y in
        let pointers = UncheckedSendable((x.baseAddress, y.baseAddress))
        // The kernel flushes as the policy does, lane by lane: no MXCSR mode needed.
        return FusedExecution.elementwiseOutput(count: count) { start, n, out in
          lk_optax_sigmoid_bce(pointers.value.0! + start, pointers.value.1! + start, n, out)
        }
      }
    }
    return LossEvaluation(loss: Tensor(shape: inputs.yPred.shape, scalars: loss), gradient: Tensor(shape: [0], scalars: []))
  }
}
