import LossKit

/// An allowed difference `|actual − expected| ≤ absolute + relative·|expected|`.
public struct Tolerance: Sendable, Equatable {
  public var relative: Double
  public var absolute: Double
  /// The absolute part applies only to expected values of smaller magnitude than this;
  /// larger values must meet the relative bound alone.
  public var absoluteBelow: Double

  public init(relative: Double, absolute: Double, absoluteBelow: Double = .infinity) {
    self.relative = relative
    self.absolute = absolute
    self.absoluteBelow = absoluteBelow
  }

  /// Whether `actual` matches `expected`: NaN matches NaN, infinities must be equal,
  /// otherwise the difference is within `relative·|expected|`, plus `absolute` where
  /// `|expected| < absoluteBelow`.
  public func accepts(_ actual: Double, _ expected: Double) -> Bool {
    if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
    if expected.isInfinite || actual.isInfinite { return actual == expected }
    let floor = Swift.abs(expected) < absoluteBelow ? absolute : 0
    return Swift.abs(actual - expected) <= floor + relative * Swift.abs(expected)
  }

  /// The conformance tolerances for loss values.
  ///
  /// LossKit rounds every primitive in the framework's order, sums in its order and runs
  /// its elementary functions where they are reproduced (Eigen's for TensorFlow); the
  /// rest (XLA's and SLEEF's vector math, YNNPACK's sums) differ by a few ulps. Measured
  /// with `Tools/conformance/agreement.py` over the corpus: 91.7–100% of float32 losses
  /// bit-identical per framework, the worst relative error 3.2e-6 outside the absolute
  /// floor's range (optax's `log_cosh` cancellation reaches 9e-4 on a value of 6.7e-5,
  /// inside it).
  ///
  /// - float32: 1e-6 relative (about 8 ulps), plus 1e-7 absolute below a magnitude of 1,
  ///   for results where a one-ulp `exp` difference meets cancellation (`exp(c) − c·z`)
  ///   or that should be 0 and come out as rounding residue.
  /// - float64: 1e-12 relative, plus 1e-15 absolute below a magnitude of 1e-3.
  public static func loss(_ dtype: DType) -> Tolerance {
    dtype == .float32
      ? Tolerance(relative: 1e-6, absolute: 1e-7, absoluteBelow: 1)
      : Tolerance(relative: 1e-12, absolute: 1e-15, absoluteBelow: 1e-3)
  }

  /// The conformance tolerances for gradients: float32 1e-5 relative, plus 1e-7
  /// absolute below a magnitude of 0.1 (entries computed through cancellation, `σ(x) −
  /// y`, `softmax − y`, differ by at most 6e-8 absolute); float64 as for losses.
  public static func gradient(_ dtype: DType) -> Tolerance {
    dtype == .float32
      ? Tolerance(relative: 1e-5, absolute: 1e-7, absoluteBelow: 0.1)
      : Tolerance(relative: 1e-12, absolute: 1e-15, absoluteBelow: 1e-3)
  }
}

/// The result of computing a case.
public enum CaseOutcome: Sendable {
  case computed(LossResult)
  /// LossKit raised: the error's one-line message and, for a ``LossError``, its kind
  /// and argument.
  case failed(message: String, match: ErrorMatch?)
}

/// How a computed case compares with what the framework produced.
public enum CaseVerdict: Sendable, Equatable {
  /// Within tolerance, or both raised the same kind of error.
  case pass
  /// A listed, deliberate difference from the framework (``KnownDeviations``), and
  /// LossKit behaved as documented.
  case deviation(String)
  /// A mismatch, with the reason.
  case fail(String)
}

/// Cases where LossKit deliberately does not do what the framework does. Each must fail
/// with the given error in LossKit.
public enum KnownDeviations {
  public struct Deviation: Sendable {
    public var reason: String
    public var error: ErrorMatch
  }

  public static let cases: [String: Deviation] = [
    "keras/CategoricalGeneralizedCrossEntropy/label-out-of-range-52": Deviation(
      reason: "Keras one-hot encodes an out-of-range label as zeros and returns 1/q with a NaN gradient; "
        + "LossKit reports the label as an error, as it does for every sparse loss",
      error: ErrorMatch(kind: .labelOutOfRange, argument: "y_true"))
  ]
}

/// Runs cases and compares them with what the framework produced.
public enum CaseRunner {
  /// Computes one case; an error becomes `.failed` with its one-line message.
  public static func run(_ lossCase: LossCase, registry: LossRegistry = .standard, path: EvaluationPath = .automatic)
    -> CaseOutcome
  {
    do {
      return .computed(try registry.evaluate(lossCase.request, path: path))
    } catch let error as LossError {
      return .failed(message: "\(error)", match: ErrorMatch(kind: error.kind, argument: error.argument))
    } catch {
      return .failed(message: "\(error)", match: nil)
    }
  }

  /// The verdict for one case, taking ``KnownDeviations`` into account.
  public static func verdict(_ outcome: CaseOutcome, for lossCase: LossCase) -> CaseVerdict {
    if let deviation = KnownDeviations.cases[lossCase.id] {
      guard case .failed(let message, let match) = outcome else {
        return .fail("a listed deviation (\(deviation.reason)), but LossKit computed a value")
      }
      guard match == deviation.error else {
        return .fail("a listed deviation expecting \(describe(deviation.error)), but LossKit raised: \(message)")
      }
      return .deviation(deviation.reason)
    }
    guard let expected = lossCase.expected else {
      if case .failed(let message, _) = outcome { return .fail("LossKit failed: \(message)") }
      return .pass
    }
    return mismatch(outcome, expected: expected).map(CaseVerdict.fail) ?? .pass
  }

  /// The comparison of an outcome with an expectation: nil when it matches, otherwise
  /// why not. An expected error with a `losskit_error` must be matched by kind and
  /// argument; one without accepts any LossKit error.
  public static func mismatch(_ outcome: CaseOutcome, expected: Expectation) -> String? {
    switch (outcome, expected) {
    case (.failed(let message, let actual), .error(_, let required)):
      guard let required else { return nil }
      if actual == required { return nil }
      return "LossKit raised \(actual.map(describe) ?? "an error") (\(message)), expected \(describe(required))"
    case (.computed, .error(let message, _)):
      return "the framework raised (\(message.prefix(160))) but LossKit computed a value"
    case (.failed(let message, _), .values):
      return "LossKit failed: \(message)"
    case (.computed(let result), .values(let loss, let gradient)):
      if let problem = compare(result.loss, loss, Tolerance.loss(result.dtype), what: "loss") { return problem }
      if let gradient, let problem = compare(result.gradient, gradient, Tolerance.gradient(result.gradientDType), what: "grad_y_pred") {
        return problem
      }
      return nil
    }
  }

  static func describe(_ match: ErrorMatch) -> String {
    match.kind.rawValue + (match.argument.map { " on \($0)" } ?? "")
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
