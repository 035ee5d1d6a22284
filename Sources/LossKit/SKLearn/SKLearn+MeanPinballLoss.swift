extension SKLearn {
  /// `sklearn.metrics.mean_pinball_loss(y_true, y_pred, *, sample_weight=None,
  /// alpha=0.5, multioutput="uniform_average")`: with `d = y_true − y_pred` and
  /// `s = (d ≥ 0)` as a float, `alpha·s·d − (1 − alpha)·(1 − s)·d`, averaged like the
  /// other regression metrics. `alpha = 0.5` is half the mean absolute error.
  public struct MeanPinballLoss: DeclaredLoss {
    public var alpha: Double = 0.5
    public var multioutput: Multioutput = .uniformAverage

    public init() {}
    public init(alpha: Double = 0.5, multioutput: Multioutput = .uniformAverage) {
      self.alpha = alpha
      self.multioutput = multioutput
    }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_pinball_loss", summary: "weighted mean of alpha·max(d, 0) + (1 − alpha)·max(−d, 0), d = y_true − y_pred (gradient: LossKit's)",
      parameters: [
        LossParameter("alpha", \.alpha, "the quantile: slope for under-prediction", .closedInterval(0, 1)),
        LossParameter("multioutput", \.multioutput, SKLearn.multioutputSummary),
      ],
      inputNames: SKLearn.regressionInputs, notes: [SKLearn.gradientNote])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try SKLearn.meanError(
        &t, inputs, multioutput: multioutput, formula: "alpha·s·d − (1 − alpha)·(1 − s)·d, s = (d ≥ 0)"
      ) { t, targets in
        let difference = try t.subtract(targets.yTrue, targets.yPred)
        // `alpha * sign` and `(1 - alpha) * (1 - sign)` are float arrays (the Python
        // floats rounded to the dtype first) that carry no gradient.
        let sign = t[difference].map { $0 >= 0 ? S(1) : S(0) }
        let under = t.constant(sign.map { S(alpha) * $0 }, name: "alpha·s")
        let over = t.constant(sign.map { S(1 - alpha) * (1 - $0) }, name: "(1 − alpha)·(1 − s)")
        return try t.subtract(try t.multiply(under, difference), try t.multiply(over, difference))
      }
    }
  }
}
