import LossKit

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
    return list
  }()
}
