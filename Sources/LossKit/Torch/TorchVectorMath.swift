import CLossKitKernels

/// The elementary functions of PyTorch's vectorised CPU kernels.
///
/// torch 2.15's AVX-512 kernels for `log_softmax`, `log_sigmoid`, `log1p`, `sigmoid` and
/// `softplus` call SLEEF's u10 routines on float32 vectors (`lk_sleef_*`, bit for bit
/// the ones inside libtorch_cpu.so on all 2^32 inputs); `torch.exp` and `torch.log`
/// themselves are Intel MKL's (closed source: LossKit uses the C library there). Float64
/// runs the C library (torch's double SLEEF routines are not reproduced).
enum TorchVectorMath {
  @inline(__always)
  static func exp<S: LossScalar>(_ x: S) -> S {
    S.self == Float.self ? unsafeBitCast(lk_sleef_expf_u10(unsafeBitCast(x, to: Float.self)), to: S.self) : S.exp(x)
  }

  @inline(__always)
  static func log<S: LossScalar>(_ x: S) -> S {
    S.self == Float.self ? unsafeBitCast(lk_sleef_logf_u10(unsafeBitCast(x, to: Float.self)), to: S.self) : S.log(x)
  }

  @inline(__always)
  static func log1p<S: LossScalar>(_ x: S) -> S {
    S.self == Float.self ? unsafeBitCast(lk_sleef_log1pf_u10(unsafeBitCast(x, to: Float.self)), to: S.self) : S.log1p(x)
  }

  /// `Vectorized<float>::sigmoid`'s value in `cpu_kernel_vec`: `1 / (exp(0 − x) + 1)`
  /// on the vector path, `1 / (1 + exp(−x))` with the C library on the scalar one.
  @inline(__always)
  static func sigmoid<S: LossScalar>(_ x: S, vectorPath: Bool) -> S {
    vectorPath ? 1 / (exp(0 - x) + 1) : 1 / (1 + S.exp(-x))
  }

  /// How many leading elements of a contiguous `count`-element tensor `cpu_kernel_vec`
  /// runs on its vector path: two vectors (32 floats, 16 doubles) per step, the last
  /// `count mod 32` on the scalar lambda. (Modelled for one chunk: torch splits tensors
  /// of more than 32,768 elements into one chunk per thread, each with its own tail.)
  static func vectorPathCount<S: LossScalar>(_ count: Int, _: S.Type) -> Int {
    let step = S.self == Float.self ? 32 : 16
    return count - count % step
  }
}
