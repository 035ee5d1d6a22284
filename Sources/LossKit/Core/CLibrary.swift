#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The C library's elementary functions, named once: the only place LossKit imports the
/// platform's math module. At file scope the C names resolve without qualification.
public enum CLibrary {
  @inlinable public static func log(_ x: Float) -> Float { logf(x) }
  @inlinable public static func log1p(_ x: Float) -> Float { log1pf(x) }
  @inlinable public static func exp(_ x: Float) -> Float { expf(x) }
  @inlinable public static func expm1(_ x: Float) -> Float { expm1f(x) }
  @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
  @inlinable public static func sinh(_ x: Float) -> Float { sinhf(x) }
  @inlinable public static func cosh(_ x: Float) -> Float { coshf(x) }
  @inlinable public static func tanh(_ x: Float) -> Float { tanhf(x) }
  @inlinable public static func logGamma(_ x: Float) -> Float { lgammaf(x) }

  @inlinable public static func log(_ x: Double) -> Double { cLog(x) }
  @inlinable public static func log1p(_ x: Double) -> Double { cLog1p(x) }
  @inlinable public static func exp(_ x: Double) -> Double { cExp(x) }
  @inlinable public static func expm1(_ x: Double) -> Double { cExpm1(x) }
  @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }
  @inlinable public static func sinh(_ x: Double) -> Double { cSinh(x) }
  @inlinable public static func cosh(_ x: Double) -> Double { cCosh(x) }
  @inlinable public static func tanh(_ x: Double) -> Double { cTanh(x) }
  @inlinable public static func logGamma(_ x: Double) -> Double { lgamma(x) }
}

// File-scope forwarders: inside `CLibrary` the static methods would shadow the C names.
@usableFromInline func cLog(_ x: Double) -> Double { log(x) }
@usableFromInline func cLog1p(_ x: Double) -> Double { log1p(x) }
@usableFromInline func cExp(_ x: Double) -> Double { exp(x) }
@usableFromInline func cExpm1(_ x: Double) -> Double { expm1(x) }
@usableFromInline func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@usableFromInline func cSinh(_ x: Double) -> Double { sinh(x) }
@usableFromInline func cCosh(_ x: Double) -> Double { cosh(x) }
@usableFromInline func cTanh(_ x: Double) -> Double { tanh(x) }
