/// Keras 3's losses (`keras.losses`), with the semantics of keras 3.15.1 on its
/// TensorFlow backend.
///
/// Each loss is a struct whose initializer mirrors the Python constructor, argument for
/// argument, in Swift case: `keras.losses.BinaryCrossentropy(from_logits=True)` is
/// `Keras.BinaryCrossentropy(fromLogits: true)`. Calling it runs the three stages of
/// `keras.losses.Loss.__call__`: cast the inputs to the loss's `dtype` (float32 unless
/// given), align the ranks of `y_true` and `y_pred`, compute the per-sample loss, then
/// weight and reduce it (see ``Keras/Reduction``).
///
/// Where the JAX or torch backends of Keras compute something different, the loss's
/// registry notes say so (`losskit list --notes`).
public enum Keras: Sendable {
  /// `keras.config.epsilon()`, 1e-7 (a Python float; each use converts it to the
  /// computation's dtype, so in float32 `1 - ε` is `1 − 2⁻²³`).
  public static let epsilon = 1e-7

  /// How a Keras 3 loss reduces the weighted per-sample losses (`reduction=`).
  public enum Reduction: String, Sendable, CaseIterable, ParameterChoice {
    /// Sum divided by the number of elements of the weighted loss tensor (the default):
    /// *not* the sum of the weights, and not the batch size when the per-sample loss
    /// has more than one dimension.
    case sumOverBatchSize = "sum_over_batch_size"
    /// Plain sum.
    case sum
    /// A synonym of `sumOverBatchSize` (Keras ≥ 3.7).
    case mean
    /// Sum divided by the sum of the sample weights as given (Keras ≥ 3.7); with no
    /// weights, the same as `mean`.
    case meanWithSampleWeight = "mean_with_sample_weight"
    /// No reduction: the weighted per-sample losses.
    case none

    /// Keras reads `reduction=None` as `"none"`.
    public static var valueForNull: Reduction? { Reduction.none }
  }

  /// The registry entries of every Keras 3 loss LossKit implements.
  static var definitions: [LossDefinition] {
    sharedClassDefinitions + [
      LossDefinition(SparseCategoricalCrossentropy.self),
      LossDefinition(CategoricalGeneralizedCrossEntropy.self),
      LossDefinition(Dice.self),
      LossDefinition(Tversky.self),
      LossDefinition(Circle.self),
      LossDefinition(CTC.self),
    ] + sharedFunctionDefinitions + [
      LossDefinition(KerasFunction<SparseCategoricalCrossentropy>.self),
      LossDefinition(KerasFunction<CategoricalGeneralizedCrossEntropy>.self),
      LossDefinition(KerasFunction<Dice>.self),
      LossDefinition(KerasFunction<Tversky>.self),
      LossDefinition(KerasFunction<Circle>.self),
      LossDefinition(KerasFunction<CTC>.self),
    ]
  }
}
