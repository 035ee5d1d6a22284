import CLossKitKernels
import Foundation
import LossKitIO
import Testing

/// XLA's elementary functions (`lk_xla_*`, the JAX policy's) against what `jax.jit`
/// computed on the same arguments (Tests/Fixtures/elementary/xla.json, written by
/// Tools/fixtures/make_xla_tables.py with jax/jaxlib 0.10.2): bit for bit, except that a
/// NaN only has to be a NaN (its sign and payload follow which operand the compiler puts
/// first in an instruction, in XLA's code and in ours). Then their error against the
/// mpmath references, as for Eigen's.
@Suite("XLA's elementary functions")
struct XLAFunctionTests {
  /// The table's (argument, result) bit patterns per "function/dtype".
  static func table() throws -> [String: [(x: UInt64, y: UInt64)]] {
    let tables = try ElementaryFunctionTests.fixtureTables("xla.json", format: "losskit-xla-functions/1") { value -> UInt64? in
      guard case .string(let hex) = value else { return nil }
      return UInt64(hex, radix: 16)
    }
    return try tables.mapValues { table in
      guard let x = table["x"], let y = table["y"], x.count == y.count else { throw InputError("xla.json", "x and y of one length expected") }
      return Array(zip(x, y).map { (x: $0, y: $1) })
    }
  }

  static let float32: [String: @Sendable (Float) -> Float] = [
    "log": { lk_xla_logf($0) }, "exp": { lk_xla_expf($0) }, "log1p": { lk_xla_log1pf($0) },
    "logistic": { lk_xla_sigmoidf($0) }, "expm1": { lk_xla_expm1f($0) }, "tanh": { lk_xla_tanhf($0) },
  ]
  static let float64: [String: @Sendable (Double) -> Double] = [
    "log": { lk_xla_log($0) }, "exp": { lk_xla_exp($0) }, "log1p": { lk_xla_log1p($0) },
    "logistic": { lk_xla_sigmoid($0) }, "expm1": { lk_xla_expm1($0) }, "tanh": { lk_xla_tanh($0) },
  ]

  @Test func everyResultIsJAXsBitForBit() throws {
    let tables = try Self.table()
    #expect(tables.count == 12)
    for (name, f) in Self.float32 {
      let rows = try #require(tables["\(name)/float32"], "missing \(name)/float32")
      #expect(rows.count > 1500)
      let differing = rows.filter {
        let y = f(Float(bitPattern: UInt32($0.x))), expected = Float(bitPattern: UInt32($0.y))
        return expected.isNaN ? !y.isNaN : y.bitPattern != expected.bitPattern
      }
      #expect(differing.isEmpty, "\(name)/float32: \(differing.count) of \(rows.count) differ, first x = \(differing.first.map { String($0.x, radix: 16) } ?? "")")
    }
    for (name, f) in Self.float64 {
      let rows = try #require(tables["\(name)/float64"], "missing \(name)/float64")
      #expect(rows.count > 1500)
      let differing = rows.filter {
        let y = f(Double(bitPattern: $0.x)), expected = Double(bitPattern: $0.y)
        return expected.isNaN ? !y.isNaN : y.bitPattern != expected.bitPattern
      }
      #expect(differing.isEmpty, "\(name)/float64: \(differing.count) of \(rows.count) differ, first x = \(differing.first.map { String($0.x, radix: 16) } ?? "")")
    }
  }

  /// The arrays a trace evaluates (`lk_xla_unary_*`, compiled per CPU variant with its
  /// FMA inline) give the one-value functions' bits, on every variant this machine runs.
  @Test func theArrayFormsEqualTheOneValueFunctions() throws {
    let tables = try Self.table()
    try FusedValueOnlyTests.onEachVariant { variant in
      for (op, name) in ["log", "exp", "log1p", "logistic", "expm1", "tanh"].enumerated() {
        let x32 = try #require(tables["\(name)/float32"]).map { Float(bitPattern: UInt32($0.x)) }
        var y32 = [Float](repeating: 0, count: x32.count)
        lk_xla_unary_f32(Int32(op), x32, &y32, x32.count)
        let one32 = try #require(Self.float32[name])
        #expect(zip(x32, y32).allSatisfy { one32($0).bitPattern == $1.bitPattern }, "\(variant) \(name)/float32")
        let x64 = try #require(tables["\(name)/float64"]).map { Double(bitPattern: $0.x) }
        var y64 = [Double](repeating: 0, count: x64.count)
        lk_xla_unary_f64(Int32(op), x64, &y64, x64.count)
        let one64 = try #require(Self.float64[name])
        #expect(zip(x64, y64).allSatisfy { one64($0).bitPattern == $1.bitPattern }, "\(variant) \(name)/float64")
      }
    }
  }

  /// Stated bounds (ulps) against the mpmath table of ElementaryFunctionTests (the
  /// worst measured there: log 1.09 / 0.50, exp 0.85 / 1.27, log1p 1.54 / 62.4, logistic
  /// 1.64 / 1.70, float32 / float64). float64 `log1p` takes its rational approximation
  /// for all |x| < √2 − 1, beyond Cephes' interval [1 − √½ − 1, √2 − 1] on the negative
  /// side, where it loses up to 63 ulps (JAX gives log1p(−0.4033855326888474) =
  /// −0.5164841575958464 against −0.5164841575958534).
  static let bounds: [ElementaryFunctionTests.Bound] = [
    ("log/float32", true, 1.5, { Double(lk_xla_logf(Float($0))) }),
    ("exp/float32", true, 1, { Double(lk_xla_expf(Float($0))) }),
    ("log1p/float32", true, 2, { Double(lk_xla_log1pf(Float($0))) }),
    ("logistic/float32", true, 2, { Double(lk_xla_sigmoidf(Float($0))) }),
    ("log/float64", false, 1, { lk_xla_log($0) }),
    ("exp/float64", false, 1.5, { lk_xla_exp($0) }),
    ("log1p/float64", false, 64, { lk_xla_log1p($0) }),
    ("logistic/float64", false, 2, { lk_xla_sigmoid($0) }),
  ]

  /// XLA flushes subnormal results: those references are left out, as in Eigen's sweep.
  @Test func theFunctionsStayWithinTheirBounds() throws {
    try ElementaryFunctionTests.expectWithinBounds(Self.bounds, "xla", normalResultsOnly: true)
  }
}
