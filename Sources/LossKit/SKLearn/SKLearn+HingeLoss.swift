extension SKLearn {
  /// `sklearn.metrics.hinge_loss(y_true, pred_decision, *, labels=None,
  /// sample_weight=None)`: the (weighted) mean of `max(0, 1 − margin)`.
  ///
  /// Binary (at most two classes among `labels`, or in `y_true`): `y_true` is mapped to
  /// ±1 by `LabelBinarizer(neg_label=-1)` fitted on `y_true` itself — the larger label
  /// is +1; a `y_true` holding one class maps every sample to −1 — and the margin is
  /// `y·f`. NumPy multiplies those int64 labels by the decisions in float64, so the
  /// binary metric computes in float64 whatever the decisions' dtype.
  ///
  /// Multiclass (Crammer–Singer): `pred_decision` is `(n_samples, n_classes)` with the
  /// classes sorted, and the margin is the true class's score minus the best other
  /// score, in the decisions' dtype.
  public struct HingeLoss: DeclaredLoss {
    public var labels: Tensor<Double>? = nil

    public init() {}
    public init(labels: Tensor<Double>? = nil) { self.labels = labels }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "hinge_loss", summary: "mean of max(0, 1 − margin); binary margin y·f (float64), multiclass Crammer–Singer (gradient: LossKit's)",
      parameters: [LossParameter("labels", \.labels, "every class label (multiclass)")],
      inputNames: InputNames(yTrue: "y_true", yPred: "pred_decision"), takesClassIndices: true,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("binary y_true with a single class", "every sample is mapped to −1 (LabelBinarizer), even when labels= lists two classes"),
        ConventionNote("Keras Hinge, tf_v1 hinge_loss", "map labels {0, 1} to ±1 elementwise and average max(0, 1 − y·f) over the last axis"),
      ])

    /// Binary inputs compute in float64 (int64 labels × decisions).
    public func computeDType<S: LossScalar>(forInputs dtype: DType, values inputs: LossInputs<S>) -> DType {
      let classes = (labels?.scalars ?? inputs.yTrue.scalars.map(Double.init))
      return Set(classes).count <= 2 ? .float64 : dtype
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (_, decisions) = t.recordInputs(inputs, yTrueName: "y_true", yPredName: "pred_decision")
      let yTrue = inputs.yTrue
      let margin = try t.step("margin", "the margin of each sample") { t -> LossTrace<S>.Value in
        try SKLearn.checkConsistentLength(("pred_decision", inputs.yPred), [("y_true", yTrue), ("sample_weight", inputs.sampleWeight)])
        try SKLearn.checkArray(inputs.yPred, "pred_decision")
        guard SKLearn.isOneColumn(yTrue) else {
          throw LossError.shapeMismatch(argument: "y_true", expected: "a 1-D array of labels", got: Shape.describe(yTrue.shape))
        }
        let samples = yTrue.shape[0]
        let classes = try SKLearn.classLabels(labels?.scalars ?? yTrue.scalars.map(Double.init), argument: labels == nil ? "y_true" : "labels")
        if classes.count > 2 {
          return try crammerSingerMargin(&t, yTrue, decisions, classes: classes, samples: samples)
        }
        guard SKLearn.isOneColumn(inputs.yPred) else {
          throw LossError.shapeMismatch(
            argument: "pred_decision", expected: "a 1-D array of decisions for a binary target", got: Shape.describe(inputs.yPred.shape))
        }
        let signs = try Self.binarized(yTrue)
        return try t.multiply(t.constant(Tensor(shape: [samples], scalars: signs), name: "y (±1)"), t.reshape(decisions, to: [samples]))
      }
      let losses = t.step(.elementwiseLoss, "max(0, 1 − margin)") { t in t.clamp(t.subtract(1, margin), lower: 0, upper: nil) }
      guard let weights = inputs.sampleWeight else { return try SKLearn.average(&t, losses, weights: nil) }
      // np.average(losses, weights=sample_weight): no _check_sample_weight here.
      guard weights.shape == t.shape(losses) else {
        throw LossError.shapeMismatch(argument: "sample_weight", expected: "shape \(Shape.describe(t.shape(losses)))", got: Shape.describe(weights.shape))
      }
      return try SKLearn.average(&t, losses, weights: t.constant(weights, name: "sample_weight"))
    }

    /// `LabelBinarizer(neg_label=-1).fit_transform(y_true)[:, 0]`: +1 for the larger of
    /// two labels; with one label, −1 everywhere; with three or more, +1 for the smallest.
    static func binarized<S: LossScalar>(_ yTrue: Tensor<S>) throws -> [S] {
      let classes = try SKLearn.classLabels(yTrue.scalars, argument: "y_true")
      let positive: Double? = classes.count == 1 ? nil : (classes.count == 2 ? classes[1] : classes[0])
      return yTrue.scalars.map { Double($0) == positive ? 1 : -1 }
    }

    /// `pred_decision[true class] − max(pred_decision[other classes])`.
    func crammerSingerMargin<S: LossScalar>(
      _ t: inout LossTrace<S>, _ yTrue: Tensor<S>, _ decisions: LossTrace<S>.Value, classes: [Double], samples: Int
    ) throws -> LossTrace<S>.Value {
      let shape = t.shape(decisions)
      guard shape.count == 2 else {
        throw LossError.shapeMismatch(
          argument: "pred_decision", expected: "(n_samples, n_classes) = (\(samples), \(classes.count)) for a multiclass target",
          got: Shape.describe(shape))
      }
      guard shape[1] == classes.count else {
        if labels == nil {
          throw LossError.shapeMismatch(
            argument: "y_true", expected: "every one of the \(shape[1]) classes of pred_decision (or pass labels=)", got: "\(classes.count) classes")
        }
        throw LossError.shapeMismatch(
          argument: "pred_decision", expected: "(n_samples, n_classes) = (\(samples), \(classes.count))", got: Shape.describe(shape))
      }
      var isTrue = [Bool](repeating: false, count: samples * classes.count)
      for (row, label) in yTrue.scalars.enumerated() {
        guard let column = classes.firstIndex(of: Double(label)) else {
          throw LossError.invalidValue(argument: "y_true", expected: "one of the labels \(SKLearn.describe(classes))", got: "\(label)")
        }
        isTrue[row * classes.count + column] = true
      }
      let mask = Tensor(shape: shape, scalars: isTrue)
      let trueScore = t.sum(try t.select(mask, decisions, t.constant(0)), axis: 1)
      let otherBest = t.reduce(.max, try t.select(mask, t.constant(-S.infinity), decisions), axes: [1])
      return try t.subtract(trueScore, otherBest)
    }
  }
}
