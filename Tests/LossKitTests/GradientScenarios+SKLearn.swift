import LossKit
import LossKitTestSupport

/// Finite-difference scenarios of scikit-learn's losses. scikit-learn has no gradients:
/// these check LossKit's own derivative of each metric's formula, on inputs away from
/// its kinks (no clipping, no ties, no zero differences).
extension GradientScenarios {
  static let sklearn: [GradientTests.Scenario] = {
    typealias Scenario = GradientTests.Scenario
    /// `(4, 3)` regression targets and predictions in `range`.
    func regression(_ range: ClosedRange<Double>) -> GradientTests.Inputs {
      .custom { rng in
        (Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, range, &rng)),
         Tensor(shape: [4, 3], scalars: GradientScenarios.uniform(12, range, &rng)))
      }
    }
    /// One output of four samples (the deviances take one output).
    func oneOutput(_ yTrue: ClosedRange<Double>, _ yPred: ClosedRange<Double>) -> GradientTests.Inputs {
      .custom { rng in (Tensor(GradientScenarios.uniform(4, yTrue, &rng)), Tensor(GradientScenarios.uniform(4, yPred, &rng))) }
    }
    let binaryProbabilities = GradientTests.Inputs.custom { rng in
      (Tensor([0, 1, 1, 0]), Tensor(GradientScenarios.uniform(4, 0.05...0.95, &rng)))
    }
    let binaryDecisions = GradientTests.Inputs.custom { rng in
      (Tensor([-1, 1, 1, -1]), Tensor(GradientScenarios.uniform(4, -0.8...0.8, &rng)))
    }
    let weights = ParameterValue.tensor(Tensor([0.2, 0.3, 0.5]))
    var list: [Scenario] = [
      Scenario(framework: .sklearn, loss: "log_loss", parameters: [:], inputs: .sparse(probabilities: true), weighted: true),
      Scenario(framework: .sklearn, loss: "log_loss", parameters: ["normalize": .bool(false)], inputs: binaryProbabilities),
      Scenario(framework: .sklearn, loss: "brier_score_loss", parameters: [:], inputs: .sparse(probabilities: true), weighted: true),
      Scenario(framework: .sklearn, loss: "brier_score_loss", parameters: [:], inputs: binaryProbabilities),
      Scenario(framework: .sklearn, loss: "hinge_loss", parameters: [:], inputs: .sparse(probabilities: false), weighted: true),
      Scenario(framework: .sklearn, loss: "hinge_loss", parameters: [:], inputs: binaryDecisions),
      Scenario(framework: .sklearn, loss: "mean_squared_error", parameters: [:], inputs: regression(-3...3), weighted: true),
      Scenario(framework: .sklearn, loss: "mean_squared_error", parameters: ["multioutput": weights], inputs: regression(-3...3)),
      Scenario(framework: .sklearn, loss: "root_mean_squared_error", parameters: [:], inputs: regression(-3...3), weighted: true),
      Scenario(
        framework: .sklearn, loss: "root_mean_squared_error", parameters: ["multioutput": .string("raw_values")],
        inputs: regression(-3...3)),
      Scenario(framework: .sklearn, loss: "mean_absolute_error", parameters: [:], inputs: regression(-3...3), weighted: true),
      Scenario(
        framework: .sklearn, loss: "mean_absolute_percentage_error", parameters: ["multioutput": weights],
        inputs: regression(0.5...3), weighted: true),
      Scenario(framework: .sklearn, loss: "mean_squared_log_error", parameters: [:], inputs: regression(-0.5...4), weighted: true),
      Scenario(framework: .sklearn, loss: "median_absolute_error", parameters: [:], inputs: regression(-3...3)),
      Scenario(
        framework: .sklearn, loss: "median_absolute_error", parameters: ["multioutput": .string("raw_values")],
        inputs: regression(-3...3), weighted: true),
      Scenario(framework: .sklearn, loss: "mean_pinball_loss", parameters: ["alpha": .float(0.3)], inputs: regression(-3...3), weighted: true),
      Scenario(framework: .sklearn, loss: "mean_poisson_deviance", parameters: [:], inputs: oneOutput(0...4, 0.2...4), weighted: true),
      Scenario(framework: .sklearn, loss: "mean_gamma_deviance", parameters: [:], inputs: oneOutput(0.2...4, 0.2...4), weighted: true),
    ]
    for power in [-1.0, 0, 1, 1.5, 2, 3] {
      list.append(
        Scenario(
          framework: .sklearn, loss: "mean_tweedie_deviance", parameters: ["power": .float(power)],
          inputs: oneOutput(power < 0 ? -2...4 : 0.2...4, 0.2...4), weighted: power == 1.5))
    }
    return list
  }()
}
