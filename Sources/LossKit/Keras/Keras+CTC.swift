extension Keras {
  /// `keras.losses.CTC`: connectionist temporal classification on integer labels
  /// `(B, L)` and logits `(B, T, C)` (not probabilities: a log-softmax is applied).
  ///
  /// Class 0 is both the blank and the padding: each row's label length is the number
  /// of its non-zero entries, and the first that many entries are the label (so
  /// `[1, 0, 2]` scores `[1, 0]`). Every sequence uses all `T` frames. The TensorFlow
  /// backend runs `tf.nn.ctc_loss` in float32 whatever the dtype (float64 logits are
  /// cast down, the loss cast back); an infeasible alignment costs about 708 (TF's
  /// `log(1e-307)` stands for log 0) where JAX gives about 1e5 and torch infinity.
  public struct CTC: KerasFamilyLoss, KerasFunctionalForm {
    public typealias Convention = Keras
    public var reduction: Reduction
    public var dtype: DType?

    public init() { self.init(reduction: .sumOverBatchSize) }
    public init(reduction: Reduction = .sumOverBatchSize, dtype: DType? = nil) {
      self.reduction = reduction
      self.dtype = dtype
    }

    public static let declaration = LossDeclaration<Self>(
      .keras, "CTC", summary: "CTC negative log-likelihood of (B, L) labels (0 = blank/padding) under (B, T, C) logits",
      parameters: [
        LossParameter("reduction", \.reduction, "how the weighted per-sample losses are reduced"),
        LossParameter("dtype", \.dtype, "dtype of the inputs and the reduction (the CTC itself runs in float32)"),
      ],
      takesClassIndices: true, notes: notes)

    static let notes = [
      ConventionNote("infeasible alignments", "TF gives ≈ 708 (log(1e-307) as log 0), the JAX and numpy backends ≈ 1e5, torch inf"),
      ConventionNote("float64", "the TF backend computes the CTC in float32 and casts the loss back"),
    ]

    /// Float32: the TF backend casts float64 logits down and only the cast back (and,
    /// with `dtype="float64"`, the reduction) is float64.
    public func computeDType(forInputs inputs: DType) -> DType { .float32 }
    public static func functionComputeDType(forInputs inputs: DType) -> DType { .float32 }

    public static var functionName: String { "ctc" }
    public static var functionSummary: String { "CTC negative log-likelihood per sequence" }
    public static var functionTakesClassIndices: Bool { true }
    public static var functionParameters: [LossParameter<KerasFunction<Self>>] { [] }
    public static var functionNotes: [ConventionNote] { notes }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try callClass(on: &t, inputs)
    }

    public func perSample<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
    ) throws -> PerSampleLoss<S> {
      let (labelShape, logitShape) = (t.shape(yTrue), t.shape(yPred))
      guard labelShape.count == 2 else {
        throw LossError.shapeMismatch(argument: "y_true", expected: "labels of shape (batch_size, max_length)", got: Shape.describe(labelShape))
      }
      guard logitShape.count == 3 else {
        throw LossError.shapeMismatch(
          argument: "y_pred", expected: "logits of shape (batch_size, max_length, num_classes)", got: Shape.describe(logitShape))
      }
      guard labelShape[0] == logitShape[0] else {
        throw LossError.shapeMismatch(
          argument: "y_true", expected: "\(logitShape[0]) label rows, one per sequence", got: Shape.describe(labelShape))
      }
      let labels = try ClassLabels.truncating(t[yTrue], argument: "y_true")
      let classes = logitShape[2]
      let rows = (0..<labelShape[0]).map { Array(labels.scalars[($0 * labelShape[1])..<(($0 + 1) * labelShape[1])]) }
      let lengths = rows.map { $0.filter { $0 != 0 }.count }
      if let bad = labels.scalars.first(where: { $0 < 0 || $0 >= classes }) {
        throw LossError.labelOutOfRange(argument: "y_true", label: bad, classes: classes)
      }
      // The trace's dtype is float32 (computeDType) unless a caller records in float64.
      let ctc = CTCLossDense<S>(environment: t.environment)
      let (loss, gradient) = ctc(labels: rows, labelLengths: lengths, logits: t[yPred])
      let (batch, frames) = (logitShape[0], logitShape[1])
      return t.step(.fusedKernel, "tf.nn.ctc_loss (dense, blank 0, float32)", [.integer("classes", classes)]) { t in
        let value = t.kernel("ctc_loss", yPred, value: loss) { g in
          // The custom gradient: grad_loss[b] · (softmax − occupation).
          var out = [S](repeating: 0, count: gradient.count)
          for b in 0..<batch {
            for i in 0..<(frames * classes) { out[b * frames * classes + i] = g.scalars[b] * gradient.scalars[b * frames * classes + i] }
          }
          return Tensor(shape: logitShape, scalars: out)
        }
        return PerSampleLoss(value: value)
      }
    }
  }
}
