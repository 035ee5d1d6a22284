extension SKLearn {
  /// `sklearn.metrics.mean_squared_error(y_true, y_pred, *, sample_weight=None,
  /// multioutput="uniform_average")`: `np.average((y_true − y_pred)², axis=0,
  /// weights=sample_weight)` per output, then combined over the outputs. The `squared`
  /// argument was removed in 1.6 (``SKLearn/RootMeanSquaredError`` is the root).
  public struct MeanSquaredError: DeclaredLoss {
    public var multioutput: Multioutput = .uniformAverage

    public init() {}
    public init(multioutput: Multioutput = .uniformAverage) { self.multioutput = multioutput }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_squared_error", summary: "weighted mean of (y_true − y_pred)² per output (gradient: LossKit's)",
      parameters: [LossParameter("multioutput", \.multioutput, SKLearn.multioutputSummary)],
      inputNames: SKLearn.regressionInputs,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("scikit-learn < 1.6", "squared=False returned the root; 1.6 removed it (use root_mean_squared_error)"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try SKLearn.meanError(&t, inputs, multioutput: multioutput, formula: "(y_true − y_pred)²") { t, targets in
        t.unary(.square, try t.subtract(targets.yTrue, targets.yPred))
      }
    }
  }

  /// `sklearn.metrics.root_mean_squared_error(y_true, y_pred, *, sample_weight=None,
  /// multioutput="uniform_average")`: the square root of each output's mean squared
  /// error, then combined over the outputs — the mean of the roots, not the root of
  /// the mean. Unlike the other metrics it does not check array `multioutput` weights
  /// against the number of outputs (one weight for one output is accepted).
  public struct RootMeanSquaredError: DeclaredLoss {
    public var multioutput: Multioutput = .uniformAverage

    public init() {}
    public init(multioutput: Multioutput = .uniformAverage) { self.multioutput = multioutput }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "root_mean_squared_error", summary: "√(weighted mean of (y_true − y_pred)²) per output (gradient: LossKit's)",
      parameters: [LossParameter("multioutput", \.multioutput, SKLearn.multioutputSummary)],
      inputNames: SKLearn.regressionInputs,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("multi-output", "uniform_average is the mean of the per-output roots, not the root of the overall mean squared error"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let targets = try SKLearn.regressionTargets(&t, inputs, multioutput: nil)
      let squares = try t.step(.elementwiseLoss, "(y_true − y_pred)²") { t in
        t.unary(.square, try t.subtract(targets.yTrue, targets.yPred))
      }
      let perOutput = try SKLearn.averageOverSamples(&t, squares, weights: targets.sampleWeight)
      let roots = t.step("square-root", "√ of each output's mean squared error") { t in t.unary(.sqrt, perOutput) }
      return try SKLearn.combineOutputs(&t, roots, multioutput)
    }
  }

  /// `sklearn.metrics.mean_absolute_error(y_true, y_pred, *, sample_weight=None,
  /// multioutput="uniform_average")`: `np.average(|y_pred − y_true|, axis=0, weights=...)`.
  public struct MeanAbsoluteError: DeclaredLoss {
    public var multioutput: Multioutput = .uniformAverage

    public init() {}
    public init(multioutput: Multioutput = .uniformAverage) { self.multioutput = multioutput }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_absolute_error", summary: "weighted mean of |y_pred − y_true| per output (gradient: LossKit's)",
      parameters: [LossParameter("multioutput", \.multioutput, SKLearn.multioutputSummary)],
      inputNames: SKLearn.regressionInputs, notes: [SKLearn.gradientNote])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try SKLearn.meanError(&t, inputs, multioutput: multioutput, formula: "|y_pred − y_true|") { t, targets in
        t.abs(try t.subtract(targets.yPred, targets.yTrue))
      }
    }
  }

  /// `sklearn.metrics.mean_absolute_percentage_error(y_true, y_pred, *,
  /// sample_weight=None, multioutput="uniform_average")`: the weighted mean of
  /// `|y_pred − y_true| / max(|y_true|, ε)` with ε = float64's machine epsilon
  /// (2.220446049250313e-16, exact in float32 too). A fraction, not a percentage: an
  /// error of 200% is 2. A target of 0 divides by ε, so the metric is huge rather than
  /// infinite (`[1, 0, 2.4, 7]` against `[1.2, 0.1, 2.4, 8]` gives 112589990684262.48).
  public struct MeanAbsolutePercentageError: DeclaredLoss {
    public var multioutput: Multioutput = .uniformAverage

    public init() {}
    public init(multioutput: Multioutput = .uniformAverage) { self.multioutput = multioutput }

    /// `np.finfo(np.float64).eps`.
    public static let epsilon = Double.ulpOfOne

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_absolute_percentage_error",
      summary: "weighted mean of |y_pred − y_true| / max(|y_true|, 2.2e-16), a fraction (gradient: LossKit's)",
      parameters: [LossParameter("multioutput", \.multioutput, SKLearn.multioutputSummary)],
      inputNames: SKLearn.regressionInputs,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("Keras MeanAbsolutePercentageError", "multiplies by 100 and divides by max(|y_true|, 1e-7): 100·0.3273 = 32.73 for the docstring example, and at y_true = 0 each element costs 1e9·|y_pred| instead of 4.5e15·|y_pred|"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try SKLearn.meanError(
        &t, inputs, multioutput: multioutput, formula: "|y_pred − y_true| / max(|y_true|, ε)"
      ) { t, targets in
        let difference = t.abs(try t.subtract(targets.yPred, targets.yTrue))
        let denominator = t.maximum(t.abs(targets.yTrue), S(Self.epsilon))
        return try t.divide(difference, denominator)
      }
    }
  }

  /// `sklearn.metrics.mean_squared_log_error(y_true, y_pred, *, sample_weight=None,
  /// multioutput="uniform_average")`: `mean_squared_error(log1p(y_true), log1p(y_pred))`.
  /// Values ≤ −1 in either array raise.
  public struct MeanSquaredLogError: DeclaredLoss {
    public var multioutput: Multioutput = .uniformAverage

    public init() {}
    public init(multioutput: Multioutput = .uniformAverage) { self.multioutput = multioutput }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_squared_log_error", summary: "weighted mean of (log1p(y_true) − log1p(y_pred))² per output (gradient: LossKit's)",
      parameters: [LossParameter("multioutput", \.multioutput, SKLearn.multioutputSummary)],
      inputNames: SKLearn.regressionInputs,
      notes: [SKLearn.gradientNote])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try SKLearn.meanError(&t, inputs, multioutput: multioutput, formula: "(log1p(y_true) − log1p(y_pred))²") { t, targets in
        for (name, values) in [("y_true", inputs.yTrue), ("y_pred", inputs.yPred)] {
          try SKLearn.requireEvery(values, name, "values greater than −1 (log1p)") { $0 > -1 }
        }
        return t.unary(.square, try t.subtract(t.log1p(targets.yTrue), t.log1p(targets.yPred)))
      }
    }
  }
}
