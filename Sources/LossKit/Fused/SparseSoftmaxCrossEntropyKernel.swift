import CLossKitKernels

/// TensorFlow's SparseSoftmaxCrossEntropyWithLogits kernel fused, row by row in
/// parallel: `tf.nn.sparse_softmax_cross_entropy_with_logits`, and Keras 3's
/// `SparseCategoricalCrossentropy(from_logits=True)` (which calls it) with its reduction.
/// Float32, class axis last, in-range integer labels; anything else runs traced.
enum SparseSoftmaxCrossEntropyKernel {
  /// Per-row losses and, when `gradient` is given, the `seed`-scaled backprop written there;
  /// `fastMath`: the losses alone, with LossKit's own `exp` (``FastMathLoss``).
  static func rows(
    logits: Tensor<Float>, labels: [Int64], seed: Float, gradient: UnsafeMutablePointer<Float>?, _ environment: KernelEnvironment,
    fastMath: Bool = false
  ) -> [Float] {
    precondition(!fastMath || gradient == nil, "the fast-math kernel computes no gradient")
    let classes = logits.shape.last!
    let rows = labels.count
    return logits.scalars.withUnsafeBufferPointer { x in
      labels.withUnsafeBufferPointer { y in
        let pointers = UncheckedSendable((x.baseAddress!, y.baseAddress!, gradient))
        return FusedExecution.rowOutput(rows: rows, classes: classes, flushingSubnormals: environment.flushesSubnormals) {
          first, count, loss, scratch in
          let (x, y, b) = pointers.value
          if fastMath { return lk_sparse_xent_rows_fast(x + first * classes, y + first, count, classes, first, loss) }
          lk_sparse_xent_rows(
            x + first * classes, y + first, count, classes, first, rows * classes, seed, loss, b.map { $0 + first * classes },
            scratch)
        }
      }
    }
  }

  /// Labels as int64 class indices, or nil when one is not an in-range integer (the
  /// traced path then reports it). `fromEnd`: `[−classes, 0)` counts from the end, as
  /// JAX's indexing does.
  static func classIndices(_ labels: Tensor<Float>, classes: Int, truncating: Bool, fromEnd: Bool = false) -> [Int64]? {
    var out = [Int64]()
    out.reserveCapacity(labels.count)
    let lowest = fromEnd ? -Float(classes) : 0
    for value in labels.scalars {
      guard value.isFinite else { return nil }
      let index = truncating ? value.rounded(.towardZero) : value
      guard index == index.rounded(), index >= lowest, index < Float(classes) else { return nil }
      out.append(Int64(index < 0 ? index + Float(classes) : index))
    }
    return out
  }
}

/// A loss on the sparse softmax kernel: one entry, `kernelEvaluation`, for the default and
/// the fast-math path.
protocol SparseSoftmaxKernelLoss: FusedLoss, FastMathLoss {
  /// The kernel's result, or nil when it does not cover `inputs`; `fastMath`: the value
  /// alone, with LossKit's own `exp`.
  func kernelEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?, fastMath: Bool
  ) -> LossEvaluation<Float>?
}

extension SparseSoftmaxKernelLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    kernelEvaluation(inputs, gradient: gradient, into: buffer, fastMath: false)
  }
  public func fastMathValue(_ inputs: LossInputs<Float>) throws -> Tensor<Float>? {
    kernelEvaluation(inputs, gradient: false, into: nil, fastMath: true)?.loss
  }
}

extension TF.SparseSoftmaxCrossEntropyWithLogits: SparseSoftmaxKernelLoss, ExactlyReducible {
  func kernelEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?, fastMath: Bool
  ) -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, let classes = shape.last, classes > 0, inputs.yTrue.shape == Array(shape.dropLast()),
      let labels = SparseSoftmaxCrossEntropyKernel.classIndices(inputs.yTrue, classes: classes, truncating: false)
    else { return nil }
    let environment = KernelEnvironment(policy)
    guard environment.elementaryFunctions.packet(Float.self) > 0 else { return nil }
    return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
      let loss = SparseSoftmaxCrossEntropyKernel.rows(
        logits: inputs.yPred, labels: labels, seed: 1, gradient: g, environment, fastMath: fastMath)
      return Tensor(shape: Array(shape.dropLast()), scalars: loss)
    }
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    try ExactElementSum.ofRows(self, inputs)  // an op without a reduction
  }
}

extension Keras.SparseCategoricalCrossentropy: SparseSoftmaxKernelLoss, ExactlyReducible {
  public var hasFastMathVariant: Bool { fromLogits && ignoreClass == nil }
  func kernelEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?, fastMath: Bool
  ) -> LossEvaluation<Float>? {
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
    return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
      let loss = SparseSoftmaxCrossEntropyKernel.rows(
        logits: inputs.yPred, labels: labels, seed: perRow, gradient: g, environment, fastMath: fastMath)
      if reduction == .none { return Tensor(shape: Array(shape.dropLast()), scalars: loss) }
      let total = FusedExecution.withFlushing(environment.flushesSubnormals) {
        loss.withUnsafeBufferPointer { Kernels.contiguousSum($0, start: 0, count: rows, first: 0, environment) }
      }
      return Tensor(reduction == .sum ? total : total / Float(rows))
    }
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    var unreduced = self
    unreduced.reduction = .none
    return try ExactElementSum.ofRows(unreduced, inputs)
  }
}
