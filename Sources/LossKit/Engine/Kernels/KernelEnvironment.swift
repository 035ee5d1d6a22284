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

  /// `tensor` with subnormals flushed to zero when the policy flushes them. The
  /// elements are only copied when one of them is subnormal (the caller still holds
  /// `tensor`, so flushing in place would copy every time).
  func flushed<S: LossScalar>(_ tensor: Tensor<S>) -> Tensor<S> {
    guard flushesSubnormals, tensor.scalars.contains(where: \.isSubnormal) else { return tensor }
    var copy = tensor
    Kernels.flushSubnormals(&copy)
    return copy
  }

  /// A scalar flushed like a kernel output.
  @inline(__always)
  func flushed<S: LossScalar>(_ value: S) -> S { flushesSubnormals ? value.flushedToZero : value }
}

extension Kernels {
  /// Replaces every subnormal element by a zero of the same sign.
  static func flushSubnormals<S: LossScalar>(_ tensor: inout Tensor<S>) {
    tensor.withUnsafeMutableBufferPointer { buffer in
      for i in buffer.indices where buffer[i].isSubnormal { buffer[i] = buffer[i].flushedToZero }
    }
  }
}
