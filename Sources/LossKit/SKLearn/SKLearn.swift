/// scikit-learn 1.9.1's loss metrics (`sklearn.metrics`), computed as NumPy 2.4.6
/// computes them.
///
/// Each function is a struct named after it (``SKLearn/LogLoss`` is `log_loss`), with
/// its keyword arguments as properties. `y_true` is the function's first argument
/// (class labels for the classification metrics, any integers), `y_pred` its second
/// (`y_proba`, `y_pred` or `pred_decision`). The result has the dtype NumPy promotes the
/// arrays to: the dtype of `y_pred` when every array is handed in that dtype (binary
/// `hinge_loss` is the exception: float64). scikit-learn returns a Python float, the
/// exact value of that float32 or float64 result; `multioutput="raw_values"` returns
/// the array.
///
/// scikit-learn computes no gradients. The gradient LossKit returns is its own: the
/// derivative of the same formula, recorded primitive by primitive, with LossKit's
/// rules where the formula has a kink (a clip passes the gradient on its bounds, a
/// tie of a maximum or a median splits it).
public enum SKLearn {
  /// The registry entries of every loss of this framework LossKit implements.
  static var definitions: [LossDefinition] {
    [
      LossDefinition(LogLoss.self),
      LossDefinition(BrierScoreLoss.self),
      LossDefinition(HingeLoss.self),
      LossDefinition(MeanSquaredError.self),
      LossDefinition(RootMeanSquaredError.self),
      LossDefinition(MeanAbsoluteError.self),
      LossDefinition(MeanAbsolutePercentageError.self),
      LossDefinition(MeanSquaredLogError.self),
      LossDefinition(MedianAbsoluteError.self),
      LossDefinition(MeanPinballLoss.self),
      LossDefinition(MeanPoissonDeviance.self),
      LossDefinition(MeanGammaDeviance.self),
      LossDefinition(MeanTweedieDeviance.self),
    ]
  }

  /// The note every declaration carries: the gradient is LossKit's.
  static let gradientNote = ConventionNote(
    "gradient", "scikit-learn computes no gradient; LossKit returns its own derivative of the same formula")

  /// The regression metrics' names for their inputs.
  static let regressionInputs = InputNames(yTrue: "y_true", yPred: "y_pred")
  /// `log_loss` and `brier_score_loss` name their second argument `y_proba`.
  static let probabilityInputs = InputNames(yTrue: "y_true", yPred: "y_proba")
}
