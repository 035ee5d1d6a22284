extension SKLearn {
  /// A regression metric's inputs after `_check_reg_targets`: `y_true` and `y_pred` as
  /// `(n_samples, n_outputs)` arrays and the validated `(n_samples,)` sample weights.
  struct RegressionTargets<S: LossScalar> {
    var yTrue: LossTrace<S>.Value
    var yPred: LossTrace<S>.Value
    var sampleWeight: LossTrace<S>.Value?
    var samples: Int
    var outputs: Int
  }

  /// Records the inputs and runs `_check_reg_targets`'s checks in its order: the same
  /// number of samples, finite arrays of rank 1 or 2, valid sample weights, the same
  /// number of outputs, then the `multioutput` weights (when `multioutput` is given).
  /// A 1-D array is one output: `(n,)` becomes `(n, 1)`.
  static func regressionTargets<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, multioutput: Multioutput?
  ) throws -> RegressionTargets<S> {
    let (yTrue, yPred) = t.recordInputs(inputs, yTrueName: "y_true", yPredName: "y_pred")
    return try t.step("check-targets", "_check_reg_targets: (n_samples, n_outputs) arrays") { t in
      try checkConsistentLength(("y_pred", inputs.yPred), [("y_true", inputs.yTrue), ("sample_weight", inputs.sampleWeight)])
      try checkArray(inputs.yTrue, "y_true")
      try checkArray(inputs.yPred, "y_pred")
      let samples = inputs.yPred.shape[0]
      var weights: LossTrace<S>.Value? = nil
      if let sampleWeight = inputs.sampleWeight {
        try checkSampleWeight(sampleWeight, samples: samples)
        weights = t.constant(sampleWeight, name: "sample_weight")
      }
      let outputsTrue = inputs.yTrue.rank == 1 ? 1 : inputs.yTrue.shape[1]
      let outputs = inputs.yPred.rank == 1 ? 1 : inputs.yPred.shape[1]
      guard outputsTrue == outputs else {
        throw LossError.shapeMismatch(
          argument: "y_true", expected: "\(outputs) outputs, as y_pred \(Shape.describe(inputs.yPred.shape))",
          got: "\(outputsTrue) (shape \(Shape.describe(inputs.yTrue.shape)))")
      }
      if let multioutput { try validate(multioutput, outputs: outputs) }
      return RegressionTargets(
        yTrue: t.reshape(yTrue, to: [samples, outputs]), yPred: t.reshape(yPred, to: [samples, outputs]),
        sampleWeight: weights, samples: samples, outputs: outputs)
    }
  }

  /// The common shape of the mean-of-errors metrics (`mean_squared_error`,
  /// `mean_absolute_error`, ...): an elementwise error, averaged over the samples per
  /// output with the sample weights, then combined over the outputs.
  static func meanError<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, multioutput: Multioutput, formula: String,
    _ error: (inout LossTrace<S>, RegressionTargets<S>) throws -> LossTrace<S>.Value
  ) throws -> LossTrace<S>.Value {
    let targets = try regressionTargets(&t, inputs, multioutput: multioutput)
    let errors = try t.step(.elementwiseLoss, formula) { t in try error(&t, targets) }
    let perOutput = try averageOverSamples(&t, errors, weights: targets.sampleWeight)
    return try combineOutputs(&t, perOutput, multioutput)
  }
}
