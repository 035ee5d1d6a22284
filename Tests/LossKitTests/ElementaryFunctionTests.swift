import CLossKitKernels
import Foundation
import LossKit
import LossKitIO
import Testing

/// The vector elementary functions against mpmath references at 60 digits
/// (Tests/Fixtures/elementary/reference.json, from Tools/fixtures/make_elementary_tables.py):
/// the worst error in ulps of the result's format over ~4000 seeded arguments per
/// function and dtype, spanning every binade the losses meet.
///
/// The functions reproduce TensorFlow's Eigen packet math bit for bit (the conformance
/// suite checks that against TensorFlow itself); these tests bound how far that math is
/// from the true function, which is what `--exact` and the error bounds in the docs rely on.
@Suite("Elementary functions: error in ulps against mpmath")
struct ElementaryFunctionTests {
  struct Table {
    var x: [Double]
    var hi: [Double]
    var lo: [Double]
  }

  /// The tables of a fixture in Tests/Fixtures/elementary, parsed with LossKitIO's JSON
  /// parser (correctly rounded numbers: the arguments are exact float32/float64 values
  /// and must not move by an ulp), each table's named arrays mapped by `element`.
  static func fixtureTables<T>(
    _ file: String, format: String, _ element: (JSONValue) -> T?
  ) throws -> [String: [String: [T]]] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/elementary/\(file)")
    guard case .object(let root) = try JSONParser.parse(try String(contentsOf: url, encoding: .utf8)) else {
      throw InputError(url.path, "expected a JSON object")
    }
    #expect(root.first { $0.key == "format" }?.value == .string(format))
    guard case .object(let tables)? = root.first(where: { $0.key == "tables" })?.value else {
      throw InputError(url.path, "expected \"tables\"")
    }
    var out: [String: [String: [T]]] = [:]
    for (name, value) in tables {
      guard case .object(let table) = value else { throw InputError(url.path, "\(name): expected an object") }
      for (key, array) in table {
        guard case .array(let values) = array else { throw InputError(url.path, "\(name).\(key): expected an array") }
        out[name, default: [:]][key] = try values.map {
          guard let v = element($0) else { throw InputError(url.path, "\(name).\(key): unexpected \($0)") }
          return v
        }
      }
    }
    return out
  }

  /// The mpmath tables.
  static func tables() throws -> [String: Table] {
    let tables = try fixtureTables("reference.json", format: "losskit-elementary-reference/1") { value -> Double? in
      guard case .number(let v, _) = value else { return nil }
      return v
    }
    return try tables.mapValues { table in
      guard let x = table["x"], let hi = table["hi"], let lo = table["lo"] else { throw InputError("reference.json", "x, hi, lo expected") }
      return Table(x: x, hi: hi, lo: lo)
    }
  }

  /// |y − reference| in units of the last place of the reference in the result's format
  /// (float32: 2^(e − 23), float64: 2^(e − 52), subnormals at the format's smallest step).
  static func ulps(_ y: Double, hi: Double, lo: Double, significandBits: Int, minExponent: Int) -> Double {
    if y == hi && lo == 0 { return 0 }
    if !hi.isFinite || !y.isFinite { return y == hi ? 0 : .infinity }
    let exponent = max(hi == 0 ? minExponent : Int(hi.exponent), minExponent)
    let ulp = Double(sign: .plus, exponent: exponent - significandBits, significand: 1)
    return abs((y - hi) - lo) / ulp
  }

  /// The worst error of `f` over the table `name`, and the argument where it occurs.
  static func worst(_ table: Table, float32: Bool, _ f: (Double) -> Double) -> (ulps: Double, at: Double) {
    var worst = (ulps: 0.0, at: 0.0)
    for i in table.x.indices {
      let y = f(table.x[i])
      let e = float32
        ? ulps(y, hi: table.hi[i], lo: table.lo[i], significandBits: 23, minExponent: -126)
        : ulps(y, hi: table.hi[i], lo: table.lo[i], significandBits: 52, minExponent: -1022)
      if e > worst.ulps { worst = (e, table.x[i]) }
    }
    return worst
  }

  /// The stated bounds (ulps) of the Eigen packet functions LossKit runs for TensorFlow
  /// and Keras (docs/elementary-functions.md). TensorFlow's AVX build has no FMA, so
  /// they are looser than Eigen's FMA figures. Float32: the worst over every 7th float
  /// (`LOSSKIT_SWEEP_STRIDE=7`) was log 3.23, exp 1.30, log1p 4.49, logistic 6.29 ulp;
  /// float64: the worst over the mpmath table.
  static let bounds: [Bound] = [
    ("log/float32", true, 3.5, { Double(lk_eigen_logf(Float($0))) }),
    ("exp/float32", true, 1.5, { Double(lk_eigen_expf(Float($0))) }),
    ("log1p/float32", true, 4.5, { Double(lk_eigen_log1pf(Float($0))) }),
    ("logistic/float32", true, 6.5, { Double(lk_eigen_logisticf(Float($0))) }),
    ("log/float64", false, 1.5, { lk_eigen_log($0) }),
    ("exp/float64", false, 1.5, { lk_eigen_exp($0) }),
    ("log1p/float64", false, 2.5, { lk_eigen_log1p($0) }),
  ]

  typealias Bound = (name: String, float32: Bool, bound: Double, f: @Sendable (Double) -> Double)

  /// Each function's worst error over its mpmath table within its bound. With
  /// `normalResultsOnly`, references below the format's normal range are left out (for
  /// functions whose results are flushed there).
  static func expectWithinBounds(
    _ bounds: [Bound], _ label: String, normalResultsOnly: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let tables = try Self.tables()
    for entry in bounds {
      var table = try #require(tables[entry.name], "missing table \(entry.name)", sourceLocation: sourceLocation)
      #expect(table.x.count > 3000, sourceLocation: sourceLocation)
      if normalResultsOnly {
        let normal = entry.float32 ? Double(Float.leastNormalMagnitude) : Double.leastNormalMagnitude
        let kept = table.x.indices.filter { abs(table.hi[$0]) >= normal || table.hi[$0] == 0 }
        table = Table(x: kept.map { table.x[$0] }, hi: kept.map { table.hi[$0] }, lo: kept.map { table.lo[$0] })
      }
      let (ulps, at) = Self.worst(table, float32: entry.float32, entry.f)
      print("\(label) \(entry.name): worst \(String(format: "%.3f", ulps)) ulp at x = \(at) over \(table.x.count) (bound \(entry.bound))")
      #expect(ulps <= entry.bound, "\(entry.name): \(ulps) ulp at x = \(at), bound \(entry.bound)", sourceLocation: sourceLocation)
    }
  }

  @Test func eigenPacketFunctionsStayWithinTheirBounds() throws {
    try Self.expectWithinBounds(Self.bounds, "eigen")
  }

  /// Every `stride`-th float32 (default 4099: about a million arguments per function)
  /// against the float64 C library rounded to float32's ulp grid: the float64 result is
  /// within 2⁻⁵² relative, 2⁻²⁹ of a float32 ulp, so it is an exact enough reference for
  /// float32 bounds. Results below float32's normal range are skipped (TensorFlow flushes
  /// them).
  @Test func float32SweepStaysWithinTheBounds() throws {
    let stride = UInt64(ProcessInfo.processInfo.environment["LOSSKIT_SWEEP_STRIDE"].flatMap { UInt64($0) } ?? 4099)
    let functions: [(String, (Float) -> Float, (Double) -> Double, ClosedRange<Float>)] = [
      ("log/float32", { lk_eigen_logf($0) }, { Foundation.log($0) }, Float.leastNonzeroMagnitude...Float.greatestFiniteMagnitude),
      ("exp/float32", { lk_eigen_expf($0) }, { Foundation.exp($0) }, -87...88.7),
      ("log1p/float32", { lk_eigen_log1pf($0) }, { Foundation.log1p($0) }, Float(-1).nextUp...Float.greatestFiniteMagnitude),
      ("logistic/float32", { lk_eigen_logisticf($0) }, { 1 / (1 + Foundation.exp(-$0)) }, -87...88),
    ]
    for (name, f, reference, domain) in functions {
      let bound = try #require(Self.bounds.first { $0.name == name }).bound
      var worst = (ulps: 0.0, at: Float(0)), count = 0
      var bits: UInt64 = 1
      while bits < 0xFF80_0000 {
        let x = Float(bitPattern: UInt32(bits))
        bits += stride
        guard x.isFinite, domain.contains(x) else { continue }
        let r = reference(Double(x))
        guard r.isFinite, abs(r) >= Double(Float.leastNormalMagnitude) || r == 0 else { continue }
        let e = Self.ulps(Double(f(x)), hi: r, lo: 0, significandBits: 23, minExponent: -126)
        count += 1
        if e > worst.ulps { worst = (e, x) }
      }
      print("eigen \(name) sweep (stride \(stride), \(count) arguments): worst \(String(format: "%.3f", worst.ulps)) ulp at x = \(worst.at)")
      #expect(count > 100_000)
      #expect(worst.ulps <= bound, "\(name): \(worst.ulps) ulp at x = \(worst.at), bound \(bound)")
    }
  }

  /// LossKit's fast-math functions (``EvaluationPath/fastMath``) on the ranges their kernels
  /// call them on, `exp` on [−87.3365, 0] and `log1p` on [2⁻¹²³, 1] (below, `log1p`'s
  /// u = e/(2 + e) is subnormal; the kernels' e = exp(−|x|) ≥ e⁻⁸⁷ never is): their mpmath
  /// tables (3,003 arguments each), and every `stride`-th float32 of the ranges (default 97,
  /// about 22 million arguments) against the float64 C library. The stated bounds are 1
  /// and 2 ulps; every float32 of the ranges (2.15 billion arguments: `LOSSKIT_SWEEP_STRIDE=1`
  /// here, or `Tools/bench/cpu/fast_math.sh 64 1 errors` in 24 s) measured 0.943 ulp for
  /// `exp` and 1.968 for `log1p`.
  @Test func fastMathFunctionsStayWithinTheirBounds() throws {
    let stride = UInt32(ProcessInfo.processInfo.environment["LOSSKIT_SWEEP_STRIDE"].flatMap { UInt32($0) } ?? 97)
    let tables = try Self.tables()
    let functions: [(name: String, op: Int32, bound: Double, first: Float, last: Float, reference: (Double) -> Double)] = [
      ("fast_exp/float32", 0, 1, -0.0, -87.3365, { Foundation.exp($0) }),
      ("fast_log1p/float32", 1, 2, Float(sign: .plus, exponent: -123, significand: 1), 1, { Foundation.log1p($0) }),
    ]
    func fast(_ op: Int32, _ x: [Float]) -> [Float] {
      var y = [Float](repeating: .nan, count: x.count)
      lk_fast_math_f32(op, x, &y, x.count)
      return y
    }
    for f in functions {
      let domain = min(f.first, f.last)...max(f.first, f.last)
      // The mpmath table of the range (Tools/fixtures/make_elementary_tables.py).
      let table = try #require(tables[f.name])
      let kept = table.x.indices.filter { domain.contains(Float(table.x[$0])) && Double(Float(table.x[$0])) == table.x[$0] }
      #expect(kept.count == table.x.count && kept.count > 3000, "\(f.name): \(kept.count) of \(table.x.count) arguments in range")
      let y = fast(f.op, kept.map { Float(table.x[$0]) })
      var worst = (ulps: 0.0, at: 0.0)
      for (k, i) in kept.enumerated() {
        let e = Self.ulps(Double(y[k]), hi: table.hi[i], lo: table.lo[i], significandBits: 23, minExponent: -126)
        if e > worst.ulps { worst = (e, table.x[i]) }
      }
      print("fast math \(f.name) mpmath (\(kept.count) arguments): worst \(String(format: "%.3f", worst.ulps)) ulp at x = \(worst.at)")
      #expect(worst.ulps <= f.bound, "\(f.name): \(worst.ulps) ulp at x = \(worst.at) (mpmath), bound \(f.bound)")
      // The sweep, a batch at a time.
      var sweep = (ulps: 0.0, at: Float(0)), count = 0
      var batch: [Float] = []
      batch.reserveCapacity(1 << 16)
      func check() {
        for (x, v) in zip(batch, fast(f.op, batch)) {
          let r = f.reference(Double(x))
          let e = Self.ulps(Double(v), hi: r, lo: 0, significandBits: 23, minExponent: -126)
          if e > sweep.ulps || e.isNaN { sweep = (e.isNaN ? .infinity : e, x) }
        }
        count += batch.count
        batch.removeAll(keepingCapacity: true)
      }
      var bits = UInt64(f.first.bitPattern)
      while bits <= UInt64(f.last.bitPattern) {
        batch.append(Float(bitPattern: UInt32(bits)))
        if batch.count == 1 << 16 { check() }
        bits += UInt64(stride)
      }
      batch.append(f.last)
      check()
      print("fast math \(f.name) sweep (stride \(stride), \(count) arguments): worst \(String(format: "%.3f", sweep.ulps)) ulp at x = \(sweep.at)")
      #expect(count > 100_000)
      #expect(sweep.ulps <= f.bound, "\(f.name): \(sweep.ulps) ulp at x = \(sweep.at), bound \(f.bound)")
    }
  }

  /// The vector kernels (8 or 16 lanes, AVX2/AVX-512) give the same bits as the
  /// one-lane functions, so the bounds above hold for them.
  @Test func vectorLanesEqualTheOneLaneFunctions() throws {
    let tables = try Self.tables()
    for (op, name) in [(0, "log/float32"), (1, "exp/float32"), (2, "log1p/float32"), (3, "logistic/float32")] {
      let table = try #require(tables[name])
      let x = table.x.prefix(table.x.count / 8 * 8).map { Float($0) }
      var y = [Float](repeating: 0, count: x.count)
      lk_eigen_unary_f32(Int32(op), x, &y, x.count, 8)
      let functions: [(Float) -> Float] = [{ lk_eigen_logf($0) }, { lk_eigen_expf($0) }, { lk_eigen_log1pf($0) }, { lk_eigen_logisticf($0) }]
      let one = functions[op]
      let differing = zip(x, y).filter { one($0).bitPattern != $1.bitPattern }.count
      #expect(differing == 0, "\(name): \(differing) lanes differ from the scalar function")
    }
  }

  @Test func theCLibraryIsWithinOneUlp() throws {
    // glibc's float32 and float64 log, exp, log1p: the scalar tail of TensorFlow's
    // executor and torch's elementwise math.
    let tables = try Self.tables()
    let functions: [(String, Bool, (Double) -> Double)] = [
      ("log/float32", true, { Double(logf(Float($0))) }), ("exp/float32", true, { Double(expf(Float($0))) }),
      ("log1p/float32", true, { Double(log1pf(Float($0))) }), ("log/float64", false, { log($0) }),
      ("exp/float64", false, { exp($0) }), ("log1p/float64", false, { log1p($0) }),
    ]
    for (name, float32, f) in functions {
      let (ulps, at) = Self.worst(try #require(tables[name]), float32: float32, f)
      print("libm \(name): worst \(String(format: "%.3f", ulps)) ulp at x = \(at)")
      #expect(ulps <= 1.0, "\(name): \(ulps) ulp at x = \(at)")
    }
  }
}
