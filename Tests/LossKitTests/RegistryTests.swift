import LossKit
import Testing

@Suite("The loss registry")
struct RegistryTests {
  let registry = LossRegistry.standard

  @Test func namesAreUniqueWithinAFramework() {
    let names = registry.definitions.map(\.qualifiedName)
    #expect(Set(names).count == names.count)
  }

  @Test func everyLossBuildsWithItsDefaults() throws {
    for definition in registry.definitions where definition.parameters.allSatisfy({ $0.defaultValue != nil }) {
      _ = try definition.make()
    }
    let weighted = try registry.definition(named: "weighted_cross_entropy_with_logits", framework: .tf)
    #expect(throws: LossError.invalidParameter(name: "pos_weight", expected: "a number or a tensor", got: "nothing (it is required)")) {
      try weighted.make()
    }
    _ = try weighted.make(["pos_weight": .int(3)])  // an integer where a float is expected
  }

  @Test func issueListsTheRequiredLosses() throws {
    let required: [(Framework, [String])] = [
      (
        .keras,
        [
          "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy", "CategoricalFocalCrossentropy",
          "SparseCategoricalCrossentropy", "CategoricalGeneralizedCrossEntropy",
        ]
      ),
      (
        .tfKeras,
        [
          "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy", "CategoricalFocalCrossentropy",
          "SparseCategoricalCrossentropy",
        ]
      ),
      (
        .tf,
        [
          "sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
          "sparse_softmax_cross_entropy_with_logits", "log_poisson_loss",
        ]
      ),
      (
        .torch,
        [
          "L1Loss", "MSELoss", "CrossEntropyLoss", "NLLLoss", "PoissonNLLLoss", "GaussianNLLLoss", "KLDivLoss", "BCELoss",
          "BCEWithLogitsLoss", "MarginRankingLoss", "HingeEmbeddingLoss", "MultiLabelMarginLoss", "HuberLoss", "SmoothL1Loss",
          "SoftMarginLoss", "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "MultiMarginLoss", "TripletMarginLoss",
          "TripletMarginWithDistanceLoss", "CTCLoss",
        ]
      ),
    ]
    // Issue 7: the rest of Keras 3 and tf-keras, their loss functions, and tf.compat.v1.losses.
    let shared = [
      "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "CosineSimilarity",
      "Huber", "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge", "Poisson", "KLDivergence",
      "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
      "cosine_similarity", "huber", "log_cosh", "hinge", "squared_hinge", "categorical_hinge", "poisson", "kl_divergence",
      "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy",
      "sparse_categorical_crossentropy",
    ]
    let issue7: [(Framework, [String])] = [
      (.keras, shared + ["Dice", "Tversky", "Circle", "CTC", "dice", "tversky", "circle", "ctc", "categorical_generalized_cross_entropy"]),
      (.tfKeras, shared + ["MSE", "mse", "MAE", "mae", "MAPE", "mape", "MSLE", "msle", "KLD", "kld", "kullback_leibler_divergence", "logcosh"]),
      (
        .tfV1,
        [
          "log_loss", "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy", "mean_squared_error",
          "absolute_difference", "hinge_loss", "huber_loss", "cosine_distance", "mean_pairwise_squared_error",
        ]
      ),
    ]
    for (framework, names) in required + issue7 {
      for name in names { _ = try registry.definition(named: name, framework: framework) }
    }
  }

  @Test func lookupErrorsSuggestAndDisambiguate() throws {
    #expect(throws: LossError.ambiguousLoss(name: "BinaryCrossentropy", frameworks: ["keras", "tf_keras"])) {
      try registry.definition(named: "BinaryCrossentropy")
    }
    #expect(throws: LossError.unknownLoss(name: "binary_crossentropi", framework: "keras", suggestions: ["BinaryCrossentropy", "binary_crossentropy"])) {
      try registry.definition(named: "binary_crossentropi", framework: .keras)
    }
    // The loss functions are found by name and by their tf-keras aliases.
    #expect(try registry.definition(named: "binary_crossentropy", framework: .keras).name == "binary_crossentropy")
    #expect(try registry.definition(named: "MSE", framework: .tfKeras).name == "mean_squared_error")
    #expect(try registry.definition(named: "kullback_leibler_divergence", framework: .tfKeras).name == "kl_divergence")
    #expect(throws: LossError.unknownLoss(name: "MSE", framework: "keras", suggestions: ["mean_squared_error (--framework tf_keras)"])) {
      try registry.definition(named: "MSE", framework: .keras)
    }
    #expect(throws: LossError.unknownLoss(name: "CategoricalGeneralizedCrossEntropy", framework: "tf_keras", suggestions: [
      "CategoricalGeneralizedCrossEntropy (--framework keras)"
    ])) {
      try registry.definition(named: "CategoricalGeneralizedCrossEntropy", framework: .tfKeras)
    }
  }

  @Test func parametersAreValidated() throws {
    let bce = try registry.definition(named: "BinaryCrossentropy", framework: .keras)
    #expect(throws: LossError.invalidParameter(name: "from_logits", expected: "true or false", got: "\"yes\"")) {
      try bce.make(["from_logits": .string("yes")])
    }
    let reductions = #"one of "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none" or null"#
    // Keras 3 rejects "auto".
    #expect(throws: LossError.invalidParameter(name: "reduction", expected: reductions, got: "\"auto\"")) {
      try bce.make(["reduction": .string("auto")])
    }
    _ = try bce.make(["reduction": .null, "name": .string("ignored")])  // None means "none"
    let tfKeras = try registry.definition(named: "BinaryCrossentropy", framework: .tfKeras)
    _ = try tfKeras.make(["reduction": .string("auto")])
  }

  @Test func sampleWeightIsRefusedWhereTheFrameworkTakesNone() {
    let request = LossRequest(
      framework: .tf, loss: "log_poisson_loss", yTrue: Tensor([1.0]), yPred: Tensor([0.5]), sampleWeight: Tensor([2.0]))
    #expect(throws: LossError.invalidValue(argument: "sample_weight", expected: "none (tf.nn ops take no sample weight)", got: "a tensor")) {
      try registry.evaluate(request)
    }
  }

  @Test func float64RequestsComputeInDouble() throws {
    // 1 − 1e-7 is exact enough in float64 that log(1 − p) differs from float32's
    // log(1 − 2⁻²³): the two dtypes must not agree to the last digit.
    var request = LossRequest(framework: .tfKeras, loss: "BinaryCrossentropy", yTrue: Tensor([1, 1, 1]), yPred: Tensor([1, 1, 0]))
    let single = try registry.evaluate(request)
    request.dtype = .float64
    let double = try registry.evaluate(request)
    #expect(single.dtype == .float32 && double.dtype == .float64)
    #expect(Double(Float(single.loss.scalars[0])) == single.loss.scalars[0])
    #expect(Double(Float(double.loss.scalars[0])) != double.loss.scalars[0])
  }

  /// Keras 3 casts float64 arrays to its `dtype`, float32 unless given.
  @Test func keras3ComputesInItsDTypeParameter() throws {
    var request = LossRequest(
      framework: .keras, loss: "BinaryCrossentropy", yTrue: Tensor(shape: [1, 3], scalars: [1, 0, 1]),
      yPred: Tensor(shape: [1, 3], scalars: [1, 0, 0.99999999]), dtype: .float64)
    let byDefault = try registry.evaluate(request)
    #expect(byDefault.dtype == .float32 && byDefault.inputDType == .float64)
    request.parameters["dtype"] = .string("float64")
    let double = try registry.evaluate(request)
    #expect(double.dtype == .float64)
    #expect(byDefault.loss.scalars[0] != double.loss.scalars[0])
    // The same through the Swift API: a Double tensor computed in float32 by default.
    let swift = try Keras.BinaryCrossentropy()(Tensor<Double>(shape: [1, 3], scalars: [1, 0, 1]), Tensor<Double>(shape: [1, 3], scalars: [1, 0, 0.99999999]))
    #expect(swift.scalars[0] == byDefault.loss.scalars[0])
  }

  /// Each parameter is declared once: its default in the registry is the Swift
  /// initializer's, and setting it through the registry sets the Swift property.
  @Test func parametersComeFromTheTypesDeclaration() throws {
    let definition = try registry.definition(named: "BinaryFocalCrossentropy", framework: .tfKeras)
    #expect(definition.parameters.map(\.name) == ["apply_class_balancing", "alpha", "gamma", "from_logits", "label_smoothing", "axis", "reduction"])
    #expect(definition.parameters.first { $0.name == "gamma" }?.defaultValue == .float(TFKeras.BinaryFocalCrossentropy().gamma))
    #expect(definition.parameters.first { $0.name == "reduction" }?.defaultValue == .string("auto"))
    #expect(definition.parameters.first { $0.name == "reduction" }?.choices == ["auto", "sum_over_batch_size", "sum", "none"])
    let built = try #require(try definition.make(["gamma": .float(3), "from_logits": .bool(true)]) as? TFKeras.BinaryFocalCrossentropy)
    #expect(built.gamma == 3 && built.fromLogits && built.alpha == 0.25)
    // Keras 3's twin adds `dtype`; tf-keras has no such argument.
    let keras = try registry.definition(named: "BinaryFocalCrossentropy", framework: .keras)
    #expect(keras.parameters.map(\.name).last == "dtype")
    #expect(throws: LossError.unknownParameter(name: "dtype", loss: "tf_keras/BinaryFocalCrossentropy", known: definition.parameters.map(\.name))) {
      try definition.make(["dtype": .string("float64")])
    }
  }
}

@Suite("Convention notes")
struct ConventionNoteTests {
  @Test func theBackendDifferencesAreRecordedForExplainAndDiagnose() throws {
    let registry = LossRegistry.standard
    for name in ["BinaryCrossentropy", "BinaryFocalCrossentropy", "SparseCategoricalCrossentropy"] {
      let definition = try registry.definition(named: name, framework: .keras)
      #expect(definition.notes.contains { $0.context.contains("backend") }, "\(name)")
    }
    #expect(registry.definitions.flatMap(\.notes).allSatisfy { !$0.context.isEmpty && !$0.detail.isEmpty })
  }
}
