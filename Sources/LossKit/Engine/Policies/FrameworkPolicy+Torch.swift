extension FrameworkPolicy {
  /// PyTorch 2.15 on the CPU: `maximum`/`minimum` split a tie in half, `clamp` gives no
  /// gradient exactly on a bound, `log`'s gradient divides (`grad / x`), `sgn(NaN)` is 0
  /// in `abs`'s gradient, sums follow
  /// ATen's cascade with AVX2 vectors (8 floats, 4 doubles: `sum_stub` has no AVX512
  /// kernel, so the AVX2 one runs even where `torch.backends.cpu.get_cpu_capability()`
  /// says AVX512), and no subnormal flushing (`torch.set_flush_denormal` is off by
  /// default: `torch.exp(torch.tensor([-90.]))` is `8.1940e-40`). All measured on torch
  /// 2.15.0.
  public static let torch = FrameworkPolicy(
    name: "torch",
    gradientRules: GradientRules(extremumTie: .split, clampAtBound: .zero, logDerivative: .divide, signOfNaN: .zero),
    summation: .cascade(floatLanes: 8, doubleLanes: 4),
    elementaryFunctions: .cLibrary,
    flushesSubnormals: false)
}
