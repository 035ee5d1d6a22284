import LossKit

/// An allowed difference `|actual − expected| ≤ absolute + relative·|expected|`.
public struct Tolerance: Sendable, Equatable {
  public var relative: Double
  public var absolute: Double

  public init(relative: Double, absolute: Double) {
    self.relative = relative
    self.absolute = absolute
  }

  /// Whether `actual` matches `expected`: NaN matches NaN, infinities must be equal,
  /// otherwise the difference is within the bound.
  public func accepts(_ actual: Double, _ expected: Double) -> Bool {
    if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
    if expected.isInfinite || actual.isInfinite { return actual == expected }
    return Swift.abs(actual - expected) <= absolute + relative * Swift.abs(expected)
  }

  /// The conformance tolerances for loss values.
  ///
  /// LossKit rounds every primitive to the dtype in TensorFlow's order and sums in
  /// Eigen's order, but its `exp`/`log`/`log1p` come from the C library while TF's
  /// vectorized kernels use Eigen's polynomials, which differ by 1–3 ulps. Measured on
  /// the corpus (`Tools/conformance/agreement.py`): 89% of float32 losses are
  /// bit-identical, the rest within 1.4e-6 relative.
  ///
  /// - float32: 1e-6 relative (about 8 ulps) plus 1e-7 absolute, for results where a
  ///   one-ulp `exp` difference meets cancellation (`exp(c) − c·z` ≈ −0.18 differs by
  ///   2.4e-7) or that should be 0 and come out as rounding residue.
  /// - float64: 1e-12 relative plus 1e-15 absolute (measured: 1e-14 at worst).
  public static func loss(_ dtype: DType) -> Tolerance {
    dtype == .float32 ? Tolerance(relative: 1e-6, absolute: 1e-7) : Tolerance(relative: 1e-12, absolute: 1e-15)
  }

  /// The conformance tolerances for gradients: float32 1e-5 relative plus 1e-7
  /// absolute; float64 as for losses. Measured: every float32 gradient entry of
  /// magnitude ≥ 0.01 is within 1e-5 relative (76% bit-identical); smaller entries
  /// computed through cancellation (`σ(x) − y`, `softmax − y`) differ by at most
  /// 6e-8 absolute.
  public static func gradient(_ dtype: DType) -> Tolerance {
    dtype == .float32 ? Tolerance(relative: 1e-5, absolute: 1e-7) : Tolerance(relative: 1e-12, absolute: 1e-15)
  }
}

/// The result of computing a case.
public enum CaseOutcome: Sendable {
  case computed(LossResult)
  case failed(String)
}

/// Runs cases and compares them with what the framework produced.
public enum CaseRunner {
  /// Computes one case; any error becomes `.failed` with its one-line message.
  public static func run(_ lossCase: LossCase, registry: LossRegistry = .standard) -> CaseOutcome {
    do {
      return .computed(try registry.evaluate(lossCase.request))
    } catch {
      return .failed("\(error)")
    }
  }

  /// The verdict for one case: nil when it matches, otherwise why not.
  public static func mismatch(_ outcome: CaseOutcome, expected: Expectation) -> String? {
    switch (outcome, expected) {
    case (.failed, .error):
      return nil
    case (.computed, .error(let message)):
      return "the framework raised (\(message.prefix(160))) but LossKit computed a value"
    case (.failed(let message), .values):
      return "LossKit failed: \(message)"
    case (.computed(let result), .values(let loss, let gradient)):
      if let problem = compare(result.loss, loss, Tolerance.loss(result.dtype), what: "loss") { return problem }
      if let gradient, let problem = compare(result.gradient, gradient, Tolerance.gradient(result.dtype), what: "grad_y_pred") {
        return problem
      }
      return nil
    }
  }

  /// Compares shapes, then every element within `tolerance`.
  public static func compare(
    _ actual: Tensor<Double>, _ expected: Tensor<Double>, _ tolerance: Tolerance, what: String
  ) -> String? {
    guard actual.shape == expected.shape else {
      return "\(what): shape \(actual.shape), expected \(expected.shape)"
    }
    var worst: (index: Int, excess: Double)? = nil
    for i in 0..<actual.count where !tolerance.accepts(actual.scalars[i], expected.scalars[i]) {
      let bound = tolerance.absolute + tolerance.relative * Swift.abs(expected.scalars[i])
      // A NaN on one side only is the worst kind of mismatch; keep the first one found.
      let difference = Swift.abs(actual.scalars[i] - expected.scalars[i])
      let excess = difference.isNaN ? Double.infinity : difference / bound
      if worst == nil || excess > worst!.excess { worst = (i, excess) }
    }
    guard let worst else { return nil }
    let a = actual.scalars[worst.index]
    let e = expected.scalars[worst.index]
    let relative = e == 0 ? Swift.abs(a) : Swift.abs(a - e) / Swift.abs(e)
    return "\(what)[\(worst.index)] = \(a), expected \(e) (relative error \(relative), tolerance \(tolerance.relative) rel + \(tolerance.absolute) abs)"
  }
}
