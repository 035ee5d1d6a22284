/// The parts of a ``FrameworkPolicy`` that the kernels read: how to sum, which
/// elementary functions to use, whether to flush subnormals, and the gradient rules.
struct KernelEnvironment: Sendable {
  var summation: SummationOrder
  var elementaryFunctions: ElementaryFunctions
  var flushesSubnormals: Bool
  var gradientRules: GradientRules

  init(_ policy: FrameworkPolicy) {
    summation = policy.summation
    elementaryFunctions = policy.elementaryFunctions
    flushesSubnormals = policy.flushesSubnormals
    gradientRules = policy.gradientRules
  }

  /// `x / n` for an `n` fixed when the framework compiles the program (a mean's count):
  /// XLA (JAX) rewrites a division by a constant into a multiply by its rounded
  /// reciprocal (measured: `jnp.mean` is fl(sum · fl(1/n)), float32 and float64); the
  /// other frameworks divide.
  @inline(__always)
  func divided<S: LossScalar>(_ x: S, byConstant n: S) -> S {
    if case .xla = summation { return x * (1 / n) }
    return x / n
  }

  /// `tensor` with subnormals flushed to zero when the policy flushes them. The
  /// elements are only copied when one of them is subnormal (the caller still holds
  /// `tensor`, so flushing in place would copy every time).
  func flushed<S: LossScalar>(_ tensor: Tensor<S>) -> Tensor<S> {
    guard flushesSubnormals, Kernels.containsSubnormal(tensor.scalars) else { return tensor }
    var copy = tensor
    Kernels.flushSubnormals(&copy)
    return copy
  }

  /// A scalar flushed like a kernel output.
  @inline(__always)
  func flushed<S: LossScalar>(_ value: S) -> S { flushesSubnormals ? value.flushedToZero : value }
}

extension Kernels {
  /// Whether any element is subnormal. This runs on every kernel output of a flushing
  /// policy, from generic code that is not specialised (the trace's scalar type reaches
  /// it at run time), so it reads the bits in a concrete loop: a subnormal's magnitude
  /// bits minus one are below the significand mask (zero wraps to the top).
  static func containsSubnormal<S: LossScalar>(_ x: [S]) -> Bool {
    x.withUnsafeBufferPointer { buffer in
      if S.self == Float.self {
        return buffer.withMemoryRebound(to: UInt32.self) { bits in
          var found: UInt32 = 0
          for u in bits { found |= (u & 0x7fff_ffff) &- 1 < 0x007f_ffff ? 1 : 0 }
          return found != 0
        }
      }
      return buffer.withMemoryRebound(to: UInt64.self) { bits in
        var found: UInt64 = 0
        for u in bits { found |= (u & 0x7fff_ffff_ffff_ffff) &- 1 < 0x000f_ffff_ffff_ffff ? 1 : 0 }
        return found != 0
      }
    }
  }

  /// Replaces every subnormal element by a zero of the same sign.
  static func flushSubnormals<S: LossScalar>(_ tensor: inout Tensor<S>) {
    tensor.withUnsafeMutableBufferPointer { buffer in
      for i in buffer.indices where buffer[i].isSubnormal { buffer[i] = buffer[i].flushedToZero }
    }
  }
}
