extension FrameworkPolicy {
  /// NumPy 2.4 (what scikit-learn computes with): no autodiff (LossKit's own gradient
  /// rules are used), no subnormal flushing.
  public static let numpy = FrameworkPolicy(
    name: "numpy",
    gradientRules: GradientRules(extremumTie: .split),
    summation: .sequential,
    elementaryFunctions: .cLibrary,
    flushesSubnormals: false)
}
