import CLossKitKernels

/// A sum kept as a double-double, `hi + lo`: every addition's rounding error is carried
/// (TwoSum), so the pair equals the exact sum of its float32 or float64 terms to about
/// 2^-100 relative, and rounding it once gives the correctly rounded sum except within
/// that distance of a rounding midpoint. Sums merge by ``add(_:)``, so shards of an
/// input combine into the sum of the whole.
public struct ExactSum: Sendable, Hashable, Codable {
  public private(set) var hi: Double
  public private(set) var lo: Double

  public init() { hi = 0; lo = 0 }
  public init(hi: Double, lo: Double) { (self.hi, self.lo) = ExactSum.normalized(hi, lo) }

  /// Adds one value exactly.
  public mutating func add(_ x: Double) {
    let (s, e) = ExactSum.twoSum(hi, x)
    (hi, lo) = ExactSum.normalized(s, e + lo)
  }

  /// Adds another sum (double-double addition).
  public mutating func add(_ other: ExactSum) {
    let (s, e) = ExactSum.twoSum(hi, other.hi)
    let (t, f) = ExactSum.twoSum(lo, other.lo)
    var (h, l) = ExactSum.normalized(s, e + t)
    (h, l) = ExactSum.normalized(h, l + f)
    (hi, lo) = (h, l)
  }

  /// Adds float32 values (times `weights` when given; products are exact in double),
  /// with the vectorised kernel.
  public mutating func add(_ values: UnsafeBufferPointer<Float>, weights: UnsafeBufferPointer<Float>? = nil) {
    var h = 0.0, l = 0.0
    lk_dd_sum_f32(values.baseAddress, weights?.baseAddress, values.count, &h, &l)
    add(ExactSum(hi: h, lo: l))
  }

  /// Adds float64 values exactly (weights multiplied with their own rounding error).
  public mutating func add(_ values: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>? = nil) {
    for i in 0..<values.count {
      guard let weights else { add(values[i]); continue }
      let p = values[i] * weights[i]
      add(p)
      add((-p).addingProduct(values[i], weights[i]))  // the product's rounding error (FMA)
    }
  }

  /// The sum times `factor` as a double-double: `hi · factor` with its rounding error
  /// (one FMA), plus `lo · factor`.
  public func multiplied(by factor: Double) -> ExactSum {
    let p = hi * factor
    guard p.isFinite else { return ExactSum(hi: p, lo: 0) }
    return ExactSum(hi: p, lo: (-p).addingProduct(hi, factor) + lo * factor)
  }

  /// The sum divided by `divisor` as a double-double: the quotient of `hi`, then the
  /// exact remainder `hi − q·divisor` (one FMA) plus `lo`, divided again.
  public func divided(by divisor: Double) -> ExactSum {
    let q = hi / divisor
    guard q.isFinite, divisor != 0 else { return ExactSum(hi: q, lo: 0) }
    let remainder = hi.addingProduct(-q, divisor)
    return ExactSum(hi: q, lo: (remainder + lo) / divisor)
  }

  /// The sum divided by another double-double.
  public func divided(by divisor: ExactSum) -> ExactSum {
    let q = hi / divisor.hi
    guard q.isFinite, divisor.hi != 0 else { return ExactSum(hi: q, lo: 0) }
    let p = q * divisor.hi
    let e = q.addingProduct(divisor.hi, -p) == 0 ? (-p).addingProduct(q, divisor.hi) : (-p).addingProduct(q, divisor.hi)
    let remainder = ((hi - p) - e) + lo - q * divisor.lo
    return ExactSum(hi: q, lo: remainder / divisor.hi)
  }

  /// The correctly rounded double.
  public var rounded: Double { hi + lo }

  /// The correctly rounded float: `hi` rounded, unless `hi` sits exactly on a float
  /// midpoint, where `lo` decides.
  public var roundedFloat: Float {
    guard hi.isFinite else { return Float(hi + lo) }
    let f = Float(hi)
    let back = Double(f)
    if back == hi || lo == 0 { return f }
    // Is hi exactly halfway between f and its neighbour towards hi?
    let neighbour = Double(hi > back ? f.nextUp : f.nextDown)
    let midpoint = (back + neighbour) / 2
    if hi == midpoint {
      // The exact value is beyond the midpoint when lo points away from f.
      return (lo > 0) == (neighbour > back) ? Float(neighbour) : f
    }
    return f
  }

  static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
    let s = a + b
    let bp = s - a
    return (s, (a - (s - bp)) + (b - bp))
  }

  static func normalized(_ a: Double, _ b: Double) -> (Double, Double) {
    let s = a + b
    guard s.isFinite else { return (s, 0) }
    return (s, b - (s - a))
  }
}
