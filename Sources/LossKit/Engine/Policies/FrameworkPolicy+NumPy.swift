extension FrameworkPolicy {
  /// NumPy 2.4 (what scikit-learn computes with): pairwise summation, no subnormal
  /// flushing. NumPy has no autodiff: the gradient rules are LossKit's own (a tie of
  /// `maximum` splits the gradient, a clip passes it on its bounds).
  public static let numpy = FrameworkPolicy(
    name: "numpy",
    gradientRules: GradientRules(extremumTie: .split),
    summation: .pairwise,
    elementaryFunctions: .cLibrary,
    flushesSubnormals: false)
}
