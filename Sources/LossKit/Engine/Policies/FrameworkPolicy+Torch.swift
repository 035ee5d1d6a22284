extension FrameworkPolicy {
  /// PyTorch 2.15 on the CPU: `maximum`/`minimum` split a tie in half, `clamp` gives no
  /// gradient exactly on a bound, no subnormal flushing (`torch.set_flush_denormal` is
  /// off by default: `torch.exp(torch.tensor([-90.]))` is `8.1940e-40`).
  public static let torch = FrameworkPolicy(
    name: "torch",
    gradientRules: GradientRules(extremumTie: .split, clampAtBound: .zero),
    summation: .sequential,
    elementaryFunctions: .cLibrary,
    flushesSubnormals: false)
}
