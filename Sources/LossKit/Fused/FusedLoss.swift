/// A loss with a fused float32 kernel. It implements one method; both `fused`
/// requirements of ``LossFunction`` (an allocated gradient, or the caller's buffer) follow
/// from it.
public protocol FusedLoss: LossFunction {
  /// The kernel's result for these inputs, or nil when the kernel does not cover them
  /// (they then run traced). With `buffer`, the gradient is written there and the
  /// result's gradient is empty; otherwise it is allocated when `gradient` is true.
  func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>?
}

extension FusedLoss {
  public func fused(_ inputs: LossInputs<Float>, gradient: Bool) throws -> LossEvaluation<Float>? {
    try fusedEvaluation(inputs, gradient: gradient, into: nil)
  }

  public func fused(_ inputs: LossInputs<Float>, gradientInto buffer: UnsafeMutableBufferPointer<Float>) throws -> Tensor<Float>? {
    try fusedEvaluation(inputs, gradient: true, into: buffer)?.loss
  }
}
