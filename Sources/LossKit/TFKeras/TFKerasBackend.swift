extension TFKeras {
  /// The crossentropy primitives of `tf_keras/src/backend.py`.
  enum Backend {
    typealias Value<S: LossScalar> = LossTrace<S>.Value

    /// `binary_crossentropy`: logits through `sigmoid_cross_entropy_with_logits`;
    /// probabilities clipped to `[ε, 1 − ε]` *and* offset by ε inside each log:
    /// `−(y·log(p + ε) + (1 − y)·log(1 − p + ε))`, so the largest per-element value is
    /// `−log(2ε)` = 15.424949 rather than 16.118095.
    static func binaryCrossentropy<S: LossScalar>(
      _ t: inout LossTrace<S>, target: Value<S>, output: Value<S>, fromLogits: Bool
    ) throws -> Value<S> {
      if fromLogits {
        try Shape.requireSame(t.shape(target), "y_true", as: t.shape(output), "y_pred")
        return try t.step(.elementwiseLoss, "sigmoid_cross_entropy_with_logits", [.flag("from_logits", true)]) { t in
          try TensorFlowOps.sigmoidCrossEntropyWithLogits(&t, labels: target, logits: output)
        }
      }
      // `1.0 - epsilon_` in the dtype rounds to the same bound as Keras 3's Python `1 - ε`.
      let clipped = KerasFamily.clip(&t, output, epsilon)
      return try t.step(
        .elementwiseLoss, "−(y·log(p + ε) + (1 − y)·log(1 − p + ε))", [.number("epsilon_in_log", Double(S(epsilon)))]
      ) { t in
        let positive = try t.multiply(target, t.log(t.add(clipped, S(epsilon))), argument: "y_true")
        let complement = t.add(t.subtract(1, clipped), S(epsilon))
        let negative = try t.multiply(t.subtract(1, target), t.log(complement), argument: "y_true")
        return t.negate(try t.add(positive, negative))
      }
    }

    /// `sparse_categorical_crossentropy`: clip and log probabilities, move `axis` last,
    /// flatten when the label rank is not `rank − 1`, drop ignored positions (boolean
    /// gather), run the sparse kernel and scatter the results back with zeros.
    static func sparseCategoricalCrossentropy<S: LossScalar>(
      _ t: inout LossTrace<S>, target: Value<S>, output: Value<S>, fromLogits: Bool, axis: Int, ignoreClass: Int?
    ) throws -> (Value<S>, mask: Tensor<Bool>?) {
      var labels = try ClassLabels.truncating(t[target], argument: "y_true")
      var logits = output
      if !fromLogits {
        let clipped = KerasFamily.clip(&t, output, epsilon)
        logits = t.step(.elementwiseLoss, "log(p) as logits") { t in t.log(clipped) }
      }
      let rank = t.shape(logits).count
      let resolved = try Shape.resolve(axis: axis, rank: rank)
      if resolved != rank - 1 {
        logits = t.step(.alignRanks, "move axis \(axis) last", [.integer("axis", axis)]) { t in
          t.transpose(logits, Kernels.movingToEnd(resolved, rank: rank))
        }
      }
      let outputShape = t.shape(logits)
      let classes = outputShape.last!
      let updateShape = labels.rank != rank - 1
      if updateShape || ignoreClass != nil {
        // Flattening to (N, C) and (N,) is what TF does when the ranks disagree; with
        // ignore_class the boolean gather flattens the same way.
        let rows = Shape.count(Array(outputShape.dropLast()))
        guard labels.count == rows else {
          throw LossError.shapeMismatch(
            argument: "y_true", expected: "\(rows) labels, one per row of y_pred \(Shape.describe(outputShape)) (after squeezing)",
            got: "\(labels.count) (shape \(Shape.describe(labels.shape)))")
        }
        labels = labels.reshaped(to: [labels.count])
        logits = t.reshape(logits, to: [labels.count, classes])
      }
      if let ignoreClass {
        let valid = labels.scalars.map { $0 != ignoreClass }
        let keptLabels = labels.scalars.enumerated().filter { valid[$0.offset] }.map(\.element)
        let kept = Tensor(shape: [keptLabels.count], scalars: keptLabels)
        let gathered = t.step(.mask, "ignore_class=\(ignoreClass): drop ignored positions", [.integer("ignore_class", ignoreClass)]) { t in
          t.gatherRows(logits, mask: valid)
        }
        let loss = try t.step(.fusedKernel, "sparse_softmax_cross_entropy_with_logits") { t in
          try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(
            &t, labels: kept, logits: gathered, labelArgument: "y_true", logitsArgument: "y_pred")
        }
        let resultShape = Array(outputShape.dropLast())
        let scattered = t.step(.mask, "scatter the losses back, zeros at ignored positions") { t in
          t.reshape(t.scatterRows(loss, mask: valid), to: resultShape)
        }
        return (scattered, Tensor(shape: resultShape, scalars: valid))
      }
      var loss = try t.step(.fusedKernel, "sparse_softmax_cross_entropy_with_logits") { t in
        try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(
          &t, labels: labels, logits: logits, labelArgument: "y_true", logitsArgument: "y_pred")
      }
      if updateShape && rank >= 3 { loss = t.reshape(loss, to: Array(outputShape.dropLast())) }
      return (loss, nil)
    }
  }
}

extension TFKeras {
  /// `label_smoothing` is converted to the dtype first: `1 − ls` and `0.5·ls` are
  /// computed there.
  public static func labelSmoothingFactors<S: LossScalar>(_ labelSmoothing: Double) -> (keep: S, half: S) {
    let smoothing = S(labelSmoothing)
    return (1 - smoothing, S(0.5) * smoothing)
  }

  /// tf-keras counts classes along `axis` (`tf.shape(y_true)[axis]`).
  public static func smoothingClasses(yTrueShape: [Int], axis: Int) throws -> Int {
    yTrueShape[try Shape.resolve(axis: axis, rank: yTrueShape.count)]
  }

  public static func binaryCrossentropy<S: LossScalar>(
    _ t: inout LossTrace<S>, target: LossTrace<S>.Value, output: LossTrace<S>.Value, fromLogits: Bool
  ) throws -> LossTrace<S>.Value {
    try Backend.binaryCrossentropy(&t, target: target, output: output, fromLogits: fromLogits)
  }

  public static var checksCategoricalFocalShapes: Bool { true }
}

extension TFKeras {
  /// tf-keras's loss functions do not align ranks (only `Loss.__call__` does).
  public static func alignFunctionInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) -> (LossTrace<S>.Value, LossTrace<S>.Value) {
    (yTrue, yPred)
  }

  /// `backend.maximum(x, backend.epsilon())`: the Python float in the inputs' dtype.
  public static func msleEpsilon<S: LossScalar>() -> S { S(epsilon) }

  /// `tf.linalg.l2_normalize(x, axis)`: `x · rsqrt(max(Σx², 1e-12))`.
  public static func l2Normalize<S: LossScalar>(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, axis: Int) throws
    -> LossTrace<S>.Value
  {
    let resolved = try Shape.resolve(axis: axis, rank: t.shape(x).count)
    return try t.step(.normalize, "tf.linalg.l2_normalize: x · rsqrt(max(Σx² over axis \(axis), 1e-12))", [.integer("axis", axis)]) { t in
      let squareSum = t.sum(t.unary(.square, x), axis: resolved, keepDims: true)
      let inverseNorm = t.unary(.rsqrt, t.maximum(squareSum, S(1e-12)))
      return try t.multiply(x, inverseNorm)
    }
  }

  /// `huber` casts `y_true`, `y_pred` and `delta` to `backend.floatx()`, float32.
  public static var huberComputesInFloatx: Bool { true }
}
