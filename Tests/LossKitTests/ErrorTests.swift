import LossKit
import Testing

/// Invalid inputs are reported as `LossError`s that name the argument — never a trap.
@Suite("Invalid inputs give errors that name the argument")
struct ErrorTests {
  let labels = Tensor<Float>([1, 0, 1])
  let predictions = Tensor<Float>([0.9, 0.2, 0.6])

  @Test func mismatchedShapesNameYTrue() throws {
    let error = try #require(throws: LossError.self) {
      try Keras.BinaryCrossentropy()(Tensor<Float>([1, 0]), predictions)
    }
    #expect(error == .shapeMismatch(argument: "y_true", expected: "the same shape as y_pred (3,)", got: "(2,)"))
  }

  @Test func incompatibleSampleWeightNamesIt() throws {
    let error = try #require(throws: LossError.self) {
      try Keras.BinaryCrossentropy(reduction: .sum)(
        Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 1, 0]), Tensor(shape: [2, 3], scalars: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
        sampleWeight: Tensor<Float>([1, 2, 3, 4, 5]))
    }
    guard case .shapeMismatch(let argument, _, _) = error else {
      Issue.record("expected a shape mismatch, got \(error)")
      return
    }
    #expect(argument == "sample_weight")
  }

  @Test func labelOutOfRangeIsAnErrorNotATrap() {
    let probabilities = Tensor<Float>(shape: [2, 3], scalars: [0.2, 0.3, 0.5, 0.1, 0.1, 0.8])
    #expect(throws: LossError.labelOutOfRange(argument: "y_true", label: 3, classes: 3)) {
      try Keras.SparseCategoricalCrossentropy()(Tensor<Float>([0, 3]), probabilities)
    }
    #expect(throws: LossError.labelOutOfRange(argument: "y_true", label: -1, classes: 3)) {
      try TFKeras.SparseCategoricalCrossentropy()(Tensor<Float>([-1, 0]), probabilities)
    }
    #expect(throws: LossError.labelOutOfRange(argument: "labels", label: 5, classes: 3)) {
      try TF.SparseSoftmaxCrossEntropyWithLogits()(Tensor<Float>([5, 0]), probabilities)
    }
    #expect(throws: LossError.labelOutOfRange(argument: "y_true", label: 3, classes: 3)) {
      try Keras.CategoricalGeneralizedCrossEntropy()(Tensor<Float>([3, 0]), probabilities)
    }
  }

  @Test func nonFiniteOrFractionalLabelsAreRejectedWhereTheyCannotBeIndices() {
    let logits = Tensor<Double>(shape: [1, 2], scalars: [0.1, 0.2])
    #expect(throws: LossError.invalidValue(argument: "labels", expected: "integer class indices", got: "0.5")) {
      try TF.SparseSoftmaxCrossEntropyWithLogits()(Tensor<Double>([0.5]), logits)
    }
    #expect(throws: LossError.invalidValue(argument: "y_true", expected: "class indices", got: "nan")) {
      try Keras.SparseCategoricalCrossentropy()(Tensor<Double>([.nan]), logits)
    }
  }

  @Test func keras3RejectsTheTensorFlowBackendsUnsupportedAxis() {
    let probabilities = Tensor<Float>(shape: [3, 2], scalars: [0.2, 0.8, 0.5, 0.5, 0.1, 0.9])
    #expect(
      throws: LossError.invalidParameter(
        name: "axis", expected: "-1 (the TensorFlow backend supports only the last axis)", got: "0")
    ) {
      try Keras.SparseCategoricalCrossentropy(axis: 0)(Tensor<Float>([0, 1]), probabilities)
    }
  }

  /// A parameter's rule is checked when the loss is evaluated, whether it was set from
  /// Swift or through the registry, with the same error.
  @Test func generalizedCrossEntropyValidatesQ() throws {
    let expected = LossError.invalidParameter(name: "q", expected: "a number in the open interval (0, 1)", got: "1.0")
    let probabilities = Tensor<Float>(shape: [1, 2], scalars: [0.3, 0.7])
    #expect(throws: expected) {
      try Keras.CategoricalGeneralizedCrossEntropy(q: 1)(Tensor<Float>([1]), probabilities)
    }
    let definition = try LossRegistry.standard.definition(named: "CategoricalGeneralizedCrossEntropy", framework: .keras)
    #expect(throws: expected) { try definition.make(["q": .float(1)]) }
  }

  @Test func tfOpsTakeNoSampleWeight() {
    #expect(throws: LossError.invalidValue(argument: "sample_weight", expected: "none (tf.nn ops take no sample weight)", got: "a tensor")) {
      try TF.SigmoidCrossEntropyWithLogits()(labels, predictions, sampleWeight: Tensor<Float>([1, 1, 1]))
    }
  }

  @Test func requiredParameterMissingFromSwift() {
    #expect(throws: LossError.invalidParameter(name: "pos_weight", expected: "a number or a tensor", got: "nothing (it is required)")) {
      try TF.WeightedCrossEntropyWithLogits()(labels, predictions)
    }
  }

  @Test func axisOutOfRange() {
    #expect(throws: LossError.invalidParameter(name: "axis", expected: "an axis in [-1, 1)", got: "3")) {
      try Keras.BinaryCrossentropy(axis: 3)(labels, predictions)
    }
  }

  @Test func errorsReadAsOneLine() {
    let all: [LossError] = [
      .shapeMismatch(argument: "y_true", expected: "(3,)", got: "(2,)"),
      .duplicateParameter(name: "axis"),
      .unsupported(argument: "reduction", message: "not supported"),
      .invalidParameter(name: "q", expected: "(0, 1)", got: "2"),
      .labelOutOfRange(argument: "y_true", label: 7, classes: 3),
      .unknownParameter(name: "from_logit", loss: "keras/BinaryCrossentropy", known: ["from_logits"]),
      .unknownLoss(name: "BCE", framework: "keras", suggestions: []),
      .ambiguousLoss(name: "BinaryCrossentropy", frameworks: ["keras", "tf_keras"]),
    ]
    for error in all {
      #expect(!error.description.contains("\n"))
      #expect(!error.description.isEmpty)
    }
    #expect(
      LossError.unknownParameter(name: "from_logit", loss: "keras/BinaryCrossentropy", known: ["from_logits"]).description
        .contains("did you mean from_logits?"))
    // Every kind names its argument as data (the loss-name kinds have none).
    for error in all {
      #expect(error.argument != nil || [.unknownLoss, .ambiguousLoss].contains(error.kind), "\(error)")
    }
  }

  /// Several unknown parameters: the message names the first one given, the same on
  /// every run (parameters keep their order; nothing depends on dictionary order).
  @Test func unknownParametersAreReportedInTheOrderGiven() throws {
    let definition = try LossRegistry.standard.definition(named: "BinaryCrossentropy", framework: .keras)
    for _ in 0..<20 {
      #expect(throws: LossError.unknownParameter(name: "zeta", loss: "keras/BinaryCrossentropy", known: ["from_logits", "label_smoothing", "axis", "reduction", "dtype"])) {
        try definition.make(["zeta": .int(1), "alpha": .int(2), "from_logitz": .bool(true)])
      }
    }
  }
}
