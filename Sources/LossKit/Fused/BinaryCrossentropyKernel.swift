import CLossKitKernels

/// The fused binary cross-entropy of Keras 3 and tf-keras, on probabilities or logits: one pass
/// over `y_pred` and `y_true` that computes, for each leaf of Eigen's summation tree, the
/// elementwise losses (and gradients) with the framework's clip, ε placement, packet
/// math and float32 rounding and sums them in Eigen's order as they are computed — the
/// float operations of the traced path, without its full-size tensors.
///
/// Covered: float32, `y_true` and `y_pred` of the same shape (rank ≥ 1), the mean over
/// the last axis, no sample weight, every reduction, label smoothing, `from_logits`
/// (`tf.nn.sigmoid_cross_entropy_with_logits` elementwise). Anything else returns nil
/// and runs traced.
enum BinaryCrossentropyKernel {
  /// The elementwise loss of one configuration on one input: what the value, gradient
  /// and exact paths share.
  struct Elementwise {
    let fromLogits: Bool
    /// LossKit's own `exp` and `log1p` (``FastMathLoss``; from logits, no gradient).
    let fastMath: Bool
    /// Elements from here on take TensorFlow's scalar path (C library functions).
    let scalarFrom: Int
    let smoothing: lk_label_smoothing
    let probabilities: lk_bce_prob_config
    /// The incoming gradient per element (the probability form negates it).
    let seed: Float
    let flushes: Bool
    /// Eigen's packet size, for the final sum over the per-sample values.
    let packet: Int

    /// Nil when the kernel does not cover `inputs`.
    init?<C: KerasConvention>(
      _ loss: KerasBinaryCrossentropy<C>, _ inputs: LossInputs<Float>, seed: Float, fastMath: Bool = false
    ) {
      let shape = inputs.yPred.shape
      guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, !shape.isEmpty, !fastMath || loss.hasFastMathVariant,
        Shape.normalize(axis: loss.axis, rank: shape.count) == shape.count - 1
      else { return nil }
      let environment = KernelEnvironment(loss.policy)
      let packet = environment.elementaryFunctions.packet(Float.self)
      guard packet > 0 else { return nil }
      let count = inputs.yPred.count
      let (keep, half): (Float, Float) = C.labelSmoothingFactors(loss.labelSmoothing)
      fromLogits = loss.fromLogits
      self.fastMath = fastMath
      scalarFrom = count - count % packet
      smoothing = lk_label_smoothing(keep: keep, half: half, smooth: loss.labelSmoothing != 0 ? 1 : 0)
      probabilities = lk_bce_prob_config(
        lower: Float(Keras.epsilon), upper: Float(1 - Keras.epsilon),
        epsilon_in_log: C.framework == .keras ? 0 : Float(Keras.epsilon), seed: -seed, keep: keep, half: half,
        smooth: smoothing.smooth)
      self.seed = seed
      self.flushes = environment.flushesSubnormals
      self.packet = packet
    }

    /// The losses of elements `[start, start + n)` into `out`, their gradients into `g + start`.
    func values(_ p: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ start: Int, _ n: Int,
                into out: UnsafeMutablePointer<Float>, gradient g: UnsafeMutablePointer<Float>?) {
      let from = max(0, scalarFrom - start)
      if fastMath {
        precondition(g == nil, "the fast-math kernel computes no gradient")
        withUnsafePointer(to: smoothing) { s in lk_sigmoid_xent_fast(p + start, y + start, n, s, out) }
      } else if fromLogits {
        withUnsafePointer(to: smoothing) { s in lk_sigmoid_xent(p + start, y + start, n, from, seed, s, out, g.map { $0 + start }) }
      } else {
        withUnsafePointer(to: probabilities) { c in lk_bce_prob(p + start, y + start, n, from, c, out, g.map { $0 + start }) }
      }
    }

    /// The losses of elements `[start, start + n)` summed exactly, as they are produced.
    func exactSum(_ p: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ start: Int, _ n: Int) -> ExactSum {
      let from = max(0, scalarFrom - start)
      var (hi, lo) = (0.0, 0.0)
      if fromLogits {
        withUnsafePointer(to: smoothing) { s in lk_sigmoid_xent_dd_sum(p + start, y + start, n, from, s, &hi, &lo) }
      } else {
        withUnsafePointer(to: probabilities) { c in lk_bce_prob_dd_sum(p + start, y + start, n, from, c, &hi, &lo) }
      }
      return ExactSum(hi: hi, lo: lo)
    }

    /// The Eigen leaf sum of those losses, computed as they are produced.
    func leafSum(_ p: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ start: Int, _ n: Int,
                 gradient g: UnsafeMutablePointer<Float>?) -> Float {
      let from = max(0, scalarFrom - start)
      if fastMath { return withUnsafePointer(to: smoothing) { s in lk_sigmoid_xent_fast_leaf_sum(p + start, y + start, n, s) } }
      return fromLogits
        ? withUnsafePointer(to: smoothing) { s in lk_sigmoid_xent_leaf_sum(p + start, y + start, n, from, seed, s, g.map { $0 + start }) }
        : withUnsafePointer(to: probabilities) { c in lk_bce_prob_leaf_sum(p + start, y + start, n, from, c, g.map { $0 + start }) }
    }
  }

  /// The loss (and gradient); `fastMath`: the value alone, from logits, with LossKit's
  /// own `exp` and `log1p` (``FastMathLoss``).
  static func evaluate<C: KerasConvention>(
    _ loss: KerasBinaryCrossentropy<C>, _ inputs: LossInputs<Float>, gradient wantsGradient: Bool,
    into provided: UnsafeMutableBufferPointer<Float>? = nil, fastMath: Bool = false
  ) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    let reduction = ReductionKind(loss.reduction.rawValue)
    guard !shape.isEmpty, !shape.contains(0), !fastMath || !wantsGradient && provided == nil,
      let kernel = Elementwise(
        loss, inputs, seed: KerasRowMeanKernel.seed(shape: shape, reduction: reduction), fastMath: fastMath)
    else { return nil }
    return inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        let p = pBuffer.baseAddress!, y = yBuffer.baseAddress!
        return KerasRowMeanKernel.withGradient(wantsGradient, shape: shape, into: provided) { gradient in
          KerasRowMeanKernel.evaluate(
            shape: shape, reduction: reduction, packet: kernel.packet, flushes: kernel.flushes, gradient: gradient,
            leafSum: { start, n, g in kernel.leafSum(p, y, start, n, gradient: g) }
          ) { start, n, scratch, g in kernel.values(p, y, start, n, into: scratch, gradient: g) }
        }
      }
    }
  }

  /// The per-element losses of `loss` on `inputs`, summed exactly.
  static func exactElementSum<C: KerasConvention>(
    _ loss: KerasBinaryCrossentropy<C>, _ inputs: LossInputs<Float>
  ) -> ExactElementSum? {
    guard let kernel = Elementwise(loss, inputs, seed: 0) else { return nil }
    return inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        let pointers = UncheckedSendable((pBuffer.baseAddress!, yBuffer.baseAddress!))
        return KerasRowMeanKernel.exactElementSum(shape: inputs.yPred.shape, flushes: kernel.flushes) { start, n in
          kernel.exactSum(pointers.value.0, pointers.value.1, start, n)
        }
      }
    }
  }
}

/// The final reduction of a Keras-family loss, by its Python value.
enum ReductionKind {
  case mean, sum, none

  init(_ name: String) {
    switch name {
    case "sum": self = .sum
    case "none": self = .none
    default: self = .mean  // sum_over_batch_size, mean, mean_with_sample_weight without weights, auto
    }
  }
}

extension KerasBinaryCrossentropy: FusedLoss {
  public func fusedEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) throws -> LossEvaluation<Float>? {
    try BinaryCrossentropyKernel.evaluate(self, inputs, gradient: gradient, into: buffer)
  }
}

extension KerasBinaryCrossentropy: FastMathLoss {
  public var hasFastMathVariant: Bool { fromLogits }
  public func fastMathValue(_ inputs: LossInputs<Float>) throws -> Tensor<Float>? {
    try BinaryCrossentropyKernel.evaluate(self, inputs, gradient: false, fastMath: true)?.loss
  }
}

extension KerasBinaryCrossentropy: ExactlyReducible {
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    BinaryCrossentropyKernel.exactElementSum(self, inputs)
  }
}
