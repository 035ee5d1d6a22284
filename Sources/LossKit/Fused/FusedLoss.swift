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

extension ExactElementSum {
  /// The per-row values of a row loss (softmax cross-entropy over the last axis), from
  /// `unreduced` — the loss with its reduction set to none, or an op without one — summed
  /// exactly, for ``ExactlyReducible``: the per-sample tensor holds one float per row, so
  /// forming it costs little; the logits are not converted. Nil for a sample weight, a
  /// `y_pred` of rank below 2 (one row: a per-sample value that is the whole input) or
  /// inputs the kernel does not cover.
  static func ofRows(_ unreduced: some FusedLoss, _ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    let rows = Array(inputs.yPred.shape.dropLast())
    guard inputs.sampleWeight == nil, !rows.isEmpty,
      let values = try unreduced.fusedEvaluation(inputs, gradient: false, into: nil)?.loss, values.shape == rows
    else { return nil }
    var sum = ExactSum()
    values.scalars.withUnsafeBufferPointer { sum.add($0) }
    return ExactElementSum(sum: sum, elements: values.count, groupSize: 1, rows: rows[0])
  }
}
