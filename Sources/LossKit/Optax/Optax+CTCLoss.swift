extension Optax {
  /// The arguments both CTC functions share, validated as optax validates them.
  struct CTCArguments<S: LossScalar> {
    var logitPaddings: Tensor<S>
    var labels: Tensor<Int>
    var labelPaddings: Tensor<S>

    init(logitsShape: [Int], labels labelValues: Tensor<S>, logitPaddings: Tensor<Double>?, labelPaddings: Tensor<Double>?, blankID: Int) throws {
      guard logitsShape.count == 3 else {
        throw LossError.shapeMismatch(argument: "logits", expected: "rank 3 (B, T, K)", got: Shape.describe(logitsShape))
      }
      guard labelValues.rank == 2 else {
        throw LossError.shapeMismatch(argument: "labels", expected: "rank 2 (B, N)", got: Shape.describe(labelValues.shape))
      }
      let logitPaddings = try logitPaddings.unwrapped(parameter: "logit_paddings")
      let labelPaddings = try labelPaddings.unwrapped(parameter: "label_paddings")
      guard labelPaddings.shape == labelValues.shape else {
        throw LossError.shapeMismatch(
          argument: "label_paddings", expected: "the shape of labels \(Shape.describe(labelValues.shape))",
          got: Shape.describe(labelPaddings.shape))
      }
      guard logitPaddings.shape == Array(logitsShape.prefix(2)) else {
        throw LossError.shapeMismatch(
          argument: "logit_paddings", expected: "(B, T) = \(Shape.describe(Array(logitsShape.prefix(2))))",
          got: Shape.describe(logitPaddings.shape))
      }
      guard labelValues.shape[0] == logitsShape[0] else {
        throw LossError.shapeMismatch(
          argument: "labels", expected: "batch size \(logitsShape[0])", got: "\(labelValues.shape[0])")
      }
      guard (0..<logitsShape[2]).contains(blankID) else {
        throw LossError.invalidParameter(name: "blank_id", expected: "a class in [0, \(logitsShape[2]))", got: "\(blankID)")
      }
      guard logitsShape[1] > 0 else {
        throw LossError.shapeMismatch(argument: "logits", expected: "at least one frame", got: Shape.describe(logitsShape))
      }
      self.labels = try ClassLabels.exact(labelValues, argument: "labels")
      self.logitPaddings = logitPaddings.converted()
      self.labelPaddings = labelPaddings.converted()
    }
  }

  /// `optax.losses.ctc_loss(logits, logit_paddings, labels, label_paddings, *,
  /// blank_id=0, log_epsilon=-1e5)`: the per-sequence negative log-likelihood `(B,)`,
  /// no length normalisation. Takes raw logits (`log_softmax` inside); `log 0` is
  /// `log_epsilon`, so an infeasible alignment gives a large finite loss (≈ 1e5).
  ///
  /// Case format: `y_pred` = `logits`, `y_true` = `labels` (integers, right-padded);
  /// `logit_paddings` and `label_paddings` are parameters (1.0 = padded).
  public struct CTCLoss: DeclaredLoss {
    public var logitPaddings: Tensor<Double>?
    public var labelPaddings: Tensor<Double>?
    public var blankID = 0
    public var logEpsilon = -1e5

    public init() {}
    public init(logitPaddings: Tensor<Double>, labelPaddings: Tensor<Double>, blankID: Int = 0, logEpsilon: Double = -1e5) {
      self.logitPaddings = logitPaddings
      self.labelPaddings = labelPaddings
      self.blankID = blankID
      self.logEpsilon = logEpsilon
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "ctc_loss", summary: "per-sequence CTC negative log-likelihood (B,), log 0 = log_epsilon",
      parameters: Self.sharedParameters, inputNames: InputNames(yTrue: "labels", yPred: "logits"), takesClassIndices: true,
      acceptsSampleWeight: false, notes: Optax.commonNotes + Self.sharedNotes, ignoredParameters: [])

    static let sharedParameters: [LossParameter<Self>] = [
      LossParameter(required: "logit_paddings", \.logitPaddings, "(B, T) padding mask of the logits, 1.0 = padded"),
      LossParameter(required: "label_paddings", \.labelPaddings, "(B, N) padding mask of the labels, 1.0 = padded"),
      LossParameter("blank_id", \.blankID, "class id of the blank"),
      LossParameter("log_epsilon", \.logEpsilon, "stand-in for log(0)"),
    ]
    static let sharedNotes = [
      ConventionNote("case format", "y_true is optax's labels (its third argument); the paddings are parameters"),
      ConventionNote("infeasible alignments", "give a finite loss of about −log_epsilon = 1e5, not inf (torch: inf or zero_infinity)"),
    ]

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Self.forward(&t, inputs, logitPaddings: logitPaddings, labelPaddings: labelPaddings, blankID: blankID, logEpsilon: logEpsilon).loss
    }

    static func forward<S: LossScalar>(
      _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, logitPaddings: Tensor<Double>?, labelPaddings: Tensor<Double>?,
      blankID: Int, logEpsilon: Double
    ) throws -> CTCForward.Result<S> {
      let (labels, logits) = try Optax.recordInputs(&t, inputs, InputNames(yTrue: "labels", yPred: "logits"))
      let arguments = try CTCArguments(
        logitsShape: t.shape(logits), labels: t[labels], logitPaddings: logitPaddings, labelPaddings: labelPaddings,
        blankID: blankID)
      return try CTCForward.record(
        &t, logits: logits, logitPaddings: arguments.logitPaddings, labels: arguments.labels,
        labelPaddings: arguments.labelPaddings, blankID: blankID, logEpsilon: S(logEpsilon))
    }
  }

  /// `optax.losses.ctc_loss_with_forward_probs(...)`: `ctc_loss` plus the forward
  /// probabilities. As a registry loss its value is the loss `(B,)`;
  /// ``forwardProbabilities(logits:labels:)`` returns all three outputs.
  public struct CTCLossWithForwardProbs: DeclaredLoss {
    public var logitPaddings: Tensor<Double>?
    public var labelPaddings: Tensor<Double>?
    public var blankID = 0
    public var logEpsilon = -1e5

    public init() {}
    public init(logitPaddings: Tensor<Double>, labelPaddings: Tensor<Double>, blankID: Int = 0, logEpsilon: Double = -1e5) {
      self.logitPaddings = logitPaddings
      self.labelPaddings = labelPaddings
      self.blankID = blankID
      self.logEpsilon = logEpsilon
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "ctc_loss_with_forward_probs",
      summary: "ctc_loss with its forward probabilities (the loss value is the first output)",
      parameters: [
        LossParameter(required: "logit_paddings", \.logitPaddings, "(B, T) padding mask of the logits, 1.0 = padded"),
        LossParameter(required: "label_paddings", \.labelPaddings, "(B, N) padding mask of the labels, 1.0 = padded"),
        LossParameter("blank_id", \.blankID, "class id of the blank"),
        LossParameter("log_epsilon", \.logEpsilon, "stand-in for log(0)"),
      ],
      inputNames: InputNames(yTrue: "labels", yPred: "logits"), takesClassIndices: true, acceptsSampleWeight: false,
      notes: Optax.commonNotes + CTCLoss.sharedNotes + [
        ConventionNote("outputs", "optax returns (loss, logalpha_blank (T, B, N+1), logalpha_emit (T, B, N)); compute and eval report the loss")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try CTCLoss.forward(&t, inputs, logitPaddings: logitPaddings, labelPaddings: labelPaddings, blankID: blankID, logEpsilon: logEpsilon).loss
    }

    /// optax's three outputs: the loss `(B,)`, `logalpha_blank (T, B, N+1)` and
    /// `logalpha_emit (T, B, N)`.
    public func forwardProbabilities<S: LossScalar>(logits: Tensor<S>, labels: Tensor<Int>) throws
      -> (loss: Tensor<S>, logAlphaBlank: Tensor<S>, logAlphaEmit: Tensor<S>)
    {
      try validate()
      var t = LossTrace<S>(policy: policy)
      let result = try CTCLoss.forward(
        &t, LossInputs(yTrue: labels.map { S($0) }, yPred: logits), logitPaddings: logitPaddings,
        labelPaddings: labelPaddings, blankID: blankID, logEpsilon: logEpsilon)
      return (t[result.loss], t[result.logAlphaBlank], t[result.logAlphaEmit])
    }
  }
}
