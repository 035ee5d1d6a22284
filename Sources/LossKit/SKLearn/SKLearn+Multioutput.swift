extension SKLearn {
  /// The `multioutput` argument of the regression metrics: how the per-output errors
  /// of an `(n_samples, n_outputs)` input are combined.
  public enum Multioutput: Sendable, Equatable, ParameterConvertible {
    /// `"raw_values"`: one error per output (an array of shape `(n_outputs,)`).
    case rawValues
    /// `"uniform_average"` (the default): the mean of the outputs' errors.
    case uniformAverage
    /// An array of `n_outputs` weights: `np.average(errors, weights=...)`. LossKit
    /// computes it in the case's dtype, as NumPy does for a weight array of that dtype
    /// (a Python list is float64 and promotes this last step to float64).
    case weights(Tensor<Double>)

    public init?(parameterValue: ParameterValue) {
      switch parameterValue {
      case .string("raw_values"): self = .rawValues
      case .string("uniform_average"): self = .uniformAverage
      case .tensor(let weights): self = .weights(weights)
      default: return nil
      }
    }

    public var parameterValue: ParameterValue {
      switch self {
      case .rawValues: .string("raw_values")
      case .uniformAverage: .string("uniform_average")
      case .weights(let weights): .tensor(weights)
      }
    }

    public static var parameterExpectation: String { "\"raw_values\", \"uniform_average\" or an array of output weights" }
    public static var parameterChoices: [String]? { ["raw_values", "uniform_average"] }
  }

  static let multioutputSummary = "how the outputs' errors combine: their mean, one value each, or an array of output weights"

  /// The checks `_check_reg_targets` makes of array weights: finite, and one per output
  /// of a multi-output problem.
  static func validate(_ multioutput: Multioutput, outputs: Int) throws {
    guard case .weights(let weights) = multioutput else { return }
    if let bad = weights.scalars.first(where: { !$0.isFinite }) {
      throw LossError.invalidParameter(name: "multioutput", expected: "finite output weights", got: "\(bad)")
    }
    guard outputs > 1 else {
      throw LossError.invalidParameter(
        name: "multioutput", expected: "\"raw_values\" or \"uniform_average\" for a single output (scikit-learn: custom weights are useful only in multi-output cases)",
        got: "an array of weights")
    }
    guard weights.rank == 1, weights.count == outputs else {
      throw LossError.invalidParameter(
        name: "multioutput", expected: "\(outputs) weights, one per output", got: "shape \(Shape.describe(weights.shape))")
    }
  }

  /// The last step of every regression metric: the per-output errors as they are
  /// (`raw_values`), their mean, or their weighted average.
  static func combineOutputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ errors: LossTrace<S>.Value, _ multioutput: Multioutput
  ) throws -> LossTrace<S>.Value {
    switch multioutput {
    case .rawValues:
      return errors
    case .uniformAverage:
      return t.step(.reduction, "uniform_average: mean over the outputs", [.text("multioutput", "uniform_average")]) { t in t.mean(errors) }
    case .weights(let weights):
      let outputs = t.shape(errors)[0]
      // root_mean_squared_error skips _check_reg_targets' checks; np.average still
      // needs one weight per output.
      guard weights.rank == 1, weights.count == outputs else {
        throw LossError.invalidParameter(
          name: "multioutput", expected: "\(outputs) weights, one per output", got: "shape \(Shape.describe(weights.shape))")
      }
      return try t.step(.reduction, "np.average over the outputs with the multioutput weights", [.text("multioutput", "weights")]) { t in
        let w = t.constant(weights.converted(to: S.self), name: "multioutput")
        return try average(&t, errors, weights: w, weightsName: "multioutput")
      }
    }
  }
}
