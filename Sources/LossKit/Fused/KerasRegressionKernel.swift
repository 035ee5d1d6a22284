import CLossKitKernels

/// The fused Keras 3 / tf-keras `MeanSquaredError`, `MeanAbsoluteError` and `Huber`: the
/// elementwise error of TensorFlow's ops (`lk_regression`) under the shared row-mean
/// reduction (``KerasRowMeanKernel``), or summed exactly. Covered: float32, `y_true` and
/// `y_pred` of the same shape (rank ≥ 1, no zero extent), no sample weight, every
/// reduction; anything else returns nil and runs traced.
struct KerasRegressionKernel {
  /// `LK_SQUARED_ERROR`, `LK_ABSOLUTE_ERROR` or `LK_HUBER`.
  var kind: Int32
  /// Keras 3 takes `y_true − y_pred` (squared and absolute error), tf-keras and Huber
  /// `y_pred − y_true`.
  var reversed: Bool
  var delta: Double = 1
  var policy: FrameworkPolicy
  var reduction: String

  private func configuration(seed: Float) -> lk_regression_config {
    let d = Float(delta)
    return lk_regression_config(kind: kind, reversed: reversed ? 1 : 0, delta: d, linear_offset: -(0.5 * (d * d)), seed: seed)
  }

  private func covers(_ inputs: LossInputs<Float>) -> Bool {
    let shape = inputs.yPred.shape
    return inputs.sampleWeight == nil && inputs.yTrue.shape == shape && !shape.isEmpty && !shape.contains(0)
  }

  func evaluate(
    _ inputs: LossInputs<Float>, gradient wantsGradient: Bool, into provided: UnsafeMutableBufferPointer<Float>?
  ) -> LossEvaluation<Float>? {
    guard covers(inputs) else { return nil }
    let environment = KernelEnvironment(policy)
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else { return nil }
    let shape = inputs.yPred.shape
    let reductionKind = ReductionKind(reduction)
    let config = configuration(seed: KerasRowMeanKernel.seed(shape: shape, reduction: reductionKind))
    return inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        let p = pBuffer.baseAddress!, y = yBuffer.baseAddress!
        return KerasRowMeanKernel.withGradient(wantsGradient, shape: shape, into: provided) { gradient in
          KerasRowMeanKernel.evaluate(
            shape: shape, reduction: reductionKind, packet: packet, flushes: environment.flushesSubnormals,
            gradient: gradient,
            leafSum: { start, n, g in
              withUnsafePointer(to: config) { c in lk_regression_leaf_sum(p + start, y + start, n, c, g.map { $0 + start }) }
            }
          ) { start, n, scratch, g in
            withUnsafePointer(to: config) { c in lk_regression(p + start, y + start, n, c, scratch, g.map { $0 + start }) }
          }
        }
      }
    }
  }

  /// The per-element errors summed exactly (``ExactlyReducible``).
  func exactElementSum(_ inputs: LossInputs<Float>) -> ExactElementSum? {
    guard covers(inputs) else { return nil }
    let config = configuration(seed: 0)
    return inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        let pointers = UncheckedSendable((pBuffer.baseAddress!, yBuffer.baseAddress!))
        return KerasRowMeanKernel.exactElementSum(shape: inputs.yPred.shape, flushes: KernelEnvironment(policy).flushesSubnormals) {
          start, n in
          let (p, y) = pointers.value
          var (hi, lo) = (0.0, 0.0)
          withUnsafePointer(to: config) { c in lk_regression_dd_sum(p + start, y + start, n, c, &hi, &lo) }
          return ExactSum(hi: hi, lo: lo)
        }
      }
    }
  }
}

extension KerasMeanSquaredError: FusedLoss, ExactlyReducible {
  var kernel: KerasRegressionKernel {
    KerasRegressionKernel(
      kind: Int32(LK_SQUARED_ERROR), reversed: Convention.framework == .keras, policy: policy, reduction: reduction.rawValue)
  }
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    kernel.evaluate(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? { kernel.exactElementSum(inputs) }
}

extension KerasMeanAbsoluteError: FusedLoss, ExactlyReducible {
  var kernel: KerasRegressionKernel {
    KerasRegressionKernel(
      kind: Int32(LK_ABSOLUTE_ERROR), reversed: Convention.framework == .keras, policy: policy, reduction: reduction.rawValue)
  }
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    kernel.evaluate(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? { kernel.exactElementSum(inputs) }
}

extension KerasHuber: FusedLoss, ExactlyReducible {
  var kernel: KerasRegressionKernel {
    KerasRegressionKernel(kind: Int32(LK_HUBER), reversed: false, delta: delta, policy: policy, reduction: reduction.rawValue)
  }
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    kernel.evaluate(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? { kernel.exactElementSum(inputs) }
}
