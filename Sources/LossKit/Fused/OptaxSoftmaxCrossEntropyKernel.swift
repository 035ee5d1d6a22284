import CLossKitKernels

/// `optax.losses.softmax_cross_entropy_with_integer_labels` row by row in parallel, with
/// the same float operations, in the same order, as the traced JAX policy
/// (``JAXOps/logsumexp(_:_:axes:b:where:keepDims:)``): XLA's `exp` and `log`, YNNPACK's
/// row sums, every operand and result flushed.
///
/// It covers what makes those row sums YNNPACK's: float32 logits of 4,096 elements or
/// more, the class axis last and at most 32,768 classes (one YNNPACK tile per row), no
/// `where`, and labels in `[−C, C)` (negative ones count from the end). Smaller inputs
/// (XLA's tree-order sums), other axes, masks and out-of-range labels (which gather NaN)
/// run traced. With a gradient, that of the summed loss with respect to the logits, as
/// the trace's backward pass computes it. The conformance suite and
/// `FusedValueOnlyTests` hold it to the trace bit for bit.
extension Optax.SoftmaxCrossEntropyWithIntegerLabels: FusedLoss {
  /// The smallest logits that YNNPACK sums (the JAX policy's `largeReduction`), and the
  /// longest row it sums as one tile.
  static let fusedElements = 4096, fusedClasses = 32768

  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    let environment = KernelEnvironment(policy)
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, self.where == nil, axis.parameterValue == .int(-1) || axis.parameterValue == .int(shape.count - 1),
      environment.elementaryFunctions == .xla, environment.flushesSubnormals,
      let classes = shape.last, classes > 0, classes <= Self.fusedClasses, inputs.yPred.count >= Self.fusedElements,
      inputs.yTrue.shape == Array(shape.dropLast()),
      let labels = Self.wrappedLabels(inputs.yTrue, classes: classes)
    else { return nil }
    let rows = labels.count
    return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
      let loss = FusedExecution.output(count: rows) { loss in
        inputs.yPred.scalars.withUnsafeBufferPointer { x in
          labels.withUnsafeBufferPointer { y in
            let pointers = UncheckedSendable((x.baseAddress!, y.baseAddress!, loss!, g))
            // The kernel flushes as the policy does, lane by lane: no MXCSR mode needed.
            FusedExecution.forEachRowBlock(rows: rows, classes: classes) { first, count, scratch in
              let (x, y, l, g) = pointers.value
              lk_optax_sparse_xent_rows(
                x + first * classes, y + first, count, classes, l + first, g.map { $0 + first * classes }, scratch)
            }
          }
        }
      }
      return Tensor(shape: Array(shape.dropLast()), scalars: loss)
    }
  }

  /// Integer labels in `[−classes, classes)` as indices in `[0, classes)`, or nil when one
  /// is not (the trace gathers NaN for it, or reports it).
  static func wrappedLabels(_ labels: Tensor<Float>, classes: Int) -> [Int64]? {
    var out = [Int64]()
    out.reserveCapacity(labels.count)
    for value in labels.scalars {
      guard value.isFinite, value == value.rounded(), value >= -Float(classes), value < Float(classes) else { return nil }
      out.append(Int64(value < 0 ? value + Float(classes) : value))
    }
    return out
  }
}

/// `optax.losses.softmax_cross_entropy` (labels of the logits' shape) row by row in
/// parallel, with the traced JAX policy's operations and order
/// (``JAXOps/logSoftmax(_:_:axes:where:)``, then `−Σ labels·log p`): XLA's `exp` and
/// `log`, YNNPACK's row sums, every operand and result flushed. The same coverage as
/// the integer-label kernel (float32 logits of 4,096 elements or more, class axis last,
/// at most 32,768 classes, no `where`); labels that broadcast run traced. With a
/// gradient, that of the summed loss, as the trace's backward pass computes it.
extension Optax.SoftmaxCrossEntropy: FusedLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    let environment = KernelEnvironment(policy)
    let shape = inputs.yPred.shape
    typealias Kernel = Optax.SoftmaxCrossEntropyWithIntegerLabels
    guard inputs.sampleWeight == nil, self.where == nil, axis.parameterValue == .int(-1) || axis.parameterValue == .int(shape.count - 1),
      environment.elementaryFunctions == .xla, environment.flushesSubnormals,
      let classes = shape.last, classes > 0, classes <= Kernel.fusedClasses, inputs.yPred.count >= Kernel.fusedElements,
      inputs.yTrue.shape == shape
    else { return nil }
    let rows = inputs.yPred.count / classes
    return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
      let loss = FusedExecution.output(count: rows) { loss in
        inputs.yPred.scalars.withUnsafeBufferPointer { x in
          inputs.yTrue.scalars.withUnsafeBufferPointer { y in
            let pointers = UncheckedSendable((x.baseAddress!, y.baseAddress!, loss!, g))
            FusedExecution.forEachRowBlock(rows: rows, classes: classes) { first, count, scratch in
              let (x, y, l, g) = pointers.value
              lk_optax_softmax_xent_rows(
                x + first * classes, y + first * classes, count, classes, l + first, g.map { $0 + first * classes }, scratch)
            }
          }
        }
      }
      return Tensor(shape: Array(shape.dropLast()), scalars: loss)
    }
  }
}
