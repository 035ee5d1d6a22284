import LossKit
import LossKitTestSupport

/// Finite-difference scenarios of Optax's losses, on inputs away from their kinks (the
/// hinge margins, Huber's δ, sparsemax's ±1, the simplex projection's support changes).
private enum OptaxInputs {
  static func uniform(_ rng: inout SplitMix64, _ shape: [Int], _ range: ClosedRange<Double>) -> Tensor<Double> {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Double.random(in: range, using: &rng) })
  }

  /// Values in `range` with magnitude at least `gap` (away from a kink at 0).
  static func awayFromZero(_ rng: inout SplitMix64, _ shape: [Int], _ range: ClosedRange<Double>, gap: Double) -> Tensor<Double> {
    uniform(&rng, shape, range).map { Swift.abs($0) < gap ? ($0 < 0 ? -gap : gap) : $0 }
  }
}

extension GradientScenarios {
  static let optax: [GradientTests.Scenario] = {
    func scenario(_ loss: String, _ parameters: ParameterList = [:], _ inputs: GradientTests.Inputs) -> GradientTests.Scenario {
      GradientTests.Scenario(framework: .optax, loss: loss, parameters: parameters, inputs: inputs)
    }

    let signs: GradientTests.Inputs = .custom { rng in
      let targets = OptaxInputs.uniform(&rng, [4, 3], -1...1).map { $0 < 0 ? -1.0 : 1.0 }
      // f·y away from the margins at 0 and 1.
      let outputs = Tensor(shape: [4, 3], scalars: (0..<12).map { i -> Double in
        let m = [-1.7, -0.6, 0.4, 1.6][i % 4] + Double.random(in: -0.05...0.05, using: &rng)
        return m * targets.scalars[i]
      })
      return (targets, outputs)
    }
    let regression: GradientTests.Inputs = .custom { rng in
      let targets = OptaxInputs.uniform(&rng, [4, 3], -1...1)
      let errors = OptaxInputs.awayFromZero(&rng, [4, 3], -3...3, gap: 0.1).map { Swift.abs(Swift.abs($0) - 1) < 0.1 ? $0 * 1.3 : $0 }
      return (targets, Tensor(shape: [4, 3], scalars: zip(targets.scalars, errors.scalars).map { $0 + $1 }))
    }
    let vectors: GradientTests.Inputs = .custom { rng in (OptaxInputs.uniform(&rng, [4, 3], -2...2), OptaxInputs.uniform(&rng, [4, 3], -2...2)) }
    let distributions: GradientTests.Inputs = .custom { rng in
      let targets = OptaxInputs.uniform(&rng, [4, 3], 0.1...1)
      return (targets, OptaxInputs.uniform(&rng, [4, 3], -3 ... -0.2))
    }
    let logTargets: GradientTests.Inputs = .custom { rng in (OptaxInputs.uniform(&rng, [4, 3], -3 ... -0.2), OptaxInputs.uniform(&rng, [4, 3], -3 ... -0.2)) }
    let sparsemaxBinary: GradientTests.Inputs = .custom { rng in
      let labels = OptaxInputs.uniform(&rng, [4, 3], 0...1).map { $0.rounded() }
      let logits = Tensor(shape: [4, 3], scalars: (0..<12).map { i in [-1.8, -0.5, 0.3, 1.7][i % 4] + Double.random(in: -0.1...0.1, using: &rng) })
      return (labels, logits)
    }
    let ctc: GradientTests.Inputs = .custom { rng in
      (Tensor(shape: [2, 2], scalars: [1, 2, 3, 1]), OptaxInputs.uniform(&rng, [2, 5, 4], -2...2))
    }
    let embeddings: GradientTests.Inputs = .custom { rng in (Tensor([0, 0, 1, 1]), OptaxInputs.uniform(&rng, [4, 3], -2...2)) }
    let triplet: GradientTests.Inputs = .custom { rng in (OptaxInputs.uniform(&rng, [4, 3], -1...1), OptaxInputs.uniform(&rng, [4, 3], -1...1)) }
    let segmentation: GradientTests.Inputs = .custom { rng in
      let labels = (0..<8).map { ($0 * 5) % 3 }
      let oneHot = Tensor(shape: [2, 4, 3], scalars: labels.flatMap { l in (0..<3).map { $0 == l ? 1.0 : 0 } })
      return (oneHot, OptaxInputs.uniform(&rng, [2, 4, 3], -2...2))
    }
    let binarySegmentation: GradientTests.Inputs = .custom { rng in
      (OptaxInputs.uniform(&rng, [2, 6], 0...1).map { $0.rounded() }, OptaxInputs.uniform(&rng, [2, 6], -2...2))
    }
    let paddings: ParameterList = [
      "logit_paddings": .tensor(Tensor(shape: [2, 5], scalars: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
      "label_paddings": .tensor(Tensor(shape: [2, 2], scalars: [0, 0, 0, 1])),
    ]
    return [
      scenario("sigmoid_binary_cross_entropy", [:], .binary(probabilities: false)),
      scenario("softmax_cross_entropy", ["axis": .int(-1)], .categorical(probabilities: false)),
      scenario("softmax_cross_entropy_with_integer_labels", [:], .sparse(probabilities: false)),
      scenario("safe_softmax_cross_entropy", [:], .categorical(probabilities: false)),
      scenario("poly_loss_cross_entropy", ["epsilon": .float(2)], .categorical(probabilities: false)),
      scenario("sigmoid_focal_loss", ["alpha": .float(0.25), "gamma": .float(2)], .binary(probabilities: false)),
      scenario("hinge_loss", [:], signs),
      scenario("multiclass_hinge_loss", [:], .sparse(probabilities: false)),
      scenario("perceptron_loss", [:], signs),
      scenario("multiclass_perceptron_loss", [:], .sparse(probabilities: false)),
      scenario("sparsemax_loss", [:], sparsemaxBinary),
      scenario("multiclass_sparsemax_loss", [:], .sparse(probabilities: false)),
      scenario("l2_loss", [:], regression),
      scenario("squared_error", [:], regression),
      scenario("huber_loss", ["delta": .float(1)], regression),
      scenario("log_cosh", [:], regression),
      scenario("cosine_similarity", [:], vectors),
      scenario("cosine_distance", ["epsilon": .float(1e-3)], vectors),
      scenario("kl_divergence", [:], distributions),
      scenario("kl_divergence_with_log_targets", [:], logTargets),
      scenario("generalized_kl_divergence", [:], distributions),
      scenario("convex_kl_divergence", ["axis": .null], distributions),
      scenario("ctc_loss", paddings, ctc),
      scenario("ctc_loss_with_forward_probs", paddings, ctc),
      scenario("ntxent", ["temperature": .float(0.5)], embeddings),
      scenario("triplet_margin_loss", ["negatives": .tensor(Tensor(shape: [4, 3], scalars: (0..<12).map { Double($0 % 5) - 2 }))], triplet),
      scenario("ranking_softmax_loss", [:], .categorical(probabilities: false)),
      scenario("dice_loss", ["alpha": .float(0.3), "beta": .float(0.7)], segmentation),
      scenario("binary_dice_loss", [:], binarySegmentation),
      scenario("multiclass_generalized_dice_loss", [:], segmentation),
      scenario("make_fenchel_young_loss", [:], .categorical(probabilities: false)),
    ]
  }()
}
