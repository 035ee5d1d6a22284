extension KerasConvention {
  /// The registry entries of the loss classes Keras 3 and tf-keras share (one generic
  /// type each over the convention), for ``Keras`` and ``TFKeras``'s `definitions`.
  static var sharedClassDefinitions: [LossDefinition] {
    [
      LossDefinition(KerasBinaryCrossentropy<Self>.self),
      LossDefinition(KerasBinaryFocalCrossentropy<Self>.self),
      LossDefinition(KerasCategoricalCrossentropy<Self>.self),
      LossDefinition(KerasCategoricalFocalCrossentropy<Self>.self),
      LossDefinition(KerasMeanSquaredError<Self>.self),
      LossDefinition(KerasMeanAbsoluteError<Self>.self),
      LossDefinition(KerasMeanAbsolutePercentageError<Self>.self),
      LossDefinition(KerasMeanSquaredLogarithmicError<Self>.self),
      LossDefinition(KerasCosineSimilarity<Self>.self),
      LossDefinition(KerasHuber<Self>.self),
      LossDefinition(KerasLogCosh<Self>.self),
      LossDefinition(KerasHinge<Self>.self),
      LossDefinition(KerasSquaredHinge<Self>.self),
      LossDefinition(KerasCategoricalHinge<Self>.self),
      LossDefinition(KerasPoisson<Self>.self),
      LossDefinition(KerasKLDivergence<Self>.self),
    ]
  }

  /// The loss functions of those classes (`keras.losses.mean_squared_error`, ...): the
  /// per-sample losses, without reduction or weights.
  static var sharedFunctionDefinitions: [LossDefinition] {
    [
      LossDefinition(KerasFunction<KerasMeanSquaredError<Self>>.self),
      LossDefinition(KerasFunction<KerasMeanAbsoluteError<Self>>.self),
      LossDefinition(KerasFunction<KerasMeanAbsolutePercentageError<Self>>.self),
      LossDefinition(KerasFunction<KerasMeanSquaredLogarithmicError<Self>>.self),
      LossDefinition(KerasFunction<KerasCosineSimilarity<Self>>.self),
      LossDefinition(KerasFunction<KerasHuber<Self>>.self),
      LossDefinition(KerasFunction<KerasLogCosh<Self>>.self),
      LossDefinition(KerasFunction<KerasHinge<Self>>.self),
      LossDefinition(KerasFunction<KerasSquaredHinge<Self>>.self),
      LossDefinition(KerasFunction<KerasCategoricalHinge<Self>>.self),
      LossDefinition(KerasFunction<KerasPoisson<Self>>.self),
      LossDefinition(KerasFunction<KerasKLDivergence<Self>>.self),
      LossDefinition(KerasFunction<KerasBinaryCrossentropy<Self>>.self),
      LossDefinition(KerasFunction<KerasBinaryFocalCrossentropy<Self>>.self),
      LossDefinition(KerasFunction<KerasCategoricalCrossentropy<Self>>.self),
      LossDefinition(KerasFunction<KerasCategoricalFocalCrossentropy<Self>>.self),
    ]
  }
}
