import LossKit

/// Finite-difference scenarios of scikit-learn's losses.
extension GradientScenarios {
  static let sklearn: [GradientTests.Scenario] = []
}
