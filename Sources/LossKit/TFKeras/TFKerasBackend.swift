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
        t.step = "sigmoid_cross_entropy_with_logits"
        return try TensorFlowOps.sigmoidCrossEntropyWithLogits(&t, labels: target, logits: output)
      }
      // `1.0 - epsilon_` in the dtype rounds to the same bound as Keras 3's Python `1 - ε`.
      t.step = "clip y_pred to [ε, 1 − ε]"
      let clipped = t.clipByValue(output, S(epsilon), S(1 - epsilon))
      t.step = "−(y·log(p + ε) + (1 − y)·log(1 − p + ε))"
      let positive = try t.binary(.multiply, target, t.log(t.add(clipped, S(epsilon))), argument: "y_true")
      let complement = t.add(t.subtract(1, clipped), S(epsilon))
      let negative = try t.binary(.multiply, t.subtract(1, target), t.log(complement), argument: "y_true")
      return t.negate(try t.add(positive, negative))
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
        t.step = "log(clip(y_pred, ε, 1 − ε))"
        logits = t.log(t.clipByValue(output, S(epsilon), S(1 - epsilon)))
      }
      let rank = t.shape(logits).count
      let resolved = try Keras.Backend.normalize(axis: axis, rank: rank)
      if resolved != rank - 1 {
        t.step = "move axis \(axis) last"
        logits = t.transpose(logits, Kernels.movingToEnd(resolved, rank: rank))
      }
      let outputShape = t.shape(logits)
      let classes = outputShape.last!
      let updateShape = labels.rank != rank - 1
      if updateShape || ignoreClass != nil {
        // Flattening to (N, C) and (N,) is what TF does when the ranks disagree; with
        // ignore_class the boolean gather flattens the same way.
        guard labels.count == Shape.count(Array(outputShape.dropLast())) else {
          throw LossError.shapeMismatch(
            argument: "y_true", expected: "one label per row of y_pred \(Shape.describe(outputShape))",
            got: Shape.describe(labels.shape))
        }
        labels = labels.reshaped(to: [labels.count])
        logits = t.reshape(logits, to: [labels.count, classes])
      }
      if let ignoreClass {
        t.step = "ignore_class=\(ignoreClass): drop ignored positions"
        let valid = labels.scalars.map { $0 != ignoreClass }
        let keptLabels = labels.scalars.enumerated().filter { valid[$0.offset] }.map(\.element)
        let kept = Tensor(shape: [keptLabels.count], scalars: keptLabels)
        let gathered = t.gatherRows(logits, mask: valid)
        t.step = "sparse_softmax_cross_entropy_with_logits"
        let loss = try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(
          &t, labels: kept, logits: gathered, labelArgument: "y_true", logitsArgument: "y_pred")
        t.step = "scatter the losses back, zeros at ignored positions"
        let scattered = t.scatterRows(loss, mask: valid)
        let resultShape = Array(outputShape.dropLast())
        let mask = Tensor(shape: resultShape, scalars: valid)
        return (t.reshape(scattered, to: resultShape), mask)
      }
      t.step = "sparse_softmax_cross_entropy_with_logits"
      var loss = try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(
        &t, labels: labels, logits: logits, labelArgument: "y_true", logitsArgument: "y_pred")
      if updateShape && rank >= 3 { loss = t.reshape(loss, to: Array(outputShape.dropLast())) }
      return (loss, nil)
    }
  }
}

extension TFKeras: KerasConvention {
  /// `label_smoothing` is converted to the dtype first: `1 − ls` and `0.5·ls` are
  /// computed there.
  static func labelSmoothingFactors<S: LossScalar>(_ labelSmoothing: Double) -> (keep: S, half: S) {
    let smoothing = S(labelSmoothing)
    return (1 - smoothing, S(0.5) * smoothing)
  }

  /// tf-keras counts classes along `axis` (`tf.shape(y_true)[axis]`).
  static func smoothingClasses(yTrueShape: [Int], axis: Int) throws -> Int {
    yTrueShape[try Keras.Backend.normalize(axis: axis, rank: yTrueShape.count)]
  }

  static func binaryCrossentropy<S: LossScalar>(
    _ t: inout LossTrace<S>, target: LossTrace<S>.Value, output: LossTrace<S>.Value, fromLogits: Bool
  ) throws -> LossTrace<S>.Value {
    try Backend.binaryCrossentropy(&t, target: target, output: output, fromLogits: fromLogits)
  }

  static var checksCategoricalFocalShapes: Bool { true }
}
