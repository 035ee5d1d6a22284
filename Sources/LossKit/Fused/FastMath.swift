import CLossKitKernels

/// A loss whose fused kernel has a fast-math variant: the same formula, clipping and
/// summation order, with LossKit's own float32 `exp` and `log1p` (short FMA polynomials,
/// `CLossKitKernels/vector_math.h`) instead of the framework's. ``EvaluationPath/fastMath``
/// picks it for a value without the gradient. Its values are not the framework's bits;
/// they stay within the conformance tolerances (`ConformanceTests` replays the corpus
/// through it), and the functions' error bounds are in docs/elementary-functions.md.
public protocol FastMathLoss: LossFunction {
  /// Whether this configuration has the variant (binary cross-entropy: from logits), for
  /// messages; the inputs can still fall outside it (``fastMathValue(_:)`` says).
  var hasFastMathVariant: Bool { get }
  /// The loss value with the fast-math kernel, or nil when it does not cover these inputs
  /// (they then take the fused kernel or the trace, as ``EvaluationPath/automatic``).
  func fastMathValue(_ inputs: LossInputs<Float>) throws -> Tensor<Float>?
}

extension FastMathLoss {
  public var hasFastMathVariant: Bool { true }
}

/// Where ``EvaluationPath/fastMath`` applies.
public enum FastMath {
  /// Whether `loss`, as configured, has a fast-math kernel.
  public static func hasVariant(_ loss: some LossFunction) -> Bool {
    (loss as? any FastMathLoss)?.hasFastMathVariant ?? false
  }

  /// Whether this CPU runs the fast-math kernels (x86-64 with AVX2 and FMA, or
  /// AVX-512; aarch64). Elsewhere their FMAs would be library calls, so the path falls
  /// back to the framework's functions.
  public static var isSupported: Bool { lk_fast_math_supported() != 0 }

  /// `loss`'s fast-math value on `inputs`, or nil (not float32, no variant, not covered,
  /// or a CPU without FMA).
  public static func value<S: LossScalar>(_ loss: some LossFunction, _ inputs: LossInputs<S>) throws -> Tensor<S>? {
    guard isSupported, let variant = loss as? any FastMathLoss, let floats = inputs as? LossInputs<Float> else { return nil }
    return try variant.fastMathValue(floats) as? Tensor<S>
  }
}
