import CLossKitKernels

/// The fused Keras 3 / tf-keras `MeanSquaredError`, `MeanAbsoluteError` and `Huber`: the
/// elementwise error of TensorFlow's ops (`lk_regression`) under the shared row-mean
/// reduction (``KerasRowMeanKernel``). Covered: float32, `y_true` and `y_pred` of the
/// same shape (rank ≥ 1, no zero extent), no sample weight, every reduction; anything
/// else returns nil and runs traced.
enum KerasRegressionKernel {
  static func evaluate(
    kind: Int32, reversed: Bool, delta: Double = 1, policy: FrameworkPolicy, reduction: String,
    _ inputs: LossInputs<Float>, gradient wantsGradient: Bool, into provided: UnsafeMutableBufferPointer<Float>? = nil
  ) -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, !shape.isEmpty, !shape.contains(0) else { return nil }
    let environment = KernelEnvironment(policy)
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else { return nil }
    let reductionKind = ReductionKind(reduction)
    let d = Float(delta)
    let config = lk_regression_config(
      kind: kind, reversed: reversed ? 1 : 0, delta: d, linear_offset: -(0.5 * (d * d)),
      seed: KerasRowMeanKernel.seed(shape: shape, reduction: reductionKind))
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
}

extension KerasRegressionKernel {
  /// The per-element errors summed exactly (``ExactlyReducible``).
  static func exactElementSum(
    kind: Int32, reversed: Bool, delta: Double = 1, policy: FrameworkPolicy, _ inputs: LossInputs<Float>
  ) -> ExactElementSum? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, !shape.isEmpty, !shape.contains(0) else { return nil }
    let d = Float(delta)
    let config = lk_regression_config(kind: kind, reversed: reversed ? 1 : 0, delta: d, linear_offset: -(0.5 * (d * d)), seed: 0)
    return inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        let pointers = UncheckedSendable((pBuffer.baseAddress!, yBuffer.baseAddress!))
        return KerasRowMeanKernel.exactElementSum(shape: shape, flushes: KernelEnvironment(policy).flushesSubnormals) {
          start, n, scratch, _ in
          let (p, y) = pointers.value
          withUnsafePointer(to: config) { c in lk_regression(p + start, y + start, n, c, scratch, nil) }
        }
      }
    }
  }
}

extension KerasMeanSquaredError: ExactlyReducible {
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    KerasRegressionKernel.exactElementSum(kind: Int32(LK_SQUARED_ERROR), reversed: Convention.framework == .keras, policy: policy, inputs)
  }
}

extension KerasMeanAbsoluteError: ExactlyReducible {
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    KerasRegressionKernel.exactElementSum(kind: Int32(LK_ABSOLUTE_ERROR), reversed: Convention.framework == .keras, policy: policy, inputs)
  }
}

extension KerasHuber: ExactlyReducible {
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    KerasRegressionKernel.exactElementSum(kind: Int32(LK_HUBER), reversed: false, delta: delta, policy: policy, inputs)
  }
}

extension KerasMeanSquaredError: FusedLoss {
  // Keras 3 squares `y_true − y_pred`, tf-keras `y_pred − y_true`.
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    KerasRegressionKernel.evaluate(
      kind: Int32(LK_SQUARED_ERROR), reversed: Convention.framework == .keras, policy: policy,
      reduction: reduction.rawValue, inputs, gradient: gradient, into: buffer)
  }
}

extension KerasMeanAbsoluteError: FusedLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    KerasRegressionKernel.evaluate(
      kind: Int32(LK_ABSOLUTE_ERROR), reversed: Convention.framework == .keras, policy: policy,
      reduction: reduction.rawValue, inputs, gradient: gradient, into: buffer)
  }
}

extension KerasHuber: FusedLoss {
  // Both conventions take `e = y_pred − y_true`.
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    KerasRegressionKernel.evaluate(
      kind: Int32(LK_HUBER), reversed: false, delta: delta, policy: policy, reduction: reduction.rawValue, inputs,
      gradient: gradient, into: buffer)
  }
}
