import CLossKitKernels

/// torch's `CrossEntropyLoss` fused for the common case: (N, C) float32 logits, (N,)
/// class indices, no class weights, no label smoothing. Rows run in parallel
/// (`lk_torch_cross_entropy_rows`: log_softmax with the C library's `exp`/`log` and
/// torch's row sum, the label's log-probability, the backward), then `nll_loss`'s
/// cascade over the rows (``TorchKernels/nllCascade(positions:weight:_:)``) — the traced
/// path's operations, without its (N, C) log-probability tensor.
enum TorchCrossEntropyKernel {
  static func evaluate(
    _ loss: Torch.CrossEntropyLoss, _ inputs: LossInputs<Float>, gradient wanted: Bool,
    into provided: UnsafeMutableBufferPointer<Float>?
  ) -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard loss.weight == nil, loss.labelSmoothing <= 0, inputs.sampleWeight == nil, shape.count == 2,
      inputs.yTrue.shape == [shape[0]], shape[0] > 0, shape[1] > 0
    else { return nil }
    let (rows, classes) = (shape[0], shape[1])
    let ignoreIndex = loss.ignoreIndex
    // Labels must be integers in range (or ignore_index); otherwise the traced path raises.
    var labels = [Int64]()
    labels.reserveCapacity(rows)
    var kept = 0
    for value in inputs.yTrue.scalars {
      guard value.isFinite, value == value.rounded(), abs(value) < 1e9 else { return nil }
      let label = Int(value)
      if label == ignoreIndex {
        labels.append(Int64(label))
        continue
      }
      guard label >= 0, label < classes else { return nil }
      labels.append(Int64(label))
      kept += 1
    }
    let reduction = loss.effectiveReduction
    // nll_loss's backward: −g/Σw for mean (g = 1, Σw the kept rows), −g otherwise.
    let scale: Float = reduction == .mean ? -(1 / Float(kept)) : -1
    return inputs.yPred.scalars.withUnsafeBufferPointer { x in
      labels.withUnsafeBufferPointer { y in
        KerasRowMeanKernel.withGradient(wanted, shape: shape, into: provided) { gradient in
          let pointers = UncheckedSendable((x.baseAddress!, y.baseAddress!, gradient))
          let picked = FusedExecution.rowOutput(rows: rows, classes: classes) { first, n, out, scratch in
            let (x, y, g) = pointers.value
            lk_torch_cross_entropy_rows(
              x + first * classes, y + first, n, classes, Int64(ignoreIndex), scale, out, g.map { $0 + first * classes }, scratch)
          }
          if reduction == .none {
            return Tensor(shape: [rows], scalars: (0..<rows).map { labels[$0] == Int64(ignoreIndex) ? 0 : -picked[$0] })
          }
          let sums = TorchKernels.nllCascade(positions: rows, weight: nil as Tensor<Float>?) { p in
            labels[p] == Int64(ignoreIndex) ? nil : (picked[p], Int(labels[p]))
          }
          return Tensor(reduction == .mean ? sums.loss / sums.weight : sums.loss)
        }
      }
    }
  }
}

extension Torch.CrossEntropyLoss: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    TorchCrossEntropyKernel.evaluate(self, inputs, gradient: gradient, into: buffer)
  }

  /// The kernel's per-row losses (`reduction='none'`: 0 for an ignored target) summed
  /// exactly, with the rows whose target is not `ignore_index` as the count a mean
  /// divides by.
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    var unreduced = self
    (unreduced.reduction, unreduced.sizeAverage, unreduced.reduce) = (.none, nil, nil)
    guard var sum = try ExactElementSum.ofRows(unreduced, inputs) else { return nil }
    // (The kernel ran, so every target is an integer below 1e9.)
    sum.counted = inputs.yTrue.scalars.lazy.filter { Int($0) != ignoreIndex }.count
    return sum
  }
}
