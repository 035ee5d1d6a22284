extension Optax {
  /// `optax.losses.safe_softmax_cross_entropy(logits, labels)`: `−Σ weighted_logsoftmax`
  /// over the last axis, where optax's `weighted_logsoftmax` (a `custom_jvp`) is
  /// `where(w ≠ 0, w·log_softmax(x), 0)` — so `0·log 0 = 0` at `−inf` logits — with
  /// derivative `w·ẋ − w·Σ(ẋ·softmax(x))`, finite there too.
  public struct SafeSoftmaxCrossEntropy: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .optax, "safe_softmax_cross_entropy", summary: "softmax cross-entropy with 0·log 0 = 0 at −inf logits, last axis",
      parameters: [], inputNames: Optax.logitsAndLabels, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("-inf logits", "zero labels at −inf logits give finite values and gradients; a row of only −inf gives NaN")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labels, logits) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let logitsShape = t.shape(logits)
      guard !logitsShape.isEmpty else {
        throw LossError.shapeMismatch(argument: "logits", expected: "rank at least 1", got: "a scalar")
      }
      let shape = try Optax.requireBroadcast(t.shape(labels), "labels", with: logitsShape, "logits")
      let last = shape.count - 1
      let e = t.environment
      let weights = Kernels.broadcast(t[labels], to: shape)
      let weighted = try t.step(.elementwiseLoss, "weighted_logsoftmax: where(w ≠ 0, w·log_softmax(x), 0)") { t in
        var scratch = LossTrace<S>(policy: t.policy)
        let x = scratch.input(t[logits], name: "x")
        let logSoftmaxValue = try JAXOps.logSoftmax(&scratch, x, axes: [logitsShape.count - 1])
        let probabilitiesValue = try JAXOps.softmax(&scratch, x, axes: [logitsShape.count - 1])
        let logSoftmax = scratch[logSoftmaxValue], probabilities = scratch[probabilitiesValue]
        let lsm = Kernels.broadcast(logSoftmax, to: shape)
        let value = Kernels.zip(weights, lsm) { w, l in w != 0 ? e.flushed(w * l) : 0 }
        let softmax = Kernels.broadcast(probabilities, to: shape)
        return t.customGradient("weighted_logsoftmax", [logits], value: value) { g in
          // Transpose of w·ẋ − w·Σ(ẋ·softmax): w·g + Σ(w·(−g))·softmax.
          let wg = Kernels.zip(weights, g) { e.flushed($0 * $1) }
          let negated = Kernels.zip(weights, g) { e.flushed($0 * -$1) }
          let total = Kernels.broadcast(Kernels.reduce(.sum, negated, axes: [last], keepDims: true, e), to: shape)
          let second = Kernels.zip(total, softmax) { e.flushed($0 * $1) }
          let full = Kernels.zip(wg, second) { e.flushed($0 + $1) }
          return [Kernels.unbroadcast(full, to: logitsShape, e)]
        }
      }
      return t.step(.reduction, "−Σ over the last axis") { t in t.negate(t.sum(weighted, axis: last)) }
    }
  }
}
