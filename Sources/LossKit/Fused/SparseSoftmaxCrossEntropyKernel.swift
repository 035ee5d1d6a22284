import CLossKitKernels

/// TensorFlow's SparseSoftmaxCrossEntropyWithLogits kernel fused, row by row in
/// parallel: `tf.nn.sparse_softmax_cross_entropy_with_logits`, and Keras 3's
/// `SparseCategoricalCrossentropy(from_logits=True)` (which calls it) with its reduction.
/// Float32, class axis last, in-range integer labels; anything else runs traced.
enum SparseSoftmaxCrossEntropyKernel {
  /// Per-row losses and, with `seeds`-scaled backprop, the gradient.
  static func rows(
    logits: Tensor<Float>, labels: [Int64], seed: (Int) -> Float, gradient: Bool, _ environment: KernelEnvironment
  ) -> (loss: [Float], backprop: [Float]) {
    let classes = logits.shape.last!
    let rows = labels.count
    var loss = [Float](repeating: 0, count: rows)
    var backprop = [Float](repeating: 0, count: gradient ? rows * classes : 0)
    let seeds = (0..<rows).map(seed)
    let rowsPerPiece = max(1, (1 << 16) / max(1, classes))
    let pieces = (rows + rowsPerPiece - 1) / rowsPerPiece
    let flushes = environment.flushesSubnormals
    logits.scalars.withUnsafeBufferPointer { x in
      labels.withUnsafeBufferPointer { y in
        seeds.withUnsafeBufferPointer { s in
          loss.withUnsafeMutableBufferPointer { l in
            backprop.withUnsafeMutableBufferPointer { b in
              let pointers = UncheckedSendable((x.baseAddress!, y.baseAddress!, s.baseAddress!, l.baseAddress!, gradient ? b.baseAddress : nil))
              FusedExecution.forEach(pieces, elements: rows * classes) { piece in
                let previous = flushes ? lk_enter_flush_to_zero() : 0
                defer { if flushes { lk_restore_float_environment(previous) } }
                let (x, y, s, l, b) = pointers.value
                let first = piece * rowsPerPiece
                let count = min(rowsPerPiece, rows - first)
                withUnsafeTemporaryAllocation(of: Float.self, capacity: classes) { scratch in
                  lk_sparse_xent_rows(
                    x + first * classes, y + first, count, classes, first, rows * classes, s + first, l + first,
                    b.map { $0 + first * classes }, scratch.baseAddress!)
                }
              }
            }
          }
        }
      }
    }
    return (loss, backprop)
  }

  /// Labels as int64 class indices, or nil when one is not an in-range integer (the
  /// traced path then reports it).
  static func classIndices(_ labels: Tensor<Float>, classes: Int, truncating: Bool) -> [Int64]? {
    var out = [Int64]()
    out.reserveCapacity(labels.count)
    for value in labels.scalars {
      guard value.isFinite else { return nil }
      let index = truncating ? value.rounded(.towardZero) : value
      guard index == index.rounded(), index >= 0, index < Float(classes) else { return nil }
      out.append(Int64(index))
    }
    return out
  }
}

extension TF.SparseSoftmaxCrossEntropyWithLogits {
  public func fused(_ inputs: LossInputs<Float>, gradient: Bool) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, let classes = shape.last, classes > 0, inputs.yTrue.shape == Array(shape.dropLast()),
      let labels = SparseSoftmaxCrossEntropyKernel.classIndices(inputs.yTrue, classes: classes, truncating: false)
    else { return nil }
    let environment = KernelEnvironment(policy)
    guard environment.elementaryFunctions.packet(Float.self) > 0 else { return nil }
    let (loss, backprop) = SparseSoftmaxCrossEntropyKernel.rows(
      logits: inputs.yPred, labels: labels, seed: { _ in 1 }, gradient: gradient, environment)
    return LossEvaluation(
      loss: Tensor(shape: Array(shape.dropLast()), scalars: loss),
      gradient: Tensor(shape: gradient ? shape : [0], scalars: backprop))
  }
}

extension Keras.SparseCategoricalCrossentropy {
  public func fused(_ inputs: LossInputs<Float>, gradient: Bool) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard fromLogits, ignoreClass == nil, inputs.sampleWeight == nil, axis == -1 || axis == shape.count - 1,
      shape.count >= 2, let classes = shape.last, classes > 0, inputs.yTrue.shape == Array(shape.dropLast()),
      let labels = SparseSoftmaxCrossEntropyKernel.classIndices(inputs.yTrue, classes: classes, truncating: true)
    else { return nil }
    let environment = KernelEnvironment(policy)
    guard environment.elementaryFunctions.packet(Float.self) > 0 else { return nil }
    let rows = labels.count
    // Keras reduces the (B, …) per-sample losses: the gradient per row is 1/count for
    // the mean-like reductions (divide_no_nan's 1/count), 1 for sum and none.
    let perRow: Float = reduction == .sum || reduction == .none ? 1 : 1 / Float(rows)
    let (loss, backprop) = SparseSoftmaxCrossEntropyKernel.rows(
      logits: inputs.yPred, labels: labels, seed: { _ in perRow }, gradient: gradient, environment)
    let value: Tensor<Float>
    if reduction == .none {
      value = Tensor(shape: Array(shape.dropLast()), scalars: loss)
    } else {
      let previous = environment.flushesSubnormals ? lk_enter_flush_to_zero() : 0
      defer { if environment.flushesSubnormals { lk_restore_float_environment(previous) } }
      let total = loss.withUnsafeBufferPointer { EigenSummation.innerSum($0, start: 0, count: rows, first: 0, packet: 8) }
      value = Tensor(reduction == .sum ? total : total / Float(rows))
    }
    return LossEvaluation(loss: value, gradient: Tensor(shape: gradient ? shape : [0], scalars: backprop))
  }
}
