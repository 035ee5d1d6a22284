import LossKit

/// Finite-difference scenarios of PyTorch's losses.
extension GradientScenarios {
  static let torch: [GradientTests.Scenario] = []
}
