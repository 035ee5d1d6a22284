/// How a hand-written cross-entropy keeps `log(0)` finite: the epsilon conventions of
/// user-pain.md §2.
public enum Stability: Hashable, Sendable {
  /// Plain `log(p)`: 0 gives ∞ (and `0·log 0` NaN, as numpy computes it).
  case none
  /// `p` clipped to `[ε, 1 − ε]` first (Keras 3, numpy `np.clip`, scikit-learn).
  case clip(Double)
  /// `log(p + ε)` and `log(1 − p + ε)`, no clip (Flux, MXNet, many hand-written versions).
  case epsilonInLog(Double)
  /// Both: clipped and then `ε` inside each log (tf.keras 2.x).
  case clipAndEpsilonInLog(Double)
  /// `max(log p, lower)`: torch's `BCELoss` clamps each log at −100.
  case logClamp(Double)

  /// The ε, if the convention has one.
  public var epsilon: Double? {
    switch self {
    case .none, .logClamp: nil
    case .clip(let e), .epsilonInLog(let e), .clipAndEpsilonInLog(let e): e
    }
  }
}

/// A family's textbook formula, written the way people write it by hand (in numpy):
/// the base that diagnose applies its epsilon, clipping, label and activation mistakes
/// to, and the "numpy" rows of compare and plot. It computes in `S` (numpy computes in
/// its arrays' dtype) with the C library's `log`/`exp`, one rounding per operation.
public struct ReferenceFormula: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, nll
    case focal, mse, mae, huber, logCosh, hinge, poisson, klDivergence, cosineSimilarity
  }

  public var kind: Kind
  /// What `y_pred` is read as: probabilities or logits (cross-entropies, focal),
  /// rates or log-rates (Poisson), values (regression).
  public var form: PredictionForm
  public var stability: Stability
  /// `gamma` (focal), `delta` (Huber).
  public var parameter: Double

  public init(_ kind: Kind, form: PredictionForm, stability: Stability = .none, parameter: Double = 0) {
    self.kind = kind
    self.form = form
    self.stability = stability
    self.parameter = parameter
  }

  /// Whether the formula takes a log of a probability, so that the epsilon conventions apply.
  public var hasProbabilityLog: Bool {
    switch (kind, form) {
    case (.binaryCrossentropy, .probabilities), (.categoricalCrossentropy, .probabilities),
      (.sparseCategoricalCrossentropy, .probabilities), (.focal, .probabilities), (.klDivergence, _):
      true
    case (.poisson, .values):
      true
    default: false
    }
  }

  /// Whether `y_pred` holds one class axis (the last) that rows are formed along.
  public var isRowwise: Bool {
    [.categoricalCrossentropy, .sparseCategoricalCrossentropy, .nll, .cosineSimilarity].contains(kind)
  }

  /// The per-element losses (per row for row-wise kinds) of `yPred` against `yTrue`,
  /// computed in `S`. Sparse kinds take `yTrue` as class indices, one per row.
  ///
  /// - Throws: ``LossError`` for shapes that do not fit or a label out of range.
  public func perUnit<S: LossScalar>(yTrue: Tensor<S>, yPred: Tensor<S>) throws -> [S] {
    let p = yPred.scalars
    let y = yTrue.scalars
    switch kind {
    case .sparseCategoricalCrossentropy, .nll:
      guard let classes = yPred.shape.last, classes > 0 else {
        throw LossError.shapeMismatch(argument: "y_pred", expected: "a class axis", got: Shape.describe(yPred.shape))
      }
      let rows = yPred.count / classes
      guard y.count == rows else {
        throw LossError.shapeMismatch(
          argument: "y_true", expected: "\(rows) labels", got: Shape.describe(yTrue.shape))
      }
      return try (0..<rows).map { r in
        guard let label = Int(exactly: Double(y[r])), label >= 0, label < classes else {
          throw LossError.labelOutOfRange(argument: "y_true", label: Int(Double(y[r])), classes: classes)
        }
        let row = p[(r * classes)..<((r + 1) * classes)]
        switch (kind, form) {
        case (.nll, _): return -row[row.startIndex + label]
        case (_, .logits): return Self.logSumExp(row) - row[row.startIndex + label]
        default: return -logProbability(row[row.startIndex + label])
        }
      }
    default:
      break
    }
    try Shape.requireSame(yTrue.shape, "y_true", as: yPred.shape, "y_pred")
    if isRowwise {
      guard let classes = yPred.shape.last, classes > 0 else {
        throw LossError.shapeMismatch(argument: "y_pred", expected: "a class axis", got: Shape.describe(yPred.shape))
      }
      return (0..<(yPred.count / classes)).map { r in
        let range = (r * classes)..<((r + 1) * classes)
        return row(y[range], p[range])
      }
    }
    return zip(y, p).map { element($0, $1) }
  }

  /// `log p` under the stability convention (the positive-class term).
  @inline(__always)
  func logProbability<S: LossScalar>(_ p: S) -> S {
    switch stability {
    case .none: return S.log(p)
    case .clip(let e): return S.log(Swift.min(Swift.max(p, S(e)), S(1 - e)))
    case .epsilonInLog(let e): return S.log(p + S(e))
    case .clipAndEpsilonInLog(let e): return S.log(Swift.min(Swift.max(p, S(e)), S(1 - e)) + S(e))
    case .logClamp(let lower): return Swift.max(S.log(p), S(lower))
    }
  }

  /// `log(1 − p)` under the stability convention (the negative-class term).
  @inline(__always)
  func logComplement<S: LossScalar>(_ p: S) -> S {
    switch stability {
    case .none: return S.log(1 - p)
    case .clip(let e): return S.log(1 - Swift.min(Swift.max(p, S(e)), S(1 - e)))
    case .epsilonInLog(let e): return S.log(1 - p + S(e))
    case .clipAndEpsilonInLog(let e): return S.log(1 - Swift.min(Swift.max(p, S(e)), S(1 - e)) + S(e))
    case .logClamp(let lower): return Swift.max(S.log(1 - p), S(lower))
    }
  }

  @inline(__always)
  func sigmoidCrossEntropy<S: LossScalar>(_ y: S, _ x: S) -> S {
    Swift.max(x, 0) - x * y + S.log1p(S.exp(-Swift.abs(x)))
  }

  @inline(__always)
  func element<S: LossScalar>(_ y: S, _ p: S) -> S {
    switch kind {
    case .binaryCrossentropy:
      if form == .logits { return sigmoidCrossEntropy(y, p) }
      return -(y * logProbability(p) + (1 - y) * logComplement(p))
    case .focal:
      let probability = form == .logits ? 1 / (1 + S.exp(-p)) : p
      let ce = form == .logits ? sigmoidCrossEntropy(y, p) : -(y * logProbability(p) + (1 - y) * logComplement(p))
      let pt = y * probability + (1 - y) * (1 - probability)
      return S.pow(1 - pt, S(parameter)) * ce
    case .mse:
      let d = y - p
      return d * d
    case .mae:
      return Swift.abs(y - p)
    case .huber:
      let d = Swift.abs(y - p)
      let delta = S(parameter)
      return d <= delta ? S(0.5) * d * d : delta * (d - S(0.5) * delta)
    case .logCosh:
      return S.log(S.cosh(p - y))
    case .hinge:
      return Swift.max(0, 1 - y * p)
    case .poisson:
      if form == .logRates { return S.exp(p) - y * p }
      return p - y * logProbability(p)
    case .klDivergence:
      if form == .logProbabilities { return y > 0 ? y * (S.log(y) - p) : 0 }
      let target = stability == .none ? y : Swift.min(Swift.max(y, S(stability.epsilon ?? 0)), 1)
      return target > 0 ? target * (S.log(target) - logProbability(p)) : 0
    case .categoricalCrossentropy, .sparseCategoricalCrossentropy, .nll, .cosineSimilarity:
      preconditionFailure("row-wise kind \(kind) has no elementwise formula")
    }
  }

  func row<S: LossScalar>(_ y: ArraySlice<S>, _ p: ArraySlice<S>) -> S {
    switch kind {
    case .categoricalCrossentropy:
      if form == .logits {
        let lse = Self.logSumExp(p)
        return zip(y, p).reduce(S(0)) { $0 + $1.0 * (lse - $1.1) }
      }
      return -zip(y, p).reduce(S(0)) { $0 + $1.0 * logProbability($1.1) }
    case .cosineSimilarity:
      let dot = zip(y, p).reduce(S(0)) { $0 + $1.0 * $1.1 }
      let ny = y.reduce(S(0)) { $0 + $1 * $1 }.squareRoot()
      let np = p.reduce(S(0)) { $0 + $1 * $1 }.squareRoot()
      return -dot / (ny * np)
    default:
      preconditionFailure("elementwise kind \(kind) has no row formula")
    }
  }

  static func logSumExp<S: LossScalar>(_ x: ArraySlice<S>) -> S {
    guard let m = x.max(), m.isFinite else { return x.max() ?? -S.infinity }
    return m + S.log(x.reduce(S(0)) { $0 + S.exp($1 - m) })
  }
}
