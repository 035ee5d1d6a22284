extension SKLearn {
  /// `sklearn.metrics.log_loss(y_true, y_proba, *, normalize=True, sample_weight=None,
  /// labels=None)`: the mean over samples of `−Σ_c y_c·log(p_c)`, with `p` clipped to
  /// `[ε, 1 − ε]`, ε the machine epsilon of `y_proba`'s dtype — 2⁻²³ ≈ 1.19e-7 in
  /// float32, 2⁻⁵² ≈ 2.2e-16 in float64 — and the computation in that dtype. So the
  /// same numbers give different losses in the two dtypes: `y_true = [1, 1, 1]`,
  /// `y_proba = [1, 1, 0]` with `labels=[0, 1]` is 12.014551129705717 in float64
  /// (−log(2.2e-16)/3) and 5.314128398895264 in float32 (−log(1.19e-7)/3).
  ///
  /// A 1-D `y_proba` (or one column) is the probability of the positive class, the
  /// larger label. The classes are `labels` or the labels found in `y_true`, sorted;
  /// a `y_true` with a single class needs `labels=`, and the number of classes must be
  /// the number of columns. Rows that do not sum to one only warn. With
  /// `normalize=False` the (weighted) sum instead of the mean.
  public struct LogLoss: DeclaredLoss {
    public var normalize = true
    public var labels: Tensor<Double>? = nil

    public init() {}
    public init(normalize: Bool = true, labels: Tensor<Double>? = nil) {
      self.normalize = normalize
      self.labels = labels
    }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "log_loss", summary: "mean of −Σ y·log(clip(p, ε, 1−ε)), ε = eps of y_proba's dtype (gradient: LossKit's)",
      parameters: [
        LossParameter("normalize", \.normalize, "mean over the samples (false: the sum)"),
        LossParameter("labels", \.labels, "the class labels, in the order of y_proba's columns after sorting"),
      ],
      inputNames: SKLearn.probabilityInputs, takesClassIndices: true,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("scikit-learn ≤ 1.1", "clipped to eps=1e-15 whatever the dtype; in float32 1 − 1e-15 rounds to 1 and float32 inputs could give NaN (scikit-learn#24315); 1.2 added eps=\"auto\" (the dtype's epsilon), 1.3 deprecated eps, 1.5 removed it"),
        ConventionNote("rows that do not sum to one", "only warn since 1.3; earlier versions renormalised them silently (scikit-learn#24515: 0.51 instead of 1.20)"),
        ConventionNote("sample_weight given as a Python list", "is float64: NumPy computes the weighted mean in float64 even for float32 y_proba"),
        ConventionNote("normalize=False with sample_weight", "scikit-learn calls np.dot (BLAS), whose float32 summation order differs from NumPy's pairwise sum; LossKit sums pairwise"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (_, yProba) = t.recordInputs(inputs, yTrueName: "y_true", yPredName: "y_proba")
      try SKLearn.checkArray(inputs.yPred, "y_proba")
      let (onehot, probabilities) = try t.step("check-targets", "classes of y_true, probabilities of each class") { t in
        try SKLearn.multiclassTargets(&t, yTrue: inputs.yTrue, yProba: yProba, sampleWeight: inputs.sampleWeight, labels: labels)
      }
      let epsilon = S.ulpOfOne
      let clipped = t.step(
        .clip, "clip to [ε, 1 − ε], ε = finfo(\(S.dtype.rawValue)).eps",
        [.number("lower", Double(epsilon)), .number("upper", Double(1 - epsilon)), .text("epsilon", "finfo(\(S.dtype.rawValue)).eps")]
      ) { t in
        t.clamp(probabilities, lower: epsilon, upper: 1 - epsilon)
      }
      let perSample = try t.step(.elementwiseLoss, "−Σ xlogy(y, p) over the classes") { t in
        let y = t.constant(onehot, name: "transformed_labels")
        let products = try t.multiply(y, t.log(clipped))
        let xlogy = try t.select(onehot.map { $0 == 0 }, t.constant(0), products)
        return t.negate(t.sum(xlogy, axis: 1))
      }
      let weights = inputs.sampleWeight.map { t.constant($0, name: "sample_weight") }
      if normalize { return try SKLearn.average(&t, perSample, weights: weights) }
      return try t.step(.reduction, weights == nil ? "sum over the samples" : "np.dot(loss, sample_weight)", [.text("reduction", "sum"), .text("divisor", "none")]) { t in
        guard let weights else { return t.sum(perSample) }
        return t.sum(try t.multiply(perSample, weights))
      }
    }
  }
}
