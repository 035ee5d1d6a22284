/// A floating-point type LossKit computes in: `Float` (the frameworks' float32) or
/// `Double` (float64).
///
/// The elementary functions are the C library's (see ``CLibrary``), computed in `Self`
/// and rounded to `Self` after every operation, the way a float32 tensor op does. Only
/// `Float` and `Double` conform; the protocol is public so that generic code can name
/// it, not so that other types can adopt it.
public protocol LossScalar: BinaryFloatingPoint, Codable, Sendable, Hashable, LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
  /// The framework name of this type: `float32` or `float64`.
  static var dtype: DType { get }
  /// The natural logarithm, `log(x)`.
  static func log(_ x: Self) -> Self
  /// `log(1 + x)`, accurate for small `x`.
  static func log1p(_ x: Self) -> Self
  /// The exponential, `e^x`.
  static func exp(_ x: Self) -> Self
  /// `e^x − 1`, accurate for small `x`.
  static func expm1(_ x: Self) -> Self
  /// `x^y` with the C library's special cases (`pow(0, 0) = 1`, `pow(x, 1) = x`).
  static func pow(_ x: Self, _ y: Self) -> Self
  /// The hyperbolic sine, cosine and tangent.
  static func sinh(_ x: Self) -> Self
  static func cosh(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  /// `log Γ(x)` (the absolute value's logarithm).
  static func logGamma(_ x: Self) -> Self

  /// Records `loss` on `trace`. Dispatches to the `Float` or `Double` requirement of
  /// ``LossFunction`` so that each loss is compiled for the concrete type.
  static func record(
    _ loss: any LossFunction, on trace: inout LossTrace<Self>, _ inputs: LossInputs<Self>
  ) throws -> LossTrace<Self>.Value
  /// Runs the fused kernel of `loss`, if it has one for these inputs.
  static func fused(
    _ loss: any LossFunction, _ inputs: LossInputs<Self>, gradient: Bool
  ) throws -> LossEvaluation<Self>?
}

/// The element type of a computation, named as the frameworks name it.
public enum DType: String, Sendable, CaseIterable, Codable {
  case float32
  case float64
}

extension LossScalar {
  /// The value with a subnormal replaced by a zero of the same sign: what an x86 CPU
  /// with the DAZ/FTZ flags set reads and writes.
  @inline(__always)
  public var flushedToZero: Self { isSubnormal ? (sign == .minus ? -0.0 : 0.0) : self }
}

extension Float: LossScalar {
  public static var dtype: DType { .float32 }
  @inlinable public static func log(_ x: Float) -> Float { CLibrary.log(x) }
  @inlinable public static func log1p(_ x: Float) -> Float { CLibrary.log1p(x) }
  @inlinable public static func exp(_ x: Float) -> Float { CLibrary.exp(x) }
  @inlinable public static func expm1(_ x: Float) -> Float { CLibrary.expm1(x) }
  @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { CLibrary.pow(x, y) }
  @inlinable public static func sinh(_ x: Float) -> Float { CLibrary.sinh(x) }
  @inlinable public static func cosh(_ x: Float) -> Float { CLibrary.cosh(x) }
  @inlinable public static func tanh(_ x: Float) -> Float { CLibrary.tanh(x) }
  @inlinable public static func logGamma(_ x: Float) -> Float { CLibrary.logGamma(x) }
  public static func record(
    _ loss: any LossFunction, on trace: inout LossTrace<Float>, _ inputs: LossInputs<Float>
  ) throws -> LossTrace<Float>.Value {
    try loss.record(on: &trace, inputs)
  }
  public static func fused(_ loss: any LossFunction, _ inputs: LossInputs<Float>, gradient: Bool) throws -> LossEvaluation<Float>? {
    try loss.fused(inputs, gradient: gradient)
  }
}

extension Double: LossScalar {
  public static var dtype: DType { .float64 }
  @inlinable public static func log(_ x: Double) -> Double { CLibrary.log(x) }
  @inlinable public static func log1p(_ x: Double) -> Double { CLibrary.log1p(x) }
  @inlinable public static func exp(_ x: Double) -> Double { CLibrary.exp(x) }
  @inlinable public static func expm1(_ x: Double) -> Double { CLibrary.expm1(x) }
  @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { CLibrary.pow(x, y) }
  @inlinable public static func sinh(_ x: Double) -> Double { CLibrary.sinh(x) }
  @inlinable public static func cosh(_ x: Double) -> Double { CLibrary.cosh(x) }
  @inlinable public static func tanh(_ x: Double) -> Double { CLibrary.tanh(x) }
  @inlinable public static func logGamma(_ x: Double) -> Double { CLibrary.logGamma(x) }
  public static func record(
    _ loss: any LossFunction, on trace: inout LossTrace<Double>, _ inputs: LossInputs<Double>
  ) throws -> LossTrace<Double>.Value {
    try loss.record(on: &trace, inputs)
  }
  public static func fused(_ loss: any LossFunction, _ inputs: LossInputs<Double>, gradient: Bool) throws -> LossEvaluation<Double>? {
    try loss.fused(inputs, gradient: gradient)
  }
}
