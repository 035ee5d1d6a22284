import LossKit

/// Finite-difference scenarios of Optax's losses.
extension GradientScenarios {
  static let optax: [GradientTests.Scenario] = []
}
