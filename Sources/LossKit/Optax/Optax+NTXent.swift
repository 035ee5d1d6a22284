extension Optax {
  /// `optax.losses.ntxent(embeddings, labels, temperature=0.07)` (NT-Xent): the cosine
  /// similarity matrix (ε = the dtype's machine epsilon) over the temperature; for each
  /// positive pair (same label, off the diagonal) the log-softmax against all negatives
  /// and that positive, shifted by the row maximum under `stop_gradient`; the loss is
  /// the negative mean over positive pairs — a scalar (NaN without positive pairs).
  public struct NTXent: DeclaredLoss {
    public var temperature = 0.07

    public init() {}
    public init(temperature: Double = 0.07) { self.temperature = temperature }

    public static let declaration = LossDeclaration<Self>(
      .optax, "ntxent", summary: "NT-Xent contrastive loss of [batch, features] embeddings, a scalar",
      parameters: [LossParameter("temperature", \.temperature, "divides the cosine similarities")],
      inputNames: InputNames(yTrue: "labels", yPred: "embeddings"), takesClassIndices: true, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [ConventionNote("no positive pairs", "the mean over zero pairs is 0/0 = NaN")],
      ignoredParameters: [], couplesSamples: true)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (labelValues, embeddings) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let shape = t.shape(embeddings)
      guard shape.count == 2 else {
        throw LossError.shapeMismatch(argument: "embeddings", expected: "rank 2 [batch, features]", got: Shape.describe(shape))
      }
      let labels = t[labelValues]
      guard labels.rank == 1, labels.shape[0] == shape[0] else {
        throw LossError.shapeMismatch(
          argument: "labels", expected: "shape (\(shape[0]),), the leading dimension of embeddings", got: Shape.describe(labels.shape))
      }
      let batch = shape[0]
      let similarity = try t.step(.normalize, "cosine similarity matrix / temperature", [.number("temperature", temperature)]) { t in
        let rows = t.reshape(embeddings, to: [1, batch, shape[1]])
        let columns = t.reshape(embeddings, to: [batch, 1, shape[1]])
        let cosine = try CosineSimilarity.similarity(&t, rows, columns, epsilon: S.ulpOfOne, axis: -1, where: nil)
        return try t.divide(cosine, t.constant(S(temperature)))
      }
      var matches = [Bool](repeating: false, count: batch * batch)
      var differs = [Bool](repeating: false, count: batch * batch)
      for i in 0..<batch {
        for j in 0..<batch {
          let same = labels.scalars[i] == labels.scalars[j]
          differs[i * batch + j] = !same
          matches[i * batch + j] = same && i != j
        }
      }
      let matchMask = Tensor(shape: [batch, batch], scalars: matches)
      let differMask = Tensor(shape: [batch, batch], scalars: differs)
      return try t.step(.elementwiseLoss, "−mean over positive pairs of log-softmax against the negatives") { t in
        let negatives = try t.select(differMask, similarity, t.constant(-S.infinity))
        let positives = try t.select(matchMask, similarity, t.constant(-S.infinity))
        // The row maximum over both, under stop_gradient.
        let rowMax = (0..<batch).map { i -> S in
          var m = -S.infinity
          for j in 0..<batch {
            m = Kernels.maximum(m, t[negatives].scalars[i * batch + j])
            m = Kernels.maximum(m, t[positives].scalars[i * batch + j])
          }
          return m
        }
        let stopped = t.constant(Tensor(shape: [batch, 1], scalars: rowMax), name: "stop_gradient(max)")
        let shiftedNegatives = try t.subtract(negatives, stopped)
        let shiftedPositives = try t.subtract(positives, stopped)
        let denominator = try t.add(t.sum(t.exp(shiftedNegatives), axis: 1, keepDims: true), t.exp(shiftedPositives))
        let logSoftmax = try t.subtract(shiftedPositives, t.log(denominator))
        let total = t.negate(t.reduce(.sum, try t.select(matchMask, logSoftmax, t.constant(S(0))), axes: nil))
        return try t.divide(total, t.constant(S(matches.filter { $0 }.count)))
      }
    }
  }
}
