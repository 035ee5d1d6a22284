extension Keras {
  /// `Loss.__call__` of `keras/src/losses/loss.py` for a `LossFunctionWrapper`:
  /// records the inputs, aligns their ranks, runs `perSample`, then
  /// `reduce_weighted_values`.
  static func call<S: LossScalar>(
    on t: inout LossTrace<S>, _ inputs: LossInputs<S>, reduction: Reduction,
    _ perSample: (inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value) throws -> PerSampleLoss<S>
  ) throws -> LossTrace<S>.Value {
    var (yTrue, yPred) = t.recordInputs(inputs)
    t.step = "squeeze_or_expand_to_same_rank(y_true, y_pred)"
    (yTrue, yPred) = squeezeOrExpandToSameRank(&t, yTrue, yPred)
    let loss = try perSample(&t, yTrue, yPred)
    return try reduceWeightedValues(&t, loss.value, sampleWeight: inputs.sampleWeight, mask: loss.mask, reduction: reduction)
  }

  /// `squeeze_or_expand_to_same_rank(x1, x2)`: when the ranks differ by one and the
  /// longer has a trailing 1, squeeze it, except that a rank-1 partner is expanded
  /// instead. Otherwise both are returned unchanged (and broadcast later).
  static func squeezeOrExpandToSameRank<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x1: LossTrace<S>.Value, _ x2: LossTrace<S>.Value
  ) -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    var (a, b) = (x1, x2)
    let (s1, s2) = (t.shape(x1), t.shape(x2))
    if s1.count == s2.count + 1, s1.last == 1 {
      if s2.count == 1 { b = t.reshape(b, to: s2 + [1]) } else { a = t.reshape(a, to: Array(s1.dropLast())) }
    }
    if s2.count == s1.count + 1, s2.last == 1 {
      if s1.count == 1 { a = t.reshape(a, to: s1 + [1]) } else { b = t.reshape(b, to: Array(s2.dropLast())) }
    }
    return (a, b)
  }

  /// `reduce_weighted_values` of `keras/src/losses/loss.py`: merge the mask into the
  /// sample weight, align and multiply, then reduce.
  static func reduceWeightedValues<S: LossScalar>(
    _ t: inout LossTrace<S>, _ values: LossTrace<S>.Value, sampleWeight: Tensor<S>?,
    mask: Tensor<Bool>?, reduction: Reduction
  ) throws -> LossTrace<S>.Value {
    var weight: LossTrace<S>.Value? = nil
    if let sampleWeight {
      t.step = "sample_weight"
      weight = t.constant(sampleWeight, name: "sample_weight")
    }
    if let mask {
      // apply_mask: with a mean-like reduction valid entries weigh total/valid, so the
      // final division by the element count becomes a division by the valid count.
      t.step = "mask → weights (apply_mask)"
      let floatMask: Tensor<S>
      if reduction == .mean || reduction == .sumOverBatchSize {
        let total = S(mask.count)
        let valid = S(mask.scalars.lazy.filter { $0 }.count)
        let maskWeight = valid == 0 ? 0 : total / valid
        floatMask = mask.map { $0 ? maskWeight : 0 }
      } else {
        floatMask = mask.map { $0 ? 1 : 0 }
      }
      let maskValue = t.constant(floatMask, name: "mask weights")
      if let given = weight {
        let (alignedMask, alignedWeight) = squeezeOrExpandToSameRank(&t, maskValue, given)
        weight = try t.binary(.multiply, alignedWeight, alignedMask, argument: "sample_weight")
      } else {
        weight = maskValue
      }
    }

    var weighted = values
    if let given = weight {
      t.step = "weight the per-sample losses"
      let (alignedValues, alignedWeight) = squeezeOrExpandToSameRank(&t, values, given)
      weighted = try t.binary(.multiply, alignedValues, alignedWeight, argument: "sample_weight")
      weight = alignedWeight
    }

    // reduce_values
    let shape = t.shape(weighted)
    if reduction == .none || shape == [] || shape == [0] { return weighted }
    t.step = "reduction=\(reduction.rawValue)"
    var loss = t.sum(weighted)
    if reduction != .sum {
      let divisor: LossTrace<S>.Value
      if reduction == .meanWithSampleWeight, let weight {
        divisor = t.sum(weight)
      } else {
        divisor = t.constant(S(Shape.count(shape)), name: "element count")
      }
      loss = try t.binary(.divideNoNaN, loss, divisor)
    }
    return loss
  }
}

extension Keras: KerasConvention {
  /// Python arithmetic: `1.0 - ls` and `0.5 * ls` in double, then rounded to the dtype.
  static func labelSmoothingFactors<S: LossScalar>(_ labelSmoothing: Double) -> (keep: S, half: S) {
    (S(1 - labelSmoothing), S(0.5 * labelSmoothing))
  }

  /// Keras 3.15.1 counts classes along the last axis of `y_true`, whatever `axis` is.
  static func smoothingClasses(yTrueShape: [Int], axis: Int) throws -> Int {
    guard let classes = yTrueShape.last else {
      throw LossError.shapeMismatch(argument: "y_true", expected: "rank at least 1", got: "a scalar")
    }
    return classes
  }

  static func binaryCrossentropy<S: LossScalar>(
    _ t: inout LossTrace<S>, target: LossTrace<S>.Value, output: LossTrace<S>.Value, fromLogits: Bool
  ) throws -> LossTrace<S>.Value {
    try Backend.binaryCrossentropy(&t, target: target, output: output, fromLogits: fromLogits)
  }

  static var checksCategoricalFocalShapes: Bool { false }
}
