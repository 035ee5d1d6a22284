extension SKLearn {
  /// `sklearn.metrics.mean_tweedie_deviance(y_true, y_pred, *, sample_weight=None,
  /// power=0)`: the (weighted) mean of the unit deviance of power `p`:
  ///
  /// - `p = 0`: `(y − μ)²`;
  /// - `p = 1` (Poisson): `2·(xlogy(y, y/μ) − y + μ)`, `xlogy` being 0 where `y = 0`;
  /// - `p = 2` (Gamma): `2·(log(μ/y) + y/μ − 1)`;
  /// - otherwise `2·(y^(2−p)/((1−p)(2−p)) − y·μ^(1−p)/(1−p) + μ^(2−p)/(2−p))`, with
  ///   `y` replaced by `max(y, 0)` in the first power when `p < 0`.
  ///
  /// The constants `(1−p)(2−p)`, `1−p`, `2−p` are computed in float64 and rounded to
  /// the dtype (NumPy's weak Python scalars). `power` must be ≤ 0 or ≥ 1; `p < 0`
  /// needs `μ > 0`, `1 ≤ p < 2` needs `y ≥ 0` and `μ > 0`, `p ≥ 2` needs both > 0. Only
  /// one output: `y` of shape `(n,)` or `(n, 1)`.
  public struct MeanTweedieDeviance: DeclaredLoss {
    public var power: Double = 0

    public init() {}
    public init(power: Double = 0) { self.power = power }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_tweedie_deviance", summary: "weighted mean Tweedie deviance of power p (gradient: LossKit's)",
      parameters: [
        LossParameter("power", \.power, "Tweedie power: 0 normal, 1 Poisson, 2 Gamma, 3 inverse Gaussian",
          ParameterRule("≤ 0 or ≥ 1") { $0 <= 0 || $0 >= 1 })
      ],
      inputNames: SKLearn.regressionInputs, notes: [SKLearn.gradientNote])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TweedieDeviance.record(on: &t, inputs, power: power)
    }
  }

  /// `sklearn.metrics.mean_poisson_deviance(y_true, y_pred, *, sample_weight=None)`:
  /// ``SKLearn/MeanTweedieDeviance`` with `power=1`, `2·(xlogy(y, y/μ) − y + μ)`; needs
  /// `y ≥ 0` and `μ > 0`.
  public struct MeanPoissonDeviance: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_poisson_deviance", summary: "weighted mean of 2·(y·log(y/μ) − y + μ) (gradient: LossKit's)",
      parameters: [], inputNames: SKLearn.regressionInputs,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("Keras Poisson, torch PoissonNLLLoss", "μ − y·log(μ + ε) without the constant terms and the factor 2: another number, the same minimiser"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TweedieDeviance.record(on: &t, inputs, power: 1)
    }
  }

  /// `sklearn.metrics.mean_gamma_deviance(y_true, y_pred, *, sample_weight=None)`:
  /// ``SKLearn/MeanTweedieDeviance`` with `power=2`, `2·(log(μ/y) + y/μ − 1)`; needs
  /// `y > 0` and `μ > 0`.
  public struct MeanGammaDeviance: DeclaredLoss {
    public init() {}

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "mean_gamma_deviance", summary: "weighted mean of 2·(log(μ/y) + y/μ − 1) (gradient: LossKit's)",
      parameters: [], inputNames: SKLearn.regressionInputs, notes: [SKLearn.gradientNote])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try TweedieDeviance.record(on: &t, inputs, power: 2)
    }
  }
}

/// The body the three deviance metrics share: `mean_tweedie_deviance`'s checks and
/// `_mean_tweedie_deviance`'s formulas.
enum TweedieDeviance {
  static func record<S: LossScalar>(
    on t: inout LossTrace<S>, _ inputs: LossInputs<S>, power p: Double
  ) throws -> LossTrace<S>.Value {
    let targets = try SKLearn.regressionTargets(&t, inputs, multioutput: nil)
    guard targets.outputs == 1 else {
      throw LossError.unsupported(
        argument: "y_true", message: "mean_tweedie_deviance takes one output, shape (n,) or (n, 1); got \(Shape.describe(inputs.yTrue.shape))")
    }
    try checkDomain(inputs, power: p)
    let (y, mu) = (targets.yTrue, targets.yPred)
    let deviance = try t.step(.elementwiseLoss, formula(power: p), [.number("power", p)]) { t -> LossTrace<S>.Value in
      if p == 0 { return t.unary(.square, try t.subtract(y, mu)) }
      if p == 1 {
        // xlogy: 0 where y = 0. The ratio is replaced by 1 there before the log, which
        // changes no value (the product is masked) but keeps LossKit's gradient finite.
        let zero = t[y].map { $0 == 0 }
        let ratio = try t.select(zero, t.constant(1), try t.divide(y, mu))
        let product = try t.multiply(y, t.log(ratio))
        let xlogy = try t.select(zero, t.constant(0), product)
        return t.multiply(try t.add(try t.subtract(xlogy, y), mu), 2)
      }
      if p == 2 {
        let logRatio = t.log(try t.divide(mu, y))
        return t.multiply(t.add(try t.add(logRatio, try t.divide(y, mu)), -1), 2)
      }
      let base = p < 0 ? try t.select(t[y].map { $0 > 0 }, y, t.constant(0)) : y
      let first = try t.divide(t.pow(base, S(2 - p)), t.constant(S((1 - p) * (2 - p))))
      let second = try t.divide(try t.multiply(y, t.pow(mu, S(1 - p))), t.constant(S(1 - p)))
      let third = try t.divide(t.pow(mu, S(2 - p)), t.constant(S(2 - p)))
      return t.multiply(try t.add(try t.subtract(first, second), third), 2)
    }
    // _average(dev, weights=sample_weight[:, None]) over every element.
    let weights = targets.sampleWeight.map { t.reshape($0, to: [targets.samples, 1]) }
    return try SKLearn.average(&t, deviance, weights: weights)
  }

  /// `mean_tweedie_deviance`'s domain checks, after the target checks.
  static func checkDomain<S: LossScalar>(_ inputs: LossInputs<S>, power p: Double) throws {
    func require(_ name: String, _ values: Tensor<S>, _ expected: String, _ ok: (S) -> Bool) throws {
      try SKLearn.requireEvery(values, name, "\(expected) for power=\(p)", ok)
    }
    if p < 0 {
      try require("y_pred", inputs.yPred, "strictly positive values") { $0 > 0 }
    } else if p >= 1 && p < 2 {
      try require("y_true", inputs.yTrue, "non-negative values") { $0 >= 0 }
      try require("y_pred", inputs.yPred, "strictly positive values") { $0 > 0 }
    } else if p >= 2 {
      try require("y_true", inputs.yTrue, "strictly positive values") { $0 > 0 }
      try require("y_pred", inputs.yPred, "strictly positive values") { $0 > 0 }
    }
  }

  static func formula(power p: Double) -> String {
    switch p {
    case 0: "(y − μ)²"
    case 1: "2·(xlogy(y, y/μ) − y + μ)"
    case 2: "2·(log(μ/y) + y/μ − 1)"
    default: "2·(y^(2−p)/((1−p)(2−p)) − y·μ^(1−p)/(1−p) + μ^(2−p)/(2−p))"
    }
  }
}
