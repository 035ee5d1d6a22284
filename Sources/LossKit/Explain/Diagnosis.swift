import Foundation

/// "Which convention produced this number?": every known convention of every family
/// that fits the inputs (or of one family), and the catalogue of common mistakes
/// (``Mistake``) applied to them, searched for values that reproduce an observed loss
/// within float32 rounding (and the precision the number was written with), ranked:
/// a framework's own loss with no mistake first, then by the prior cost of the mistakes
/// assumed, then by closeness. What `losskit diagnose` prints; `--json` writes this.
///
/// Framework candidates are computed by the framework's own loss (its fused kernel
/// where it has one); the epsilon, clipping and label mistakes of a hand-written
/// implementation by the family's ``ReferenceFormula`` (framework `numpy`, loss = the
/// family name).
public struct Diagnosis: Sendable, Encodable {
  public struct Candidate: Sendable, Encodable {
    /// A framework (`keras`, `tf_keras`, `tf`, …) or `numpy` for a hand-written formula.
    public var framework: String
    /// The framework's loss name, or the family name for `numpy`.
    public var loss: String
    /// The loss's parameters in the framework's spelling (for `numpy`: `epsilon`,
    /// `stability`, `dtype`, `form`).
    public var params: ParameterList
    public var mistakes: [Mistake]
    public var value: Double
    public var recipe: String
    public var family: String
    /// The dtype the value is exact in.
    public var dtype: String
    /// 0: within the precision of the observed number and of the candidate's dtype;
    /// 1: within float32 rounding only; 2: no match (a nearest candidate).
    public var tier: Int
    /// The prior cost of the candidate's assumptions (0 for a framework's own loss).
    public var cost: Double

    enum CodingKeys: String, CodingKey { case framework, loss, params, mistakes, value, recipe, family, dtype, tier, cost }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(framework, forKey: .framework)
      try c.encode(loss, forKey: .loss)
      try c.encode(params, forKey: .params)
      try c.encode(mistakes, forKey: .mistakes)
      try DTypedNumbers.encode(value, dtype, in: &c, forKey: .value)
      try c.encode(recipe, forKey: .recipe)
      try c.encode(family, forKey: .family)
      try c.encode(dtype, forKey: .dtype)
      try c.encode(tier, forKey: .tier)
      try c.encode(cost, forKey: .cost)
    }
  }

  public var observed: Double
  /// Whether some candidate reproduces the observed value.
  public var matched: Bool
  /// The largest difference accepted as a match.
  public var tolerance: Double
  /// The families searched.
  public var families: [String]
  /// The candidates that reproduce the observed value, best first.
  public var candidates: [Candidate]
  /// When nothing matches: the closest values found.
  public var nearest: [Candidate]
}

/// What to search.
public struct DiagnosisOptions: Sendable {
  /// Only this family; nil: every family that fits the inputs.
  public var family: FamilyID?
  /// The observed number as the user wrote it: its digits set the precision a match needs.
  public var observedText: String?
  /// Family parameters to use instead of searching (`label_smoothing`, `gamma`, `delta`).
  public var parameters: ParameterList
  public var maximumCandidates: Int
  /// Inputs with more elements skip framework variants that have no fused kernel
  /// (the reference formula still covers them).
  public var tracedLimit: Int

  public init(
    family: FamilyID? = nil, observedText: String? = nil, parameters: ParameterList = [:], maximumCandidates: Int = 25,
    tracedLimit: Int = 100_000
  ) {
    self.family = family
    self.observedText = observedText
    self.parameters = parameters
    self.maximumCandidates = maximumCandidates
    self.tracedLimit = tracedLimit
  }
}

extension Diagnosis {
  /// Searches for conventions that reproduce `observed` on `inputs`.
  ///
  /// - Throws: ``LossError`` for an unknown family; inputs no family fits give an empty
  ///   diagnosis, not an error.
  public static func diagnose(
    _ inputs: FamilyInputs, observed: Double, options: DiagnosisOptions = DiagnosisOptions(),
    registry: LossRegistry = .standard
  ) throws -> Diagnosis {
    let families = registry.families
    let inputs = inputs.atLeastOneDimensional
    let searched: [LossFamily]
    if let id = options.family {
      searched = [try families.family(id)]
    } else {
      searched = families.families.filter { FamilyFit.fits($0, inputs.rounded) }
    }
    var search = Search(inputs: inputs.rounded, options: options, registry: registry)
    for family in searched { search.run(family) }
    let tolerance = Precision.tolerance(observed: observed, text: options.observedText)
    var matches: [Candidate] = []
    var misses: [(Candidate, Double)] = []
    for found in search.found {
      let candidate = found.candidate(observed: observed, text: options.observedText, tolerance: tolerance)
      if candidate.tier < 2 { matches.append(candidate) } else { misses.append((candidate, found.distance(to: observed))) }
    }
    matches.sort { ($0.tier, $0.cost, Precision.relativeError($0.value, observed)) < ($1.tier, $1.cost, Precision.relativeError($1.value, observed)) }
    matches = Self.unique(matches)
    // The nearest: the plainest recipes first among those close in value (relative
    // distance in buckets of 1%).
    misses.sort { (($0.1 * 100).rounded(.down), $0.0.cost, $0.1) < (($1.1 * 100).rounded(.down), $1.0.cost, $1.1) }
    let nearest = matches.isEmpty ? Array(Self.unique(misses.map(\.0)).prefix(5)) : []
    return Diagnosis(
      observed: observed, matched: !matches.isEmpty, tolerance: tolerance, families: searched.map(\.id.rawValue),
      candidates: Array(matches.prefix(options.maximumCandidates)), nearest: nearest)
  }

  /// Half a unit in the last significant digit of a number as written (`16.118` → 0.0005).
  public static func digitTolerance(_ text: String) -> Double? { Precision.digitTolerance(text) }

  /// The first of each (framework, loss, params, mistakes).
  static func unique(_ candidates: [Candidate]) -> [Candidate] {
    var seen = Set<String>()
    return candidates.filter { c in
      seen.insert("\(c.framework)|\(c.loss)|\(c.params.map { "\($0.name)=\($0.value)" })|\(c.mistakes)").inserted
    }
  }
}

/// Which families fit the shapes and values of the inputs.
enum FamilyFit {
  static func fits(_ family: LossFamily, _ inputs: FamilyInputs) -> Bool {
    let y = inputs.yTrue.scalars
    let p = inputs.yPred.shape
    guard !y.isEmpty, inputs.yPred.count > 0, !y.contains(where: \.isNaN) else { return false }
    let same = inputs.yTrue.shape == p
    switch family.targets {
    case .binary:
      return same && y.allSatisfy { $0 >= 0 && $0 <= 1 }
    case .signed, .signedOrBinary:
      return same && y.allSatisfy { $0 == -1 || $0 == 0 || $0 == 1 }
    case .values:
      if family.id == .poisson { return same && y.allSatisfy { $0 >= 0 } }
      if family.id == .cosineSimilarity { return same && p.count >= 1 && (p.last ?? 0) >= 2 }
      return same
    case .distribution:
      guard same, p.count >= 1, let c = p.last, c >= 2, y.allSatisfy({ $0 >= 0 }) else { return false }
      return InputLint.rowsSumToOne(inputs.yTrue)
    case .classIndices:
      guard p.count >= 1, let c = p.last, c >= 2 else { return false }
      let rowsShape = Array(p.dropLast())
      guard inputs.yTrue.shape == rowsShape || inputs.yTrue.shape == rowsShape + [1] else { return false }
      guard y.allSatisfy({ $0 >= 0 && $0 < Double(c) && $0.rounded() == $0 }) else { return false }
      if family.id == .nll { return inputs.yPred.scalars.allSatisfy { $0 <= 0 } }
      return true
    }
  }

  /// A small prior cost for regression families when the labels look like classes.
  static func cost(_ family: LossFamily, _ inputs: FamilyInputs) -> Double {
    let binaryLabels = inputs.yTrue.scalars.allSatisfy { $0 == 0 || $0 == 1 }
    switch family.targets {
    case .values: return binaryLabels ? 0.5 : 0
    case .signed: return inputs.yTrue.scalars.contains(-1) ? 0 : 0.3
    default: return 0
    }
  }
}

/// How precisely an observed number pins down a value.
enum Precision {
  /// Half a unit in the last digit written (`16.118` → 0.0005), at least float32
  /// rounding (4e-6 relative, 1e-7 absolute: faithful float32 sums differ by a few ulps).
  static func tolerance(observed: Double, text: String?) -> Double {
    Swift.max(digitTolerance(text) ?? 0, 4e-6 * Swift.abs(observed), 1e-7)
  }

  /// Half a unit in the last significant digit of `text`, or nil.
  static func digitTolerance(_ text: String?) -> Double? {
    guard var text = text?.lowercased(), !text.isEmpty else { return nil }
    var exponent = 0
    if let e = text.firstIndex(of: "e") {
      exponent = Int(text[text.index(after: e)...]) ?? 0
      text = String(text[..<e])
    }
    text = text.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
    let decimals = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
    guard text.contains(where: \.isNumber) else { return nil }
    return 0.5 * pow(10, Double(exponent - decimals))
  }

  /// The number of significant digits of `text`.
  static func significantDigits(_ text: String?) -> Int {
    guard var text = text?.lowercased() else { return 17 }
    if let e = text.firstIndex(of: "e") { text = String(text[..<e]) }
    let digits = text.filter(\.isNumber).drop { $0 == "0" }
    return digits.count
  }

  static func relativeError(_ value: Double, _ observed: Double) -> Double {
    if value.isNaN && observed.isNaN { return 0 }
    if value == observed { return 0 }
    let difference = Swift.abs(value - observed)
    return difference.isNaN ? .infinity : difference / Swift.max(Swift.abs(observed), 1e-300)
  }

  /// 0 when `value` (exact in `dtype`) matches `observed` within the precision of both,
  /// 1 within float32 rounding, 2 otherwise.
  static func tier(_ value: Double, dtype: DType, observed: Double, text: String?, tolerance: Double) -> Int {
    if value.isNaN || observed.isNaN { return value.isNaN && observed.isNaN ? 0 : 2 }
    if value.isInfinite || observed.isInfinite { return value == observed ? 0 : 2 }
    let difference = Swift.abs(value - observed)
    guard difference <= tolerance else { return 2 }
    let ulp = dtype == .float32 ? Double(Float(observed).ulp) * 4 : observed.ulp * 64
    let exact = difference <= Swift.max(digitTolerance(text) ?? 0, ulp)
    guard exact else { return 1 }
    // A float32 computation cannot produce a number that float32 cannot hold, written
    // with more digits than float32 has; a float64 one rarely lands on a float32 exactly.
    let digits = significantDigits(text)
    let isFloat32 = Double(Float(observed)) == observed
    if dtype == .float32 && !isFloat32 && digits > 9 { return 1 }
    if dtype == .float64 && isFloat32 && digits > 9 && value != observed { return 1 }
    return 0
  }
}
