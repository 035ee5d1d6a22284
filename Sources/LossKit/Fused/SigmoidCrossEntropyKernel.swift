/// One pass over `tf.nn.sigmoid_cross_entropy_with_logits`: the same float operations,
/// in the same order, as the traced ops (`where(x ≥ 0, x, 0) − x·z + log1p(exp(−|x|))`)
/// and their TensorFlow gradients, without materialising an intermediate tensor.
///
/// It covers equal shapes only; anything else returns nil and the traced path reports
/// the error. The conformance suite runs every case through both.
import CLossKitKernels

enum SigmoidCrossEntropyKernel {
  /// The float32 kernel: vectorised C, in parallel pieces of 64 Ki elements, into
  /// uninitialised outputs (the gradient into the caller's buffer when given).
  static func vectorized(
    _ inputs: LossInputs<Float>, gradient: Bool, into provided: UnsafeMutableBufferPointer<Float>?,
    _ environment: KernelEnvironment
  ) -> LossEvaluation<Float>? {
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == inputs.yPred.shape else { return nil }
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else {
      guard provided == nil else { return nil }
      return evaluate(inputs, gradient: gradient, environment)
    }
    let count = inputs.yPred.count
    let scalarFrom = count - count % packet
    return FusedExecution.elementwiseLoss(
      inputs, gradient: gradient, into: provided, flushingSubnormals: environment.flushesSubnormals
    ) { start, n, x, z, loss, g in
      lk_sigmoid_xent(x, z, n, max(0, scalarFrom - start), 1, nil, loss, g)
    }
  }

  /// The float32 losses with LossKit's own `exp` and `log1p` (``FastMathLoss``), no
  /// gradient; nil where ``vectorized(_:gradient:into:_:)`` would not run the C kernel.
  static func fastMathValue(_ inputs: LossInputs<Float>, _ environment: KernelEnvironment) -> Tensor<Float>? {
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == inputs.yPred.shape,
      environment.elementaryFunctions.packet(Float.self) > 0
    else { return nil }
    return FusedExecution.elementwiseLoss(
      inputs, gradient: false, into: nil, flushingSubnormals: environment.flushesSubnormals
    ) { _, n, x, z, loss, _ in
      lk_sigmoid_xent_fast(x, z, n, nil, loss)
    }.loss
  }

  /// The vectorised kernel's per-element losses summed exactly (``ExactlyReducible``);
  /// nil where ``vectorized(_:gradient:into:_:)`` would not run the C kernel.
  static func exactElementSum(_ inputs: LossInputs<Float>, _ environment: KernelEnvironment) -> ExactElementSum? {
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else { return nil }
    let scalarFrom = inputs.yPred.count - inputs.yPred.count % packet
    return FusedExecution.elementwiseExactSum(inputs, flushingSubnormals: environment.flushesSubnormals) { start, n, x, z, loss in
      lk_sigmoid_xent(x, z, n, max(0, scalarFrom - start), 1, nil, loss, nil)
    }
  }

  static func evaluate<S: LossScalar>(
    _ inputs: LossInputs<S>, gradient: Bool, _ environment: KernelEnvironment
  ) -> LossEvaluation<S>? {
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == inputs.yPred.shape else { return nil }
    let count = inputs.yPred.count
    let flush = environment.flushesSubnormals
    @inline(__always) func f(_ v: S) -> S { flush ? v.flushedToZero : v }
    // The policy's elementary functions: under Eigen's, elements before the last
    // partial packet take the packet path.
    let packet = environment.elementaryFunctions.packet(S.self)
    let vectorized = packet > 0 ? count - count % packet : 0
    let elementary = ElementaryLanes<S>(eigen: packet > 0)
    var loss = [S](repeating: 0, count: count)
    var grad = [S](repeating: 0, count: gradient ? count : 0)
    inputs.yPred.scalars.withUnsafeBufferPointer { logits in
      inputs.yTrue.scalars.withUnsafeBufferPointer { labels in
        for i in 0..<count {
          let x = f(logits[i]), z = f(labels[i])
          let positive = x >= 0
          let relu: S = positive ? x : 0
          let negAbs: S = positive ? -x : x
          let linear = f(relu - f(x * z))
          let packetPath = i < vectorized
          let e = f(elementary.exp(negAbs, packetPath))
          loss[i] = f(linear + f(elementary.log1p(e, packetPath)))
          if gradient {
            // Reverse order of the recorded ops: product, where(−x, x) and its
            // negation, then where(x, 0), each accumulated as the trace does.
            let reciprocal = f(elementary.reciprocal(1 + e, packetPath))
            let throughExp = f(reciprocal * e)
            var g = -z
            g = f(g + (positive ? 0 : throughExp))
            g = f(g + (positive ? -throughExp : -0.0))
            g = f(g + (positive ? 1 : 0))
            grad[i] = g
          }
        }
      }
    }
    return LossEvaluation(
      loss: Tensor(shape: inputs.yPred.shape, scalars: loss),
      gradient: Tensor(shape: gradient ? inputs.yPred.shape : [0], scalars: grad))
  }
}

extension TF.SigmoidCrossEntropyWithLogits: FastMathLoss {
  public func fastMathValue(_ inputs: LossInputs<Float>) throws -> Tensor<Float>? {
    SigmoidCrossEntropyKernel.fastMathValue(inputs, KernelEnvironment(policy))
  }
}

extension TF.SigmoidCrossEntropyWithLogits: FusedLoss, ExactlyReducible {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    SigmoidCrossEntropyKernel.vectorized(inputs, gradient: gradient, into: buffer, KernelEnvironment(policy))
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    SigmoidCrossEntropyKernel.exactElementSum(inputs, KernelEnvironment(policy))
  }
  public func fused(_ inputs: LossInputs<Double>, gradient: Bool) throws -> LossEvaluation<Double>? {
    SigmoidCrossEntropyKernel.evaluate(inputs, gradient: gradient, KernelEnvironment(policy))
  }
}

/// One element of the policy's elementary functions, on the packet or the scalar path.
struct ElementaryLanes<S: LossScalar> {
  var eigen: Bool

  @inline(__always) func exp(_ x: S, _ packetPath: Bool) -> S {
    guard eigen && packetPath else { return S.exp(x) }
    return S.self == Float.self ? S(lk_eigen_expf(Float(x))) : S(lk_eigen_exp(Double(x)))
  }

  @inline(__always) func log(_ x: S, _ packetPath: Bool) -> S {
    guard eigen && packetPath else { return S.log(x) }
    return S.self == Float.self ? S(lk_eigen_logf(Float(x))) : S(lk_eigen_log(Double(x)))
  }

  @inline(__always) func log1p(_ x: S, _ packetPath: Bool) -> S {
    guard eigen && packetPath else { return S.log1p(x) }
    return S.self == Float.self ? S(lk_eigen_log1pf(Float(x))) : S(lk_eigen_log1p(Double(x)))
  }

  /// Eigen's float reciprocal is approximate plus a Newton step; its double one divides.
  @inline(__always) func reciprocal(_ x: S, _ packetPath: Bool) -> S {
    guard eigen && packetPath && S.self == Float.self else { return 1 / x }
    return S(lk_eigen_reciprocalf(Float(x)))
  }
}
