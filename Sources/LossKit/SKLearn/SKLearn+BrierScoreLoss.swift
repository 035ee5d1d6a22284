extension SKLearn {
  /// `sklearn.metrics.brier_score_loss(y_true, y_proba, *, sample_weight=None,
  /// pos_label=None, labels=None, scale_by_half="auto")`: the (weighted) mean over
  /// samples of `Σ_c (y_c − p_c)²` over both classes (binary) or every class.
  ///
  /// A 1-D (or one-column) `y_proba` is the probability of `pos_label`; `y_true` must
  /// then be binary, and `pos_label` defaults to 1 when the labels are {0, 1} or
  /// {−1, 1} (or one of them alone), otherwise to the larger label. An
  /// `(n, n_classes)` `y_proba` takes its classes as `log_loss` does. `scale_by_half`
  /// `"auto"` halves the score when there are fewer than three columns, so the binary
  /// score is the familiar `mean((y − p)²)`.
  public struct BrierScoreLoss: DeclaredLoss {
    /// `scale_by_half`: `"auto"`, `true` or `false`.
    public enum ScaleByHalf: Sendable, Equatable, ParameterConvertible {
      case auto
      case always
      case never

      public init?(parameterValue: ParameterValue) {
        switch parameterValue {
        case .string("auto"): self = .auto
        case .bool(let scale): self = scale ? .always : .never
        default: return nil
        }
      }
      public var parameterValue: ParameterValue {
        switch self {
        case .auto: .string("auto")
        case .always: .bool(true)
        case .never: .bool(false)
        }
      }
      public static var parameterExpectation: String { "\"auto\", true or false" }
    }

    public var posLabel: Double? = nil
    public var labels: Tensor<Double>? = nil
    public var scaleByHalf: ScaleByHalf = .auto

    public init() {}
    public init(posLabel: Double? = nil, labels: Tensor<Double>? = nil, scaleByHalf: ScaleByHalf = .auto) {
      self.posLabel = posLabel
      self.labels = labels
      self.scaleByHalf = scaleByHalf
    }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "brier_score_loss", summary: "mean of Σ (y − p)² over the classes, halved for binary (gradient: LossKit's)",
      parameters: [
        LossParameter("pos_label", \.posLabel, "the positive class of a 1-D y_proba (null: 1, or the larger label)"),
        LossParameter("labels", \.labels, "the class labels of a 2-D y_proba"),
        LossParameter("scale_by_half", \.scaleByHalf, "halve the score (\"auto\": when there are fewer than 3 columns)"),
      ],
      inputNames: SKLearn.probabilityInputs, takesClassIndices: true,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("scikit-learn < 1.7", "binary only (a 1-D y_proba), always the mean of (y − p)²; labels and scale_by_half came in 1.7"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (_, yProba) = t.recordInputs(inputs, yTrueName: "y_true", yPredName: "y_proba")
      try SKLearn.checkArray(inputs.yPred, "y_proba")
      let binary = SKLearn.isOneColumn(inputs.yPred)
      let (targets, probabilities) = try t.step("check-targets", binary ? "binary targets of pos_label" : "classes of y_true") { t in
        if binary { return try binaryTargets(&t, inputs, yProba) }
        return try SKLearn.multiclassTargets(&t, yTrue: inputs.yTrue, yProba: yProba, sampleWeight: inputs.sampleWeight, labels: labels)
      }
      let perSample = try t.step(.elementwiseLoss, "Σ (y − p)² over the classes") { t in
        let difference = try t.subtract(t.constant(targets, name: "transformed_labels"), probabilities)
        return t.sum(t.unary(.square, difference), axis: 1)
      }
      let weights = inputs.sampleWeight.map { t.constant($0, name: "sample_weight") }
      let score = try SKLearn.average(&t, perSample, weights: weights)
      let halve: Bool
      switch scaleByHalf {
      case .auto: halve = t.shape(probabilities)[1] < 3
      case .always: halve = true
      case .never: halve = false
      }
      guard halve else { return score }
      return t.step("scale-by-half", "× 0.5") { t in t.multiply(score, 0.5) }
    }

    /// `_validate_binary_probabilistic_prediction`, in its order.
    func binaryTargets<S: LossScalar>(
      _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, _ yProba: LossTrace<S>.Value
    ) throws -> (Tensor<S>, LossTrace<S>.Value) {
      let yTrue = inputs.yTrue
      try SKLearn.checkSamples(yTrue, "y_true")
      guard SKLearn.isOneColumn(yTrue) else {
        throw LossError.shapeMismatch(argument: "y_true", expected: "a 1-D array of labels (y_proba is 1-D)", got: Shape.describe(yTrue.shape))
      }
      try SKLearn.requireEvery(yTrue, "y_true", "finite labels") { $0.isFinite }
      try SKLearn.checkConsistentLength(("y_proba", inputs.yPred), [("y_true", yTrue), ("sample_weight", inputs.sampleWeight)])
      if let weights = inputs.sampleWeight { try SKLearn.checkSampleWeight(weights, samples: yTrue.shape[0]) }
      let classes = try SKLearn.classLabels(yTrue.scalars, argument: "y_true")
      guard classes.count <= 2 else {
        throw LossError.invalidValue(
          argument: "y_true", expected: "binary labels, as y_proba is 1-D (pass an (n_samples, n_classes) y_proba for more classes)",
          got: "\(classes.count) classes \(SKLearn.describe(classes))")
      }
      try SKLearn.checkProbabilityRange(inputs.yPred)
      let positive: Double
      if let posLabel {
        positive = posLabel
      } else if [[0, 1], [-1, 1], [0], [-1], [1]].contains(classes) {
        positive = 1
      } else {
        positive = classes.last!
      }
      var matrix = [S]()
      for label in yTrue.scalars {
        let isPositive: S = Double(label) == positive ? 1 : 0
        matrix += [1 - isPositive, isPositive]
      }
      return (Tensor(shape: [yTrue.shape[0], 2], scalars: matrix), SKLearn.bothClasses(&t, yProba))
    }
  }
}
