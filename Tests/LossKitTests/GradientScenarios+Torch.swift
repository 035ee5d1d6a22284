import LossKit
import LossKitTestSupport

/// Finite-difference scenarios of PyTorch's losses, on inputs away from kinks (margins,
/// clamps, |x − y| = 0) with sum/mean/none reductions mixed.
extension GradientScenarios {
  static let torch: [GradientTests.Scenario] = {
    typealias Scenario = GradientTests.Scenario
    let values = TorchScenarioInputs.values
    let signs = TorchScenarioInputs.signs
    // Fixed tensor parameters (forward's other inputs), from their own generator.
    var fixed = SplitMix64(seed: 0x70_2C4)
    let other43 = values([4, 3], -2...2, &fixed)
    let positive = values([4, 3], -2...2, &fixed)
    let negative = values([4, 3], -2...2, &fixed)
    let variance = values([4, 3], 0.3...2, &fixed)
    let classWeight = Tensor<Double>([0.5, 1.5, 2])
    let weight43 = values([4, 3], 0.5...2, &fixed)

    var list: [Scenario] = [
      Scenario(framework: .torch, loss: "L1Loss", parameters: ["reduction": .string("mean")], inputs: .binary(probabilities: false)),
      Scenario(framework: .torch, loss: "MSELoss", parameters: ["reduction": .string("sum")], inputs: .binary(probabilities: false)),
      Scenario(framework: .torch, loss: "HuberLoss", parameters: ["delta": .float(0.7)], inputs: .binary(probabilities: false)),
      Scenario(framework: .torch, loss: "SmoothL1Loss", parameters: ["beta": .float(0.6), "reduction": .string("none")],
        inputs: .binary(probabilities: false)),
      Scenario(framework: .torch, loss: "BCELoss", parameters: ["weight": .tensor(weight43)], inputs: .binary(probabilities: true)),
      Scenario(framework: .torch, loss: "BCEWithLogitsLoss",
        parameters: ["pos_weight": .tensor(Tensor([3, 0.5, 1])), "weight": .tensor(classWeight), "reduction": .string("sum")],
        inputs: .binary(probabilities: false)),
      Scenario(framework: .torch, loss: "MultiLabelSoftMarginLoss", parameters: ["weight": .tensor(classWeight)],
        inputs: .binary(probabilities: false)),
      Scenario(framework: .torch, loss: "PoissonNLLLoss", parameters: ["full": .bool(true)], inputs: .poisson),
      Scenario(framework: .torch, loss: "PoissonNLLLoss", parameters: ["log_input": .bool(false), "reduction": .string("sum")],
        inputs: .custom { rng in (values([4, 3], 0...4, &rng), values([4, 3], 0.2...3, &rng)) }),
      Scenario(framework: .torch, loss: "GaussianNLLLoss", parameters: ["var": .tensor(variance), "full": .bool(true)],
        inputs: .binary(probabilities: false)),
      Scenario(framework: .torch, loss: "KLDivLoss", parameters: ["reduction": .string("batchmean")],
        inputs: .custom { rng in
          let p = values([4, 3], 0.1...1, &rng)
          return (p, values([4, 3], -3 ... -0.1, &rng))
        }),
      Scenario(framework: .torch, loss: "KLDivLoss", parameters: ["log_target": .bool(true), "reduction": .string("sum")],
        inputs: .custom { rng in (values([4, 3], -3 ... -0.1, &rng), values([4, 3], -3 ... -0.1, &rng)) }),
      Scenario(framework: .torch, loss: "SoftMarginLoss", parameters: [:],
        inputs: .custom { rng in (signs([4, 3], &rng), values([4, 3], -3...3, &rng)) }),
      // Margin-based losses: large margins keep every term active (away from the kink).
      Scenario(framework: .torch, loss: "MarginRankingLoss", parameters: ["input2": .tensor(other43), "margin": .float(10)],
        inputs: .custom { rng in (signs([4, 3], &rng), values([4, 3], -2...2, &rng)) }),
      Scenario(framework: .torch, loss: "HingeEmbeddingLoss", parameters: ["margin": .float(10), "reduction": .string("sum")],
        inputs: .custom { rng in (signs([4, 3], &rng), values([4, 3], -2...2, &rng)) }),
      Scenario(framework: .torch, loss: "CosineEmbeddingLoss", parameters: ["input2": .tensor(other43), "margin": .float(-2)],
        inputs: .custom { rng in (signs([4], &rng), values([4, 3], -2...2, &rng)) }),
      Scenario(framework: .torch, loss: "MultiMarginLoss",
        parameters: ["p": .int(2), "margin": .float(10), "weight": .tensor(classWeight)], inputs: .sparse(probabilities: false)),
      Scenario(framework: .torch, loss: "MultiLabelMarginLoss", parameters: [:],
        inputs: .custom { rng in
          let labels = Tensor<Double>(shape: [4, 3], scalars: [0, -1, -1, 1, 2, -1, 2, -1, 0, 0, 1, -1])
          return (labels, values([4, 3], -0.4...0.4, &rng))
        }),
      Scenario(framework: .torch, loss: "TripletMarginLoss",
        parameters: ["positive": .tensor(positive), "negative": .tensor(negative), "margin": .float(20), "p": .float(3)],
        inputs: .custom { rng in (Tensor(shape: [0], scalars: []), values([4, 3], -2...2, &rng)) }),
      Scenario(framework: .torch, loss: "TripletMarginWithDistanceLoss",
        parameters: ["positive": .tensor(positive), "negative": .tensor(negative), "margin": .float(20), "swap": .bool(true)],
        inputs: .custom { rng in (Tensor(shape: [0], scalars: []), values([4, 3], -2...2, &rng)) }),
      Scenario(framework: .torch, loss: "NLLLoss", parameters: ["weight": .tensor(classWeight), "ignore_index": .int(1)],
        inputs: .sparse(probabilities: false)),
      Scenario(framework: .torch, loss: "CrossEntropyLoss",
        parameters: ["weight": .tensor(classWeight), "label_smoothing": .float(0.2)], inputs: .sparse(probabilities: false)),
      Scenario(framework: .torch, loss: "CrossEntropyLoss", parameters: ["label_smoothing": .float(0.1), "reduction": .string("sum")],
        inputs: .categorical(probabilities: false)),
    ]
    // CTC's gradient is with respect to the logits before log_softmax (torch's contract):
    // the finite differences run through log_softmax over the class axis.
    var ctc = Scenario(
      framework: .torch, loss: "CTCLoss",
      parameters: ["input_lengths": .tensor(Tensor([5, 4])), "target_lengths": .tensor(Tensor([2, 1]))],
      inputs: .custom { rng in
        (Tensor(shape: [2, 2], scalars: [1, 2, 2, 0]), values([5, 2, 3], -2...2, &rng))
      })
    ctc.throughLogSoftmax = true
    list.append(ctc)
    return list
  }()
}

/// Seeded inputs for the torch scenarios.
enum TorchScenarioInputs {
  @Sendable static func values(_ shape: [Int], _ range: ClosedRange<Double>, _ rng: inout SplitMix64) -> Tensor<Double> {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Double.random(in: range, using: &rng) })
  }
  @Sendable static func signs(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor<Double> {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Bool.random(using: &rng) ? 1 : -1 })
  }
}
