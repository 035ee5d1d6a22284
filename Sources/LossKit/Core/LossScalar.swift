#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A floating-point type LossKit computes in: `Float` (the frameworks' float32) or
/// `Double` (float64).
///
/// The elementary functions forward to the C library (`logf`/`log`, ...), computed in
/// `Self` and rounded to `Self` after every operation, the way a float32 tensor op does.
/// Only `Float` and `Double` conform; the protocol is public so that generic code can
/// name it, not so that other types can adopt it.
public protocol LossScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable, Hashable,
  LosslessStringConvertible
{
  /// The framework name of this type: `"float32"` or `"float64"`.
  static var dtype: DType { get }
  /// The natural logarithm, `log(x)`.
  static func log(_ x: Self) -> Self
  /// `log(1 + x)`, accurate for small `x`.
  static func log1p(_ x: Self) -> Self
  /// The exponential, `e^x`.
  static func exp(_ x: Self) -> Self
  /// `x^y` with the C library's special cases (`pow(0, 0) = 1`, `pow(x, 1) = x`).
  static func pow(_ x: Self, _ y: Self) -> Self
  /// Lanes in one Eigen packet of this type in TensorFlow's x86-64 CPU build (AVX):
  /// 8 floats or 4 doubles. It fixes the order of TensorFlow's sums.
  static var eigenPacketSize: Int { get }

  /// Records `loss` on `trace`. Dispatches to the `Float` or `Double` requirement of
  /// ``LossFunction`` so that each loss is compiled for the concrete type.
  static func record(
    _ loss: any LossFunction, on trace: inout LossTrace<Self>, _ inputs: LossInputs<Self>
  ) throws -> LossTrace<Self>.Value
}

/// The element type of a computation, named as the frameworks name it.
public enum DType: String, Sendable, CaseIterable, Codable {
  case float32
  case float64
}

extension Float: LossScalar {
  public static var dtype: DType { .float32 }
  @inlinable public static func log(_ x: Float) -> Float { logf(x) }
  @inlinable public static func log1p(_ x: Float) -> Float { log1pf(x) }
  @inlinable public static func exp(_ x: Float) -> Float { expf(x) }
  @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
  @inlinable public static var eigenPacketSize: Int { 8 }
  public static func record(
    _ loss: any LossFunction, on trace: inout LossTrace<Float>, _ inputs: LossInputs<Float>
  ) throws -> LossTrace<Float>.Value {
    try loss.record(on: &trace, inputs)
  }
}

extension Double: LossScalar {
  public static var dtype: DType { .float64 }
  @inlinable public static func log(_ x: Double) -> Double {
    #if canImport(Darwin)
    Darwin.log(x)
    #elseif canImport(Glibc)
    Glibc.log(x)
    #else
    Musl.log(x)
    #endif
  }
  @inlinable public static func log1p(_ x: Double) -> Double {
    #if canImport(Darwin)
    Darwin.log1p(x)
    #elseif canImport(Glibc)
    Glibc.log1p(x)
    #else
    Musl.log1p(x)
    #endif
  }
  @inlinable public static func exp(_ x: Double) -> Double {
    #if canImport(Darwin)
    Darwin.exp(x)
    #elseif canImport(Glibc)
    Glibc.exp(x)
    #else
    Musl.exp(x)
    #endif
  }
  @inlinable public static func pow(_ x: Double, _ y: Double) -> Double {
    #if canImport(Darwin)
    Darwin.pow(x, y)
    #elseif canImport(Glibc)
    Glibc.pow(x, y)
    #else
    Musl.pow(x, y)
    #endif
  }
  @inlinable public static var eigenPacketSize: Int { 4 }
  public static func record(
    _ loss: any LossFunction, on trace: inout LossTrace<Double>, _ inputs: LossInputs<Double>
  ) throws -> LossTrace<Double>.Value {
    try loss.record(on: &trace, inputs)
  }
}
