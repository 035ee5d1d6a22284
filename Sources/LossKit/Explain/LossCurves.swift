import Foundation

/// The per-element loss of each framework convention of a family (or its derivative
/// with respect to `y_pred`, as the framework's autodiff computes it) against the
/// prediction: the data of `losskit plot`.
///
/// For probability families the x axis is the predicted probability of the target class
/// on a log-odds scale (`log₁₀ p − log₁₀(1 − p)`), which opens up both ends so that the
/// clip plateaus (ε = 1e-7), the float32 rounding of 1 − ε and torch's −100 log clamp
/// are visible; logits members are fed `logit(p)`. Values are computed in `dtype` (the
/// float32 `p` is what the framework sees).
public struct LossCurves: Sendable {
  public struct Curve: Sendable {
    /// `keras`, `tf_keras`, `numpy`, …
    public var framework: String
    /// The legend text.
    public var label: String
    /// One value per point (loss or derivative); NaN where the framework gives none.
    public var values: [Double]
    /// A reference formula rather than a framework (drawn dashed).
    public var isReference: Bool
  }

  public var family: FamilyID
  public var title: String
  public var yTrue: Double
  public var gradient: Bool
  public var dtype: DType
  public var domain: PlotDomain
  /// The x coordinate of each point: log-odds for probabilities, the prediction for real values.
  public var x: [Double]
  /// The prediction at each point.
  public var predictions: [Double]
  public var curves: [Curve]

  /// The curves of `family`'s members (one per framework and prediction form; the
  /// primary members unless `frameworks` names others; `numpy` adds the reference
  /// formula, plain and with torch's −100 log clamp).
  public static func compute(
    _ family: FamilyID, yTrue: Double = 1, gradient: Bool = false, frameworks: [String]? = nil, points: Int = 481,
    dtype: DType = .float32, registry: LossRegistry = .standard
  ) throws -> LossCurves {
    let families = registry.families
    let info = try families.family(family)
    var x: [Double] = []
    var predictions: [Double] = []
    switch info.plot {
    case .probability:
      // log-odds from −46 (p ≈ 1e-46: below float32's smallest subnormal) to 9 (1 − p = 1e-9: rounds to 1).
      for i in 0..<points {
        let s = -46 + 55 * Double(i) / Double(points - 1)
        x.append(s)
        predictions.append(1 / (1 + pow(10, -s)))
      }
    case .real:
      for i in 0..<points {
        let v = yTrue - 3 + 6 * Double(i) / Double(points - 1)
        x.append(v)
        predictions.append(v)
      }
    }
    let round: (Double) -> Double = { dtype == .float32 ? Double(Float($0)) : $0 }
    let p = predictions.map(round)
    var curves: [Curve] = []
    var seenFrameworks = Set<String>()
    for member in registry.registeredMembers(of: family) {
      let name = member.framework.rawValue
      if let frameworks {
        guard frameworks.contains(name) else { continue }
      } else if !member.isPrimary {
        continue
      }
      guard let inputs = plotInputs(member, info, yTrue: yTrue, p: p, dtype: dtype) else { continue }
      let values: [Double]
      do {
        if let translation = member.reduction, !translation.supports(.none) {
          // A metric that only averages (scikit-learn's): each point on its own.
          values = try pointByPoint(member, inputs, info, gradient: gradient, families: families, registry: registry)
        } else {
          let request = try families.request(for: member, inputs, reduction: member.reduction == nil ? nil : FamilyReduction.none)
          let result = try registry.evaluate(request)
          values = gradient ? gradientAtPrediction(result.gradient, info) : result.loss.scalars
        }
      } catch {
        continue
      }
      let form = member.form == .logits ? ", logits = logit(p)" : ""
      var label = "\(name) \(member.loss)\(member.parameters.isEmpty ? "" : "(" + member.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")")\(form)"
      if seenFrameworks.contains(label) { label += " #\(curves.count)" }
      seenFrameworks.insert(label)
      curves.append(Curve(framework: name, label: label, values: values, isReference: false))
    }
    if !gradient, frameworks == nil || frameworks!.contains("numpy"), let reference = info.reference {
      var plain = reference
      plain.parameter = info.parameters["gamma"] ?? info.parameters["delta"] ?? reference.parameter
      var variants: [(String, ReferenceFormula)] = [("numpy textbook (no ε)", plain)]
      if plain.hasProbabilityLog {
        var clamp = plain
        clamp.stability = .logClamp(-100)
        variants.append(("log clamped at −100 (torch BCELoss's convention)", clamp))
      }
      for (label, formula) in variants {
        guard let inputs = referenceInputs(info, yTrue: yTrue, p: p) else { continue }
        let values = try formula.perUnit(inputs, in: dtype)
        curves.append(Curve(framework: "numpy", label: label, values: values, isReference: true))
      }
    }
    let what = gradient ? "∂ loss / ∂ y_pred per element" : "per-element loss"
    return LossCurves(
      family: family, title: "\(info.title), y_true = \(yTrue == yTrue.rounded() ? String(Int(yTrue)) : String(yTrue)): \(what) (\(dtype.rawValue))",
      yTrue: yTrue, gradient: gradient, dtype: dtype, domain: info.plot, x: x, predictions: predictions, curves: curves)
  }

  /// The inputs that put prediction `p` on each point for `member`: elementwise
  /// families one element per point; categorical ones a two-class row `[p, 1 − p]` with
  /// class 0 the target (`y_true = 1`) or not (`y_true = 0`).
  static func plotInputs(_ member: FamilyMember, _ family: LossFamily, yTrue: Double, p: [Double], dtype: DType) -> FamilyInputs? {
    let n = p.count
    func logit(_ q: Double) -> Double { Foundation.log(q) - Foundation.log1p(-q) }
    switch family.granularity {
    case .element:
      let predictions = member.form == .logits ? p.map(logit) : (member.form == .logRates ? p.map { Foundation.log($0) } : p)
      // (n, 1): a mean over the last axis is the element itself.
      return FamilyInputs(
        yTrue: Tensor(shape: [n, 1], scalars: Array(repeating: yTrue, count: n)),
        yPred: Tensor(shape: [n, 1], scalars: predictions), dtype: dtype)
    case .row:
      var rows: [Double] = []
      for q in p {
        let pair = [q, 1 - q]
        rows += member.form == .logits ? pair.map { Foundation.log(Swift.max($0, 0)) } : pair
      }
      let target = yTrue >= 0.5 ? 0 : 1
      let labels: Tensor<Double> =
        member.targets == .classIndices
        ? Tensor(shape: [n], scalars: Array(repeating: Double(target), count: n))
        : Tensor(shape: [n, 2], scalars: (0..<n).flatMap { _ in target == 0 ? [1.0, 0.0] : [0.0, 1.0] })
      return FamilyInputs(yTrue: labels, yPred: Tensor(shape: [n, 2], scalars: rows), dtype: dtype)
    }
  }

  /// Each point (one row of the plot inputs) evaluated alone: its mean is its loss.
  static func pointByPoint(
    _ member: FamilyMember, _ inputs: FamilyInputs, _ family: LossFamily, gradient: Bool, families: LossFamilies,
    registry: LossRegistry
  ) throws -> [Double] {
    let rows = inputs.yPred.shape[0]
    func row(_ t: Tensor<Double>, _ i: Int) -> Tensor<Double> {
      let width = t.count / Swift.max(rows, 1)
      return Tensor(shape: [1] + Array(t.shape.dropFirst()), scalars: Array(t.scalars[(i * width)..<((i + 1) * width)]))
    }
    return try (0..<rows).map { i in
      let point = FamilyInputs(yTrue: row(inputs.yTrue, i), yPred: row(inputs.yPred, i), dtype: inputs.dtype)
      let result = try registry.evaluate(try families.request(for: member, point))
      return gradient ? gradientAtPrediction(result.gradient, family)[0] : result.loss.scalars[0]
    }
  }

  static func referenceInputs(_ family: LossFamily, yTrue: Double, p: [Double]) -> FamilyInputs? {
    let member = FamilyMember(
      family.id, .keras, "", form: family.reference?.form ?? .probabilities, targets: family.targets, reduction: nil,
      perSample: .elements, convention: "")
    return plotInputs(member, family, yTrue: yTrue, p: p, dtype: .float64)
  }

  /// The derivative at the plotted prediction: the element itself, or the target-class
  /// entry of a two-class row.
  static func gradientAtPrediction(_ gradient: Tensor<Double>, _ family: LossFamily) -> [Double] {
    family.granularity == .element ? gradient.scalars : stride(from: 0, to: gradient.count, by: 2).map { gradient.scalars[$0] }
  }
}
