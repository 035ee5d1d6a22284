/// How a framework's runtime computes, as far as it changes the numbers: the rules its
/// autodiff applies where a derivative is a choice, the order in which it adds, the
/// elementary functions it calls, and whether the CPU flushes subnormal numbers to zero.
///
/// A loss is written once, in terms of primitive operations (``LossTrace``); the policy
/// of the framework it belongs to decides how those primitives behave. TensorFlow and
/// JAX give `maximum(x, x)` different gradients, TensorFlow sums in Eigen's packet tree,
/// and both flush subnormals on the CPU — these live here, not inside the losses.
public struct FrameworkPolicy: Sendable, Hashable {
  /// A short name for messages and trace exports, e.g. `tensorflow`.
  public var name: String
  public var gradientRules: GradientRules
  public var summation: SummationOrder
  public var elementaryFunctions: ElementaryFunctions
  /// Whether arithmetic treats subnormal operands as zero and flushes subnormal results
  /// to zero (the x86 DAZ and FTZ flags), in float32 and float64 alike. Sign and copy
  /// operations (`neg`, `abs`, reshapes, `where`) are bit operations and keep them.
  public var flushesSubnormals: Bool

  public init(
    name: String, gradientRules: GradientRules, summation: SummationOrder,
    elementaryFunctions: ElementaryFunctions, flushesSubnormals: Bool
  ) {
    self.name = name
    self.gradientRules = gradientRules
    self.summation = summation
    self.elementaryFunctions = elementaryFunctions
    self.flushesSubnormals = flushesSubnormals
  }
}

/// The choices a framework's autodiff makes where the derivative of a primitive is not
/// unique.
public struct GradientRules: Sendable, Hashable {
  /// Who receives the gradient of `maximum(a, b)` / `minimum(a, b)` when `a == b`.
  public var extremumTie: TieRule
  /// The gradient of a one-op clamp (`torch.clamp`, `clamp_min`) for an input exactly on
  /// a bound. (TensorFlow and JAX clip with `minimum`/`maximum`, so there the tie rule
  /// applies instead.)
  public var clampAtBound: BoundRule
  /// How the gradient of `log(x)` is formed: TensorFlow's `LogGrad` multiplies by
  /// `reciprocal(x)`, torch's `derivatives.yaml` (`grad / self`) and JAX's JVP divide.
  /// The two differ in the last bit.
  public var logDerivative: LogDerivative
  /// The sign a NaN has in `abs`'s gradient `grad · sign(x)`: TensorFlow's `Sign` keeps
  /// NaN, torch's `sgn` gives 0 (`(0 < x) − (x < 0)`), so `|NaN − y|` has gradient 0 there.
  public var signOfNaN: NaNSign
  /// The derivative of `abs` at exactly zero.
  public var absAtZero: AbsRule
  /// How the derivatives are written, which decides their rounding.
  public var formulas: DerivativeFormulas

  public init(
    extremumTie: TieRule, clampAtBound: BoundRule = .passes, logDerivative: LogDerivative = .reciprocalMultiply,
    signOfNaN: NaNSign = .nan, absAtZero: AbsRule = .zero, formulas: DerivativeFormulas = .tensorFlow
  ) {
    self.extremumTie = extremumTie
    self.clampAtBound = clampAtBound
    self.logDerivative = logDerivative
    self.signOfNaN = signOfNaN
    self.absAtZero = absAtZero
    self.formulas = formulas
  }

  /// `sign(NaN)` in gradient formulas.
  public enum NaNSign: String, Sendable, Hashable {
    case nan
    case zero
  }
  /// How `∂ log(x)` scales the incoming gradient.
  public enum LogDerivative: String, Sendable, Hashable {
    /// `grad · (1 / x)` (TensorFlow).
    case reciprocalMultiply = "reciprocal-multiply"
    /// `grad / x` (torch, JAX).
    case divide
  }

  /// The form of each primitive's derivative: mathematically the same, rounded
  /// differently (`g / x` and `g · (1/x)` differ in the last bit).
  public enum DerivativeFormulas: String, Sendable, Hashable {
    /// TensorFlow's registered gradients: `log′` is `g · reciprocal(x)`, `sqrt′` is
    /// `g · 0.5 / y`, `∂(a/b)/∂b` is `g · ((−a / b) / b)`, `sigmoid′` is `g · y · (1 − y)`.
    case tensorFlow = "tensorflow"
    /// JAX's JVP rules (`jax/_src/lax/lax.py`): `log1p′` is `g / (x + 1)`, `sqrt′` is
    /// `g · (0.5 / y)`, `∂(a/b)/∂b` is `(−g · a) · b⁻²` with `b⁻² = 1/(b·b)`,
    /// `logistic′` is `g · (y · (1 − y))`; `max`/`min` give each operand
    /// `g · [operand = out]`, halved when both are (`_balanced_eq`: NaN gets nothing).
    /// (`log′`, `g / x`, is the policy's ``GradientRules/LogDerivative/divide``.)
    case jax
  }

  /// What `abs′(0)` is.
  public enum AbsRule: String, Sendable, Hashable {
    /// 0: the gradient is `g · sign(x)` (TensorFlow's `AbsGrad`, torch's `sgn`).
    case zero
    /// 1: JAX's JVP `select(x >= 0, g, −g)`, so `±0` both pass the gradient unchanged.
    case positive
  }

  /// What a clamp's gradient is for an input exactly on a bound.
  public enum BoundRule: String, Sendable, Hashable {
    /// The incoming gradient passes.
    case passes
    /// Zero.
    case zero
    /// Half of it.
    case half
  }

  /// The gradient of an extremum at a tie.
  public enum TieRule: String, Sendable, Hashable {
    /// All of it goes to the first operand (TensorFlow's `Maximum`/`Minimum` gradients
    /// select `x >= y` / `x <= y`), so `clip_by_value` passes the gradient on a bound.
    case firstOperand = "first-operand"
    /// Each operand receives half (JAX's `max`/`min` JVP, torch's `maximum`/`minimum`).
    case split
  }
}

/// The order in which a framework adds the terms of a sum. Float addition is not
/// associative, so a faithful float32 sum must add in the framework's order.
public enum SummationOrder: Sendable, Hashable, CustomStringConvertible {
  /// Eigen's `InnerMostDimReducer`, as TensorFlow's CPU kernels reduce contiguous
  /// elements: four packet accumulators of `P` lanes, leftover elements summed from
  /// zero, lanes combined pairwise, ranges above `P·1024` split in halves at a packet
  /// boundary. `P` is the packet size of the build (AVX: 8 floats, 4 doubles).
  /// Reductions over outer axes accumulate sequentially.
  case eigen(floatPacket: Int, doublePacket: Int)
  /// One accumulator, in element order.
  case sequential
  /// NumPy's pairwise summation of contiguous elements (``PairwiseSummation``): blocks
  /// of up to 128 elements with eight accumulators, longer runs split in halves.
  /// Reductions over outer axes accumulate sequentially.
  case pairwise
  /// ATen's `cascade_sum` (torch's CPU `sum` and `mean`, `SumKernel.cpp`): a contiguous
  /// run of at least `lanes` values is summed as vectors of `lanes` with four
  /// interleaved vector accumulators, each a four-level cascade of 16-step blocks; the
  /// leftover elements are added to zero one by one and then the vector's lanes in
  /// order. Shorter runs and reductions over outer axes use the scalar form of the same
  /// cascade. `lanes` is the vector width of the kernel torch dispatches (AVX2: 8
  /// floats, 4 doubles; measured bit-for-bit against `torch.sum` in torch 2.15).
  case cascade(floatLanes: Int, doubleLanes: Int)
  /// XLA's CPU pipeline (JAX): its `TreeReductionRewriter` turns every reduced
  /// dimension of at least `window` elements into windows of `window` (the dimension
  /// padded with zeros, half the padding in front) that are summed sequentially, then
  /// reduces the window sums the same way until no dimension is that long; dimensions
  /// shorter than `window` are summed whole. Float32 reductions of `largeReduction`
  /// elements or more go to YNNPACK instead, whose order is reproduced over the last
  /// axis and for full sums of rank 1 or 2; other large reductions are summed
  /// sequentially. See ``XLASummation``.
  case xla(window: Int, largeReduction: Int)

  /// The order as trace exports name it (`eigen(float: 8, double: 4)`, `pairwise(numpy)`).
  public var description: String {
    switch self {
    case .eigen(let f, let d): "eigen(float: \(f), double: \(d))"
    case .sequential: "sequential"
    case .pairwise: "pairwise(numpy)"
    case .cascade(let f, let d): "cascade(float: \(f), double: \(d))"
    case .xla(let window, let large): "xla(window: \(window), large-reduction: \(large))"
    }
  }
}

/// Which implementation of `exp`, `log`, `log1p` and the logistic function a policy
/// computes with.
public enum ElementaryFunctions: Sendable, Hashable, CustomStringConvertible {
  /// The platform C library (glibc's `expf`/`logf`, ...).
  case cLibrary
  /// Eigen's packet functions (`plog_float`, `pexp_float`, `generic_log1p`, the float
  /// logistic; their double counterparts), as TensorFlow's CPU kernels evaluate a
  /// contiguous run of `n` elements: the packet function for the first `n − n mod P`,
  /// the C library for the rest (`P` = 8 floats, 4 doubles in TensorFlow's AVX build,
  /// which has no FMA). Reproduced bit for bit in `CLossKitKernels`.
  case eigen(floatPacket: Int, doublePacket: Int)
  /// XLA's CPU functions as JAX 0.10.2 runs them on x86-64 with FMA: its own `exp`,
  /// `log`, `log1p`, logistic, `expm1` and `tanh` (float64 `log` is the C library's),
  /// with a fused multiply-add wherever XLA's compiled code has one, subnormal inputs
  /// read as zero and subnormal results flushed. Reproduced bit for bit in
  /// `CLossKitKernels/xla_scalar.c` (docs/elementary-functions.md).
  case xla

  public var description: String {
    switch self {
    case .cLibrary: "c-library"
    case .eigen(let f, let d): "eigen(float: \(f), double: \(d))"
    case .xla: "xla"
    }
  }

  /// Lanes per packet for `S`, or 0 when every element takes the C library's path.
  func packet<S: LossScalar>(_: S.Type) -> Int {
    switch self {
    case .cLibrary, .xla: 0
    case .eigen(let f, let d): S.self == Float.self ? f : d
    }
  }
}
