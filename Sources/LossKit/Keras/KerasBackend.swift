extension Keras {
  /// The crossentropy primitives of `keras/src/backend/tensorflow/nn.py` and the
  /// small Python-arithmetic helpers the loss functions share.
  enum Backend {
    typealias Value<S: LossScalar> = LossTrace<S>.Value

    /// `binary_crossentropy(target, output, from_logits)` of the TensorFlow backend:
    /// logits through `sigmoid_cross_entropy_with_logits`; probabilities clipped to
    /// `[ε, 1 − ε]`, then `−(y·log p + (1 − y)·log(1 − p))`. In float32 `1 − ε` is
    /// `1 − 2⁻²³` whether it is computed in Python (Keras 3) or in the dtype (tf-keras).
    static func binaryCrossentropy<S: LossScalar>(
      _ t: inout LossTrace<S>, target: Value<S>, output: Value<S>, fromLogits: Bool
    ) throws -> Value<S> {
      try requireSameShape(t, target: target, output: output)
      if fromLogits {
        t.step = "sigmoid_cross_entropy_with_logits"
        return try TensorFlowOps.sigmoidCrossEntropyWithLogits(&t, labels: target, logits: output)
      }
      t.step = "clip y_pred to [ε, 1 − ε]"
      let clipped = t.clipByValue(output, S(epsilon), S(1.0 - epsilon))
      t.step = "−(y·log(p) + (1 − y)·log(1 − p))"
      let positive = try t.multiply(target, t.log(clipped))
      let negative = try t.multiply(t.subtract(1, target), t.log(t.subtract(1, clipped)))
      return t.negate(try t.add(positive, negative))
    }

    /// `categorical_crossentropy(target, output, from_logits, axis)` of the TF backend.
    static func categoricalCrossentropy<S: LossScalar>(
      _ t: inout LossTrace<S>, target: Value<S>, output: Value<S>, fromLogits: Bool, axis: Int
    ) throws -> Value<S> {
      guard !t.shape(target).isEmpty else {
        throw LossError.shapeMismatch(argument: "y_true", expected: "rank at least 1", got: "a scalar")
      }
      try requireSameShape(t, target: target, output: output)
      if fromLogits {
        t.step = "softmax_cross_entropy_with_logits (axis \(axis))"
        return try TensorFlowOps.softmaxCrossEntropyWithLogits(&t, labels: target, logits: output, axis: axis)
      }
      let resolved = try normalize(axis: axis, rank: t.shape(output).count)
      t.step = "normalize y_pred to sum to 1 over axis \(axis)"
      let total = t.sum(output, axis: resolved, keepDims: true)
      let normalized = try t.divide(output, total)
      t.step = "clip to [ε, 1 − ε]"
      let clipped = t.clipByValue(normalized, S(epsilon), S(1.0 - epsilon))
      t.step = "−Σ y·log(p) over axis \(axis)"
      let product = try t.multiply(target, t.log(clipped))
      return t.negate(t.sum(product, axis: resolved))
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
        t.step = "log(clip(y_pred, ε, 1 − ε))"
        logits = t.log(t.clipByValue(output, S(epsilon), S(1.0 - epsilon)))
      }
      t.step = "sparse_softmax_cross_entropy_with_logits"
      return try TensorFlowOps.sparseSoftmaxCrossEntropyWithLogits(
        &t, labels: labels, logits: logits, labelArgument: "y_true", logitsArgument: "y_pred")
    }

    /// The TF backend's rank and shape check for the (binary, categorical) crossentropies.
    static func requireSameShape<S: LossScalar>(_ t: LossTrace<S>, target: Value<S>, output: Value<S>) throws {
      guard t.shape(target) == t.shape(output) else {
        throw LossError.shapeMismatch(
          argument: "y_true", expected: "the same shape as y_pred \(Shape.describe(t.shape(output)))",
          got: Shape.describe(t.shape(target)))
      }
    }

    /// Resolves `axis` for a tensor of `rank`, or throws naming the parameter.
    static func normalize(axis: Int, rank: Int) throws -> Int {
      guard let resolved = Shape.normalize(axis: axis, rank: rank) else {
        throw LossError.invalidParameter(
          name: "axis", expected: rank == 0 ? "inputs of rank at least 1" : "an axis in [-\(rank), \(rank))",
          got: "\(axis)")
      }
      return resolved
    }

    /// `ops.mean(x, axis)` / `ops.sum(x, axis)`.
    static func reduce<S: LossScalar>(
      _ t: inout LossTrace<S>, _ op: ReduceOp, _ x: Value<S>, axis: Int
    ) throws -> Value<S> {
      let resolved = try normalize(axis: axis, rank: t.shape(x).count)
      return t.reduce(op, x, axes: [resolved])
    }
  }
}
