extension Keras: KerasConvention {
  public static var framework: Framework { .keras }
  public static var defaultReduction: Reduction { .sumOverBatchSize }
  public static var takesDType: Bool { true }

  /// `dtype=None` is the backend's floatx, float32: float64 arrays are cast down.
  public static func computeDType(requested: DType?, inputs: DType) -> DType { requested ?? .float32 }

  /// `Loss.__call__` of `keras/src/losses/loss.py` for a `LossFunctionWrapper`:
  /// records the inputs (already cast to the loss dtype), aligns their ranks, runs
  /// `perSample`, then `reduce_weighted_values`.
  public static func call<S: LossScalar>(
    on t: inout LossTrace<S>, _ inputs: LossInputs<S>, reduction: Reduction,
    _ perSample: (inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value) throws -> PerSampleLoss<S>
  ) throws -> LossTrace<S>.Value {
    var (yTrue, yPred) = t.recordInputs(inputs)
    (yTrue, yPred) = t.step(.alignRanks, "squeeze_or_expand_to_same_rank(y_true, y_pred)") { t in
      squeezeOrExpandToSameRank(&t, yTrue, yPred)
    }
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
      weight = t.step(.sampleWeight, "sample_weight") { t in t.constant(sampleWeight, name: "sample_weight") }
    }
    if let mask {
      // apply_mask: with a mean-like reduction valid entries weigh total/valid, so the
      // final division by the element count becomes a division by the valid count.
      weight = try t.step(.mask, "mask → weights (apply_mask)", [.integer("valid", mask.scalars.lazy.filter { $0 }.count)]) { t in
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
        return try t.binary(.multiply, alignedWeight, alignedMask, argument: "sample_weight")
      }
      return maskValue
      }
    }

    var weighted = values
    if let given = weight {
      (weighted, weight) = try t.step(.sampleWeight, "weight the per-sample losses") { t in
        let (alignedValues, alignedWeight) = squeezeOrExpandToSameRank(&t, values, given)
        return (try t.binary(.multiply, alignedValues, alignedWeight, argument: "sample_weight"), alignedWeight)
      }
    }

    // reduce_values
    let shape = t.shape(weighted)
    if reduction == .none || shape == [] || shape == [0] { return weighted }
    let divisor = reduction == .sum ? "none" : (reduction == .meanWithSampleWeight && weight != nil ? "sum of weights" : "element count")
    return try t.step(
      .reduction, "reduction=\(reduction.rawValue)",
      [.text("reduction", reduction.rawValue), .text("divisor", divisor), .integer("elements", Shape.count(shape))]
    ) { t in
      var loss = t.sum(weighted)
      if reduction != .sum {
        let denominator: LossTrace<S>.Value
        if reduction == .meanWithSampleWeight, let weight {
          denominator = t.sum(weight)
        } else {
          denominator = t.constant(S(Shape.count(shape)), name: "element count")
        }
        loss = try t.binary(.divideNoNaN, loss, denominator)
      }
      return loss
    }
  }
}

extension Keras {
  /// Python arithmetic: `1.0 - ls` and `0.5 * ls` in double, then rounded to the dtype.
  public static func labelSmoothingFactors<S: LossScalar>(_ labelSmoothing: Double) -> (keep: S, half: S) {
    (S(1 - labelSmoothing), S(0.5 * labelSmoothing))
  }

  /// Keras 3.15.1 counts classes along the last axis of `y_true`, whatever `axis` is.
  public static func smoothingClasses(yTrueShape: [Int], axis: Int) throws -> Int {
    guard let classes = yTrueShape.last else {
      throw LossError.shapeMismatch(argument: "y_true", expected: "rank at least 1", got: "a scalar")
    }
    return classes
  }

  public static func binaryCrossentropy<S: LossScalar>(
    _ t: inout LossTrace<S>, target: LossTrace<S>.Value, output: LossTrace<S>.Value, fromLogits: Bool
  ) throws -> LossTrace<S>.Value {
    try Backend.binaryCrossentropy(&t, target: target, output: output, fromLogits: fromLogits)
  }

  public static var checksCategoricalFocalShapes: Bool { false }
}

extension Keras {
  public static func alignFunctionInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    t.step(.alignRanks, "squeeze_or_expand_to_same_rank(y_true, y_pred)") { t in
      squeezeOrExpandToSameRank(&t, yTrue, yPred)
    }
  }

  /// `ops.convert_to_tensor(backend.epsilon())` is a float32 tensor; `maximum` casts it
  /// up to float64 inputs, so the floor is float32's 1e-7 (1.0000000116860974e-07).
  public static func msleEpsilon<S: LossScalar>() -> S { S(Float(epsilon)) }

  /// `ops.nn.normalize(x, axis, order=2)` in 3.6–3.15.1: `x · min(rsqrt(Σx²), 1/ε)`.
  /// A zero vector gives `rsqrt(0) = inf`, capped at 1e7, so it normalises to 0 with a
  /// finite gradient (the cap, not the rsqrt, receives the gradient of `minimum`).
  public static func l2Normalize<S: LossScalar>(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, axis: Int) throws
    -> LossTrace<S>.Value
  {
    var x = x
    if t.shape(x).isEmpty { x = t.reshape(x, to: [1]) }
    let resolved = try Shape.resolve(axis: axis, rank: t.shape(x).count)
    return try t.step(.normalize, "x · min(rsqrt(Σx² over axis \(axis)), 1/ε)", [.integer("axis", axis)]) { t in
      let squareSum = t.sum(t.unary(.square, x), axis: resolved, keepDims: true)
      let inverseNorm = t.minimum(t.unary(.rsqrt, squareSum), S(1.0 / epsilon))
      return try t.multiply(x, inverseNorm)
    }
  }

  public static var huberComputesInFloatx: Bool { false }
}
