import CLossKitKernels

/// The fused binary cross-entropy of Keras 3 and tf-keras, on probabilities or logits: one pass
/// over `y_pred` and `y_true` that computes, for each leaf of Eigen's summation tree, the
/// elementwise losses (and gradients) with the framework's clip, ε placement, packet
/// math and float32 rounding into a cache-sized scratch, then sums the leaf in Eigen's
/// order — the float operations of the traced path, without its full-size tensors.
///
/// Covered: float32, `y_true` and `y_pred` of the same shape (rank ≥ 1), the mean over
/// the last axis, no sample weight, every reduction, label smoothing, `from_logits`
/// (`tf.nn.sigmoid_cross_entropy_with_logits` elementwise). Anything else returns nil
/// and runs traced.
enum BinaryCrossentropyKernel {
  static func evaluate<C: KerasConvention>(
    _ loss: KerasBinaryCrossentropy<C>, _ inputs: LossInputs<Float>, gradient wantsGradient: Bool,
    into provided: UnsafeMutableBufferPointer<Float>? = nil
  ) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, !shape.isEmpty,
      Shape.normalize(axis: loss.axis, rank: shape.count) == shape.count - 1, !shape.contains(0)
    else { return nil }
    let environment = KernelEnvironment(loss.policy)
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else { return nil }
    let count = inputs.yPred.count
    let reduction = ReductionKind(loss.reduction.rawValue)
    let perElement = KerasRowMeanKernel.seed(shape: shape, reduction: reduction)
    let (keep, half): (Float, Float) = C.labelSmoothingFactors(loss.labelSmoothing)
    let smoothing = lk_label_smoothing(keep: keep, half: half, smooth: loss.labelSmoothing != 0 ? 1 : 0)
    let fromLogits = loss.fromLogits
    // The probability form's `−(…)` negates the incoming gradient.
    let config = lk_bce_prob_config(
      lower: Float(Keras.epsilon), upper: Float(1 - Keras.epsilon),
      epsilon_in_log: C.framework == .keras ? 0 : Float(Keras.epsilon), seed: -perElement, keep: keep,
      half: half, smooth: loss.labelSmoothing != 0 ? 1 : 0)
    let scalarFrom = count - count % packet
    return inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        let p = pBuffer.baseAddress!, y = yBuffer.baseAddress!
        return KerasRowMeanKernel.withGradient(wantsGradient, shape: shape, into: provided) { gradient in
          KerasRowMeanKernel.evaluate(
            shape: shape, reduction: reduction, packet: packet, flushes: environment.flushesSubnormals,
            gradient: gradient,
            leafSum: { start, n, g in
              let from = max(0, scalarFrom - start)
              return fromLogits
                ? withUnsafePointer(to: smoothing) { s in
                  lk_sigmoid_xent_leaf_sum(p + start, y + start, n, from, perElement, s, g.map { $0 + start })
                }
                : withUnsafePointer(to: config) { c in lk_bce_prob_leaf_sum(p + start, y + start, n, from, c, g.map { $0 + start }) }
            }
          ) { start, n, scratch, g in
            if fromLogits {
              withUnsafePointer(to: smoothing) { s in
                lk_sigmoid_xent(p + start, y + start, n, max(0, scalarFrom - start), perElement, s, scratch, g.map { $0 + start })
              }
            } else {
              withUnsafePointer(to: config) { c in
                lk_bce_prob(p + start, y + start, n, max(0, scalarFrom - start), c, scratch, g.map { $0 + start })
              }
            }
          }
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

extension BinaryCrossentropyKernel {
  /// The per-element losses of `loss` on `inputs`, summed exactly.
  static func exactElementSum<C: KerasConvention>(
    _ loss: KerasBinaryCrossentropy<C>, _ inputs: LossInputs<Float>
  ) -> ExactElementSum? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, !shape.isEmpty,
      Shape.normalize(axis: loss.axis, rank: shape.count) == shape.count - 1
    else { return nil }
    let environment = KernelEnvironment(loss.policy)
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else { return nil }
    let count = inputs.yPred.count
    let scalarFrom = count - count % packet
    let (keep, half): (Float, Float) = C.labelSmoothingFactors(loss.labelSmoothing)
    let smoothing = lk_label_smoothing(keep: keep, half: half, smooth: loss.labelSmoothing != 0 ? 1 : 0)
    let config = lk_bce_prob_config(
      lower: Float(Keras.epsilon), upper: Float(1 - Keras.epsilon),
      epsilon_in_log: C.framework == .keras ? 0 : Float(Keras.epsilon), seed: 0, keep: keep, half: half,
      smooth: smoothing.smooth)
    let fromLogits = loss.fromLogits
    return inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        let pointers = UncheckedSendable((pBuffer.baseAddress!, yBuffer.baseAddress!))
        return KerasRowMeanKernel.exactElementSum(shape: shape, flushes: environment.flushesSubnormals) { start, n, scratch, _ in
          let (p, y) = pointers.value
          if fromLogits {
            withUnsafePointer(to: smoothing) { s in
              lk_sigmoid_xent(p + start, y + start, n, max(0, scalarFrom - start), 0, s, scratch, nil)
            }
          } else {
            withUnsafePointer(to: config) { c in
              lk_bce_prob(p + start, y + start, n, max(0, scalarFrom - start), c, scratch, nil)
            }
          }
        }
      }
    }
  }
}

extension KerasBinaryCrossentropy: ExactlyReducible {
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    BinaryCrossentropyKernel.exactElementSum(self, inputs)
  }
}
