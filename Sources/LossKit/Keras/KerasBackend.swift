extension Keras {
  /// The crossentropy primitives of `keras/src/backend/tensorflow/nn.py`.
  enum Backend {
    typealias Value<S: LossScalar> = LossTrace<S>.Value

    /// `binary_crossentropy(target, output, from_logits)` of the TensorFlow backend:
    /// logits through `sigmoid_cross_entropy_with_logits`; probabilities clipped to
    /// `[ε, 1 − ε]`, then `−(y·log p + (1 − y)·log(1 − p))`. In float32 `1 − ε` is
    /// `1 − 2⁻²³` whether it is computed in Python (Keras 3) or in the dtype (tf-keras).
    static func binaryCrossentropy<S: LossScalar>(
      _ t: inout LossTrace<S>, target: Value<S>, output: Value<S>, fromLogits: Bool
    ) throws -> Value<S> {
      try Shape.requireSame(t.shape(target), "y_true", as: t.shape(output), "y_pred")
      if fromLogits {
        return try t.step(.elementwiseLoss, "sigmoid_cross_entropy_with_logits", [.flag("from_logits", true)]) { t in
          try TensorFlowOps.sigmoidCrossEntropyWithLogits(&t, labels: target, logits: output)
        }
      }
      let clipped = KerasFamily.clip(&t, output, epsilon)
      return try t.step(.elementwiseLoss, "−(y·log(p) + (1 − y)·log(1 − p))", [.number("epsilon_in_log", 0)]) { t in
        let positive = try t.multiply(target, t.log(clipped))
        let negative = try t.multiply(t.subtract(1, target), t.log(t.subtract(1, clipped)))
        return t.negate(try t.add(positive, negative))
      }
    }

    /// `categorical_crossentropy(target, output, from_logits, axis)` of the TF backend.
    static func categoricalCrossentropy<S: LossScalar>(
      _ t: inout LossTrace<S>, target: Value<S>, output: Value<S>, fromLogits: Bool, axis: Int
    ) throws -> Value<S> {
      guard !t.shape(target).isEmpty else {
        throw LossError.shapeMismatch(argument: "y_true", expected: "rank at least 1", got: "a scalar")
      }
      try Shape.requireSame(t.shape(target), "y_true", as: t.shape(output), "y_pred")
      if fromLogits {
        return try t.step(.fusedKernel, "softmax_cross_entropy_with_logits over axis \(axis)", [.integer("axis", axis)]) { t in
          try TensorFlowOps.softmaxCrossEntropyWithLogits(&t, labels: target, logits: output, axis: axis)
        }
      }
      let resolved = try Shape.resolve(axis: axis, rank: t.shape(output).count)
      let clipped = try KerasFamily.normalizeAndClip(&t, output, axis: axis, resolved: resolved)
      return try t.step(.elementwiseLoss, "−Σ y·log(p) over axis \(axis)", [.integer("axis", axis)]) { t in
        let product = try t.multiply(target, t.log(clipped))
        return t.negate(t.sum(product, axis: resolved))
      }
    }

    /// `sparse_categorical_crossentropy(target, output, from_logits, axis)` of the TF
    /// backend: only the last axis; probabilities are clipped, logged, and handed to
    /// the sparse logits kernel (so they are clipped *before* being normalized).
    static func sparseCategoricalCrossentropy<S: LossScalar>(
      _ t: inout LossTrace<S>, target: Value<S>, output: Value<S>, fromLogits: Bool, axis: Int
    ) throws -> Value<S> {
      let outputShape = t.shape(output)
      guard axis == -1 || axis == outputShape.count - 1 else {
        throw LossError.invalidParameter(
          name: "axis", expected: "-1 (the TensorFlow backend supports only the last axis)", got: "\(axis)")
      }
      var labels = try ClassLabels.truncating(t[target], argument: "y_true")
      if labels.rank == outputShape.count, labels.shape.last == 1 {
        labels = labels.reshaped(to: Array(labels.shape.dropLast()))
      }
      guard !outputShape.isEmpty else {
        throw LossError.shapeMismatch(argument: "y_pred", expected: "rank at least 1", got: "a scalar")
      }
      guard labels.rank == outputShape.count - 1, labels.shape == Array(outputShape.dropLast()) else {
        throw LossError.shapeMismatch(
          argument: "y_true", expected: "shape \(Shape.describe(Array(outputShape.dropLast()))) (y_pred's shape without the class axis)",
          got: Shape.describe(t.shape(target)))
      }
      var logits = output
      if !fromLogits {
        let clipped = KerasFamily.clip(&t, output, epsilon)
        logits = t.step(.elementwiseLoss, "log(p) as logits", []) { t in t.log(clipped) }
      }
      return try t.step(.fusedKernel, "sparse_softmax_cross_entropy_with_logits") { t in
        try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(
          &t, labels: labels, logits: logits, labelArgument: "y_true", logitsArgument: "y_pred")
      }
    }
  }
}
