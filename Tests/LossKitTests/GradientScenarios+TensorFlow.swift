import LossKit
import LossKitTestSupport

/// Finite-difference scenarios of the TensorFlow family (Keras 3, tf-keras, tf.nn).
extension GradientScenarios {
  static let tensorFlow: [GradientTests.Scenario] = {
    var list: [GradientTests.Scenario] = []
    for framework in [Framework.keras, .tfKeras] {
      let mean: ParameterValue = .string(framework == .keras ? "sum_over_batch_size" : "auto")
      for fromLogits in [false, true] {
        let logits = ParameterValue.bool(fromLogits)
        list.append(
          GradientTests.Scenario(
            framework: framework, loss: "BinaryCrossentropy",
            parameters: ["from_logits": logits, "label_smoothing": .float(0.1), "reduction": mean],
            inputs: .binary(probabilities: !fromLogits), weighted: true))
        list.append(
          GradientTests.Scenario(
            framework: framework, loss: "BinaryFocalCrossentropy",
            parameters: ["from_logits": logits, "apply_class_balancing": .bool(true), "gamma": .float(1.5), "reduction": .string("sum")],
            inputs: .binary(probabilities: !fromLogits)))
        // The fused logits kernel's gradient is exact only when labels sum to one along
        // the class axis, so the logits form keeps axis -1 and unsmoothed labels.
        list.append(
          GradientTests.Scenario(
            framework: framework, loss: "CategoricalCrossentropy",
            parameters: [
              "from_logits": logits, "label_smoothing": .float(fromLogits ? 0 : 0.2), "axis": .int(fromLogits ? -1 : 0),
              "reduction": .string("none"),
            ],
            inputs: .categorical(probabilities: !fromLogits)))
        list.append(
          GradientTests.Scenario(
            framework: framework, loss: "CategoricalFocalCrossentropy",
            parameters: ["from_logits": logits, "gamma": .float(2), "reduction": mean], inputs: .categorical(probabilities: !fromLogits),
            weighted: true))
        list.append(
          GradientTests.Scenario(
            framework: framework, loss: "SparseCategoricalCrossentropy",
            parameters: ["from_logits": logits, "ignore_class": .int(1), "reduction": mean],
            inputs: .sparse(probabilities: !fromLogits)))
      }
    }
    list.append(
      GradientTests.Scenario(
        framework: .keras, loss: "CategoricalGeneralizedCrossEntropy", parameters: ["q": .float(0.3)],
        inputs: .sparse(probabilities: true), weighted: true))
    list.append(
      GradientTests.Scenario(
        framework: .keras, loss: "BinaryCrossentropy",
        parameters: ["reduction": .string("mean_with_sample_weight")], inputs: .binary(probabilities: true), weighted: true))
    list.append(GradientTests.Scenario(framework: .tf, loss: "sigmoid_cross_entropy_with_logits", parameters: [:], inputs: .binary(probabilities: false)))
    list.append(
      GradientTests.Scenario(
        framework: .tf, loss: "weighted_cross_entropy_with_logits", parameters: ["pos_weight": .float(2.5)],
        inputs: .binary(probabilities: false)))
    list.append(
      GradientTests.Scenario(
        framework: .tf, loss: "softmax_cross_entropy_with_logits", parameters: ["axis": .int(-1)],
        inputs: .categorical(probabilities: false)))
    list.append(
      GradientTests.Scenario(framework: .tf, loss: "sparse_softmax_cross_entropy_with_logits", parameters: [:], inputs: .sparse(probabilities: false)))
    list.append(
      GradientTests.Scenario(framework: .tf, loss: "log_poisson_loss", parameters: ["compute_full_loss": .bool(true)], inputs: .poisson))
    return list + issue7
  }()

  @Sendable static func uniform(_ count: Int, _ range: ClosedRange<Double>, _ rng: inout SplitMix64) -> [Double] {
    (0..<count).map { _ in Double.random(in: range, using: &rng) }
  }

  /// The rest of Keras 3 and tf-keras (classes and functions) and tf.compat.v1.
  static let issue7: [GradientTests.Scenario] = {
    typealias Scenario = GradientTests.Scenario
    var list: [Scenario] = []
    func custom(_ make: @escaping @Sendable (inout SplitMix64) -> (Tensor<Double>, Tensor<Double>)) -> GradientTests.Inputs {
      .custom(make)
    }
    let regression = custom { rng in
      (Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, -2...2, &rng)), Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, -3...3, &rng)))
    }
    let positive = custom { rng in
      (Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, 0.5...3, &rng)), Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, 0.2...4, &rng)))
    }
    let signedTargets = custom { rng in
      let y = GradientScenarios.uniform(12, 0.5...3, &rng).enumerated().map { $0.offset % 2 == 0 ? $0.element : -$0.element }
      return (Tensor(shape: [4, 3], scalars: y), Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, -3...3, &rng)))
    }
    let hingeInputs = custom { rng in
      (Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, 0...1, &rng).map { $0.rounded() }),
       Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, -2...2, &rng)))
    }
    let oneHot = custom { rng in
      var labels = [Double](repeating: 0, count: 12)
      for row in 0..<4 { labels[row * 3 + row % 3] = 1 }
      return (Tensor(shape: [4, 3], scalars: labels), Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, -2...2, &rng)))
    }
    let distributions = custom { rng in
      func rows(_ rng: inout SplitMix64) -> [Double] {
        (0..<4).flatMap { _ -> [Double] in
          let raw = GradientScenarios.uniform(3, 0.2...1, &rng)
          return raw.map { $0 / raw.reduce(0, +) }
        }
      }
      return (Tensor(shape: [4, 3], scalars: rows(&rng)), Tensor(shape: [4, 3], scalars: rows(&rng)))
    }
    let embeddings = custom { rng in
      let raw = GradientScenarios.uniform(12, -1...1, &rng)
      let rows = (0..<4).flatMap { r -> [Double] in
        let v = Array(raw[(r * 3)..<(r * 3 + 3)])
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        return v.map { $0 / norm }
      }
      return (Tensor([0, 0, 1, 1]), Tensor(shape: [4, 3], scalars: rows))
    }
    let sequences = custom { rng in
      (Tensor(shape: [2, 2], scalars: [1, 2, 2, 0]), Tensor(shape: [2, 4, 3], scalars: GradientScenarios.uniform(24, -2...2, &rng)))
    }
    let probabilities = custom { rng in
      (Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, 0...1, &rng).map { $0.rounded() }),
       Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, 0.05...0.95, &rng)))
    }
    let segmentation = custom { rng in
      (Tensor(shape: [2, 2, 3], scalars: GradientScenarios.uniform(12, 0...1, &rng).map { $0.rounded() }),
       Tensor(shape: [2, 2, 3], scalars: GradientScenarios.uniform(12, 0.05...0.95, &rng)))
    }

    let regressionLosses: [(String, String, GradientTests.Inputs, ParameterList)] = [
      ("MeanSquaredError", "mean_squared_error", regression, [:]),
      ("MeanAbsoluteError", "mean_absolute_error", regression, [:]),
      ("MeanAbsolutePercentageError", "mean_absolute_percentage_error", signedTargets, [:]),
      ("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", positive, [:]),
      ("CosineSimilarity", "cosine_similarity", regression, ["axis": .int(-1)]),
      ("Huber", "huber", regression, ["delta": .float(0.7)]),
      ("LogCosh", "log_cosh", regression, [:]),
      ("Hinge", "hinge", hingeInputs, [:]),
      ("SquaredHinge", "squared_hinge", hingeInputs, [:]),
      ("CategoricalHinge", "categorical_hinge", oneHot, [:]),
      ("Poisson", "poisson", positive, [:]),
      ("KLDivergence", "kl_divergence", distributions, [:]),
    ]
    for framework in [Framework.keras, .tfKeras] {
      for (className, function, inputs, parameters) in regressionLosses {
        var classParameters = parameters
        classParameters["reduction"] = .string("sum")
        list.append(Scenario(framework: framework, loss: className, parameters: classParameters, inputs: inputs, weighted: true))
        list.append(Scenario(framework: framework, loss: function, parameters: parameters, inputs: inputs))
      }
      let crossEntropies: [(String, GradientTests.Inputs, ParameterList)] = [
        ("binary_crossentropy", .binary(probabilities: true), ["label_smoothing": .float(0.1)]),
        ("binary_focal_crossentropy", .binary(probabilities: false), ["from_logits": .bool(true), "gamma": .float(1.5)]),
        ("categorical_crossentropy", .categorical(probabilities: true), [:]),
        ("categorical_focal_crossentropy", .categorical(probabilities: false), ["from_logits": .bool(true)]),
        ("sparse_categorical_crossentropy", .sparse(probabilities: false), ["from_logits": .bool(true)]),
      ]
      for (function, inputs, parameters) in crossEntropies {
        list.append(Scenario(framework: framework, loss: function, parameters: parameters, inputs: inputs))
      }
    }
    list += [
      Scenario(framework: .keras, loss: "categorical_generalized_cross_entropy", parameters: ["q": .float(0.4)], inputs: .sparse(probabilities: true)),
      Scenario(framework: .keras, loss: "Dice", parameters: ["axis": .int(-1)], inputs: segmentation, weighted: false),
      Scenario(framework: .keras, loss: "dice", parameters: [:], inputs: segmentation),
      Scenario(framework: .keras, loss: "Tversky", parameters: ["alpha": .float(0.3), "beta": .float(0.7), "axis": .tensor(Tensor([1, 2]))], inputs: segmentation),
      Scenario(framework: .keras, loss: "tversky", parameters: ["alpha": .float(0.8), "beta": .float(0.2)], inputs: segmentation),
      Scenario(framework: .keras, loss: "Circle", parameters: ["gamma": .float(4), "reduction": .string("sum")], inputs: embeddings, weighted: true),
      Scenario(framework: .keras, loss: "circle", parameters: ["gamma": .float(2), "margin": .float(0.3)], inputs: embeddings),
      Scenario(framework: .keras, loss: "CTC", parameters: ["reduction": .string("sum")], inputs: sequences),
      Scenario(framework: .keras, loss: "ctc", parameters: [:], inputs: sequences),
      // tf.compat.v1.losses, under the default reduction (mean over non-zero weights).
      Scenario(framework: .tfV1, loss: "log_loss", parameters: [:], inputs: probabilities),
      Scenario(framework: .tfV1, loss: "sigmoid_cross_entropy", parameters: ["label_smoothing": .float(0.2)], inputs: .binary(probabilities: false), singlePrecision: true),
      Scenario(framework: .tfV1, loss: "softmax_cross_entropy", parameters: [:], inputs: .categorical(probabilities: false), weighted: true, singlePrecision: true),
      Scenario(framework: .tfV1, loss: "sparse_softmax_cross_entropy", parameters: ["reduction": .string("weighted_mean")], inputs: .sparse(probabilities: false), weighted: true, singlePrecision: true),
      Scenario(framework: .tfV1, loss: "mean_squared_error", parameters: ["reduction": .string("weighted_sum")], inputs: regression),
      Scenario(framework: .tfV1, loss: "absolute_difference", parameters: [:], inputs: regression),
      Scenario(framework: .tfV1, loss: "hinge_loss", parameters: [:], inputs: hingeInputs),
      Scenario(framework: .tfV1, loss: "huber_loss", parameters: ["delta": .float(0.8)], inputs: regression),
      Scenario(framework: .tfV1, loss: "cosine_distance", parameters: ["axis": .int(1)], inputs: regression),
      Scenario(framework: .tfV1, loss: "mean_pairwise_squared_error", parameters: [:], inputs: regression),
    ]
    return list
  }()
}
