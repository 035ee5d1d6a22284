import Foundation

/// One value found by the search, before it is ranked against the observed number.
struct Found {
  var framework: String
  var loss: String
  var params: ParameterList
  var mistakes: [Mistake]
  var value: Double
  var dtype: DType
  var family: FamilyID
  var cost: Double
  var recipe: String

  func candidate(observed: Double, text: String?, tolerance: Double) -> Diagnosis.Candidate {
    Diagnosis.Candidate(
      framework: framework, loss: loss, params: params, mistakes: mistakes, value: value, recipe: recipe,
      family: family.rawValue, dtype: dtype.rawValue,
      tier: Precision.tier(value, dtype: dtype, observed: observed, text: text, tolerance: tolerance),
      cost: (cost * 100).rounded() / 100)
  }

  func distance(to observed: Double) -> Double { Precision.relativeError(value, observed) }
}

/// An elementwise variant of a convention: the per-element (per-row) losses one base
/// computes after its input, dtype, label or formula mistakes, ready for the
/// reduction mistakes.
struct Variant {
  var framework: String
  var loss: String
  var params: ParameterList
  var mistakes: [Mistake]
  var phrases: [String]
  var units: [Double]
  var dtype: DType
  /// The base's own reduction of these losses (the framework's value, numpy's mean).
  var native: Double?
  /// The framework's own `reduction="sum"` value of these inputs, when it has one.
  var nativeSum: (parameter: ParameterAssignment, value: Double)? = nil
  var inputs: FamilyInputs
  var base: String
  var cost: Double
}

/// The candidate search of ``Diagnosis``.
struct Search {
  /// Candidates that assume more (in prior cost) are not reported.
  static let maximumCost = 4.0

  let inputs: FamilyInputs
  let options: DiagnosisOptions
  let registry: LossRegistry
  var found: [Found] = []

  init(inputs: FamilyInputs, options: DiagnosisOptions, registry: LossRegistry) {
    self.inputs = inputs
    self.options = options
    self.registry = registry
  }

  mutating func run(_ family: LossFamily) {
    let familyCost = FamilyFit.cost(family, inputs)
    var variants: [Variant] = []
    for member in registry.registeredMembers(of: family.id) { variants += memberVariants(member, family) }
    if let reference = family.reference { variants += numpyVariants(reference, family) }
    for variant in variants { emit(variant, family, familyCost: familyCost) }
  }

  // MARK: What the data looks like

  var looksLikeProbabilities: Bool {
    inputs.yPred.scalars.allSatisfy { $0 >= 0 && $0 <= 1 }
  }

  /// The mistake a form implies for this data: probabilities read as logits, or logits
  /// read as probabilities.
  func formMistakes(_ form: PredictionForm, _ family: LossFamily) -> [Mistake] {
    let probabilities = looksLikeProbabilities && (family.granularity == .element || InputLint.rowsSumToOne(inputs.yPred))
    switch form {
    case .logits where probabilities: return [.probabilitiesAsLogits]
    case .probabilities where !looksLikeProbabilities: return [.logitsAsProbabilities]
    default: return []
    }
  }

  static func phrase(_ mistake: Mistake, _ family: LossFamily) -> String? {
    let activation = family.granularity == .row ? "softmax" : "sigmoid"
    switch mistake {
    case .logitsAsProbabilities: return "y_pred (logits) read as probabilities"
    case .probabilitiesAsLogits: return "y_pred (probabilities) read as logits: a second \(activation)"
    case .sigmoidAppliedTwice: return "a sigmoid applied to y_pred before a loss that applies it again"
    case .softmaxAppliedTwice: return "a softmax applied to y_pred before a loss that applies it again"
    case .float64InsteadOfFloat32: return "evaluated in float64"
    case .float32InsteadOfFloat64: return "evaluated in float32"
    case .transposedClassAxis: return "the class axis transposed (y_true and y_pred read as (C, N))"
    case .hingeLabels01Unconverted: return "{0, 1} labels used as they are, not converted to {−1, 1}"
    case .hingeLabelsConvertedTwice: return "{−1, 1} labels converted again with 2·y − 1"
    default: return nil
    }
  }

  /// `y_pred` through the family's activation (sigmoid, or softmax over the last axis).
  func transformedPredictions(_ family: LossFamily) -> Tensor<Double> {
    let p = inputs.yPred
    if family.granularity == .element { return p.map { 1 / (1 + Foundation.exp(-$0)) } }
    guard let c = p.shape.last, c > 0 else { return p }
    var out = p.scalars
    for r in 0..<(p.count / c) {
      let row = p.scalars[(r * c)..<((r + 1) * c)]
      let m = row.max() ?? 0
      let e = row.map { Foundation.exp($0 - m) }
      let total = e.reduce(0, +)
      for i in 0..<c { out[r * c + i] = e[i] / total }
    }
    return Tensor(shape: p.shape, scalars: out)
  }

  var smoothingValues: [Double] {
    StepDescription.number(options.parameters["label_smoothing"]).map { [$0] } ?? [0.1, 0.2, 0.05]
  }

  // MARK: Framework variants

  func memberVariants(_ member: FamilyMember, _ family: LossFamily) -> [Variant] {
    let families = registry.families
    let big = inputs.yPred.count > options.tracedLimit
    let given = ParameterList(options.parameters.filter { member.parameterNames[$0.name] != nil })
    let base = "\(member.framework.displayName) \(member.loss)"
    func make(
      _ transformed: FamilyInputs, extra: ParameterList = [:], memberExtra: ParameterList = [:], mistakes: [Mistake],
      phrases: [String] = []
    ) -> Variant? {
      let familyParameters = ParameterList(given.assignments + extra.assignments)
      guard
        let per = (try? families.perUnitLosses(
          member, transformed, granularity: family.granularity, parameters: familyParameters, memberParameters: memberExtra,
          registry: registry, allowTraced: !big)) ?? nil,
        let evaluation = try? families.evaluate(
          member, transformed, parameters: familyParameters, memberParameters: memberExtra, registry: registry)
      else { return nil }
      let cost = mistakes.reduce(0) { $0 + $1.cost }
      return Variant(
        framework: member.framework.rawValue, loss: member.loss, params: evaluation.request.parameters, mistakes: mistakes,
        phrases: phrases + mistakes.compactMap { Self.phrase($0, family) }, units: per.values, dtype: per.dtype,
        native: evaluation.value, inputs: transformed, base: base, cost: cost)
    }
    var variants: [Variant] = []
    let form = formMistakes(member.form, family)
    var labelTags: [Mistake] = []
    let labels = inputs.yTrue.scalars
    let signedLabels = labels.contains(-1) && labels.allSatisfy { $0 == -1 || $0 == 1 }
    if member.targets == .signed, labels.contains(0), labels.allSatisfy({ $0 == 0 || $0 == 1 }) {
      labelTags = [.hingeLabels01Unconverted]
    } else if family.targets == .signed, member.targets == .binary, signedLabels {
      // A hinge that always converts {0, 1} labels (tf.compat.v1) given {−1, 1}: converted again.
      labelTags = [.hingeLabelsConvertedTwice]
    }
    if var v = make(inputs, mistakes: form + labelTags) {
      if let assignment = member.reduction?.assignment(for: .sum),
        let sum = try? families.evaluate(member, inputs, reduction: .sum, parameters: given, registry: registry)
      {
        v.nativeSum = (assignment, sum.value)
      }
      variants.append(v)
    }

    // The member's own averaging reduction when it is not its default (torch KLDivLoss's
    // 'batchmean', the true KL, where the default 'mean' divides by the element count).
    if let assignment = member.reduction?.assignment(for: .mean),
      let definition = try? registry.definition(named: member.loss, framework: member.framework),
      let declared = definition.parameters.first(where: { $0.name == assignment.name }), declared.defaultValue != assignment.value,
      member.parameters[assignment.name] == nil,
      let v = make(inputs, memberExtra: [assignment.name: assignment.value], mistakes: form + labelTags)
    {
      variants.append(v)
    }

    // The other dtype.
    var other = inputs
    var memberExtra = ParameterList()
    if inputs.dtype == .float32 {
      other.dtype = .float64
      if let name = member.dtypeParameter { memberExtra[name] = .string("float64") }
      if let v = make(other, memberExtra: memberExtra, mistakes: form + labelTags + [.float64InsteadOfFloat32]) {
        if v.dtype == .float64 { variants.append(v) }
      }
    } else {
      other.dtype = .float32
      if let v = make(other, mistakes: form + labelTags + [.float32InsteadOfFloat64]), v.dtype == .float32,
        variants.first?.dtype == .float64
      {
        variants.append(v)
      }
    }

    // An activation applied before a loss that applies it itself.
    if member.form == .logits {
      var twice = inputs
      twice.yPred = transformedPredictions(family)
      let mistake: Mistake = family.granularity == .row ? .softmaxAppliedTwice : .sigmoidAppliedTwice
      if let v = make(twice, mistakes: [mistake] + labelTags) { variants.append(v) }
    }

    // Label smoothing: the framework's own parameter, and the other family's formula.
    if member.parameterNames["label_smoothing"] != nil, options.parameters["label_smoothing"] == nil {
      for amount in smoothingValues {
        if let v = make(inputs, extra: ["label_smoothing": .float(amount)], mistakes: form + [.labelSmoothing]) {
          variants.append(v)
        }
      }
    }
    if options.parameters["label_smoothing"] == nil, let classes = inputs.yTrue.shape.last {
      for amount in smoothingValues {
        var smoothed = inputs
        if family.targets == .binary, inputs.yTrue.rank >= 2, classes >= 3 {
          smoothed.yTrue = inputs.yTrue.map { $0 * (1 - amount) + amount / Double(classes) }
          if let v = make(
            smoothed, mistakes: form + [.labelSmoothingTowardUniform],
            phrases: ["labels smoothed by \(amount) toward 1/C = 1/\(classes) (the categorical formula) instead of 0.5"])
          {
            variants.append(v)
          }
        } else if family.targets == .distribution, classes >= 3 {
          smoothed.yTrue = inputs.yTrue.map { $0 * (1 - amount) + amount / 2 }
          if let v = make(
            smoothed, mistakes: form + [.labelSmoothingTowardHalf],
            phrases: ["labels smoothed by \(amount) toward 0.5 (the binary formula) instead of 1/C"])
          {
            variants.append(v)
          }
        }
      }
    }

    // Hinge labels converted twice (a member that converts them itself is the base variant).
    if family.targets == .signed, member.targets != .binary, signedLabels {
      var converted = inputs
      converted.yTrue = inputs.yTrue.map { 2 * $0 - 1 }
      if let v = make(converted, mistakes: [.hingeLabelsConvertedTwice]) { variants.append(v) }
    }

    // The class axis transposed.
    if family.granularity == .row, member.targets == .distribution, inputs.yPred.rank == 2,
      inputs.yPred.shape.allSatisfy({ $0 >= 2 })
    {
      var transposed = inputs
      transposed.yTrue = inputs.yTrue.transposed([1, 0])
      transposed.yPred = inputs.yPred.transposed([1, 0])
      transposed.sampleWeight = nil
      if let v = make(transposed, mistakes: [.transposedClassAxis]) { variants.append(v) }
    }
    return variants
  }

  // MARK: Hand-written (numpy) variants

  func numpyVariants(_ reference: ReferenceFormula, _ family: LossFamily) -> [Variant] {
    var forms = [reference.form]
    if [.binaryCrossentropy, .categoricalCrossentropy, .sparseCategoricalCrossentropy, .focal].contains(reference.kind) {
      forms.append(.logits)
    }
    let parameter: Double
    switch reference.kind {
    case .focal: parameter = StepDescription.number(options.parameters["gamma"]) ?? family.parameters["gamma"] ?? reference.parameter
    case .huber: parameter = StepDescription.number(options.parameters["delta"]) ?? family.parameters["delta"] ?? reference.parameter
    default: parameter = reference.parameter
    }
    let dtypes: [DType] = inputs.dtype == .float32 ? [.float32, .float64] : [.float64, .float32]
    var variants: [Variant] = []
    let labels = inputs.yTrue.scalars
    for form in forms {
      for dtype in dtypes {
        var formula = reference
        formula.form = form
        formula.parameter = parameter
        var stabilities: [Stability] = [.none]
        if formula.hasProbabilityLog {
          let machine = dtype == .float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
          for e in [1e-7, 1e-8, 1e-12, 1e-15, machine] {
            stabilities += [.clip(e), .epsilonInLog(e), .clipAndEpsilonInLog(e)]
          }
          stabilities.append(.logClamp(-100))
        }
        let dtypeMistakes: [Mistake] =
          dtype == inputs.dtype ? [] : (dtype == .float64 ? [.float64InsteadOfFloat32] : [.float32InsteadOfFloat64])
        var transforms: [(FamilyInputs, [Mistake])] = []
        if family.targets == .signed {
          if labels.contains(0), labels.allSatisfy({ $0 == 0 || $0 == 1 }) {
            var converted = inputs
            converted.yTrue = inputs.yTrue.map { 2 * $0 - 1 }
            transforms = [(converted, []), (inputs, [.hingeLabels01Unconverted])]
          } else {
            var twice = inputs
            twice.yTrue = inputs.yTrue.map { 2 * $0 - 1 }
            transforms = [(inputs, []), (twice, [.hingeLabelsConvertedTwice])]
          }
        } else {
          transforms = [(inputs, formMistakes(form, family))]
          if form == .logits {
            var twice = inputs
            twice.yPred = transformedPredictions(family)
            transforms.append((twice, [family.granularity == .row ? .softmaxAppliedTwice : .sigmoidAppliedTwice]))
          }
        }
        for stability in stabilities {
          formula.stability = stability
          for (transformed, mistakes) in transforms {
            guard let units = try? formula.perUnit(transformed, in: dtype) else { continue }
            let all = Mistake.tags(for: stability, dtype: dtype) + mistakes + dtypeMistakes
            let native = numpyMean(units, transformed, family, dtype: dtype)
            var params: ParameterList = ["form": .string(form.rawValue)]
            if formula.hasProbabilityLog {
              params["stability"] = .string(Self.stabilityName(stability))
              if let e = stability.epsilon { params["epsilon"] = .float(e) }
              if case .logClamp(let lower) = stability { params["log_clamp"] = .float(lower) }
            }
            if reference.kind == .focal { params["gamma"] = .float(parameter) }
            if reference.kind == .huber { params["delta"] = .float(parameter) }
            params["dtype"] = .string(dtype.rawValue)
            variants.append(
              Variant(
                framework: "numpy", loss: family.id.rawValue, params: params, mistakes: all,
                phrases: [Self.stabilityPhrase(stability)].compactMap { $0 } + all.compactMap { Self.phrase($0, family) },
                units: units, dtype: dtype, native: native, inputs: transformed,
                base: "a hand-written \(family.title.lowercased()) (numpy, \(form.rawValue))",
                cost: 0.3 + all.reduce(0) { $0 + $1.cost }))
          }
        }
      }
    }
    return variants
  }

  /// numpy's default: `np.mean`, or `np.average(…, weights=w)` with weights.
  func numpyMean(_ units: [Double], _ inputs: FamilyInputs, _ family: LossFamily, dtype: DType) -> Double? {
    let weights = self.weights(units.count, inputs, family)
    let total = Self.sum(units, weights)
    let divisor = weights.map { $0.reduce(0, +) } ?? Double(units.count)
    return round(total / divisor, dtype)
  }

  static func stabilityName(_ stability: Stability) -> String {
    switch stability {
    case .none: "none"
    case .clip: "clip"
    case .epsilonInLog: "epsilon_in_log"
    case .clipAndEpsilonInLog: "clip_and_epsilon_in_log"
    case .logClamp: "log_clamp"
    }
  }

  static func stabilityPhrase(_ stability: Stability) -> String? {
    func e(_ v: Double) -> String { StepDescription.short(v) }
    switch stability {
    case .none: return nil
    case .clip(let v): return "y_pred clipped to [ε, 1 − ε] with ε = \(e(v))"
    case .epsilonInLog(let v): return "ε = \(e(v)) added inside each log, no clip"
    case .clipAndEpsilonInLog(let v): return "y_pred clipped to [ε, 1 − ε] and ε added inside each log, ε = \(e(v))"
    case .logClamp(let v): return "each log clamped at \(e(v)) (torch BCELoss's convention)"
    }
  }

  // MARK: Reductions

  /// The sample weights broadcast to the per-unit losses, or nil.
  func weights(_ count: Int, _ inputs: FamilyInputs, _ family: LossFamily) -> [Double]? {
    guard let w = inputs.sampleWeight else { return nil }
    let shape = family.granularity == .element ? inputs.yPred.shape : Array(inputs.yPred.shape.dropLast())
    guard Shape.count(shape) == count else { return nil }
    return try? LossFamilies.broadcastWeights(w, to: shape)
  }

  static func sum(_ units: [Double], _ weights: [Double]?) -> Double {
    guard let weights else { return units.reduce(0, +) }
    var total = 0.0
    for i in units.indices where weights[i] != 0 { total += units[i] * weights[i] }
    return total
  }

  func round(_ value: Double, _ dtype: DType) -> Double { dtype == .float32 ? Double(Float(value)) : value }

  mutating func emit(_ variant: Variant, _ family: LossFamily, familyCost: Double) {
    let units = variant.units
    let shape = variant.inputs.yPred.shape
    let elements = Swift.max(variant.inputs.yPred.count, 1)
    let batch = shape.first ?? 1
    let last = shape.last ?? 1
    let weights = self.weights(units.count, variant.inputs, family)
    let total = Self.sum(units, weights)
    let unitName = family.granularity == .row ? "rows" : "elements"
    var options: [(Mistake, Double, String)] = [
      (.sumInsteadOfMean, total, "summed instead of averaged (no division by the \(units.count) \(unitName): np.sum or np.dot without the / m)"),
      (.divideByElementCount, total / Double(elements), "the sum divided by the number of elements of y_pred (\(elements))"),
    ]
    if shape.count >= 2 {
      options.append((.divideByBatchSize, total / Double(batch), "the sum divided by the batch size (\(batch))"))
      options.append((.divideByLastAxis, total / Double(last), "the sum divided by the length of the last axis (\(last))"))
    }
    if let weights {
      let nonzero = weights.filter { $0 != 0 }.count
      let sum = weights.reduce(0, +)
      options.append((.divideByNonzeroWeights, total / Double(nonzero), "the weighted sum divided by the number of non-zero weights (\(nonzero))"))
      options.append((.divideByWeightSum, total / sum, "the weighted sum divided by the sum of the weights (\(StepDescription.short(sum)))"))
      if family.granularity == .element, shape.count >= 2, variant.inputs.sampleWeight?.shape == shape {
        let rows = units.count / Swift.max(last, 1)
        var means = 0.0
        for r in 0..<rows {
          let range = (r * last)..<((r + 1) * last)
          let w = weights[range].reduce(0, +)
          if w != 0 { means += Self.sum(Array(units[range]), Array(weights[range])) / w }
        }
        options.append((.meanOfPerSampleMeans, means / Double(rows), "the mean of the per-sample weighted means, not the weighted mean over all elements"))
      }
    }
    var values: [(mistakes: [Mistake], value: Double, phrases: [String])] = []
    if let native = variant.native { values.append(([], native, [])) }
    for (mistake, value, phrase) in options {
      let rounded = round(value, variant.dtype)
      let duplicate = values.contains { Precision.relativeError(rounded, $0.value) <= 1e-7 }
      if !duplicate { values.append(([mistake], rounded, [phrase])) }
    }
    var scales: [(Mistake?, Double, String?)] = [(nil, 1, nil)]
    if family.isLogarithmic {
      scales.append((.log2InsteadOfLn, 1 / M_LN2, "with log₂ instead of the natural log"))
      scales.append((.log10InsteadOfLn, 1 / M_LN10, "with log₁₀ instead of the natural log"))
    }
    for (mistakes, computed, phrases) in values {
      var params = variant.params
      var phrases = phrases
      var value = computed
      if !mistakes.isEmpty, let (parameter, sum) = variant.nativeSum, Precision.relativeError(value, sum) <= 1e-6 {
        // The framework's own parameter computes it: its value, not LossKit's sum.
        value = sum
        params[parameter.name] = parameter.value
        phrases[phrases.count - 1] += " — what \(parameter.name)=\(parameter.value) computes"
      }
      for (scale, factor, scalePhrase) in scales {
        let all = variant.mistakes + mistakes + [scale].compactMap { $0 }
        let cost = variant.cost + familyCost + mistakes.reduce(0) { $0 + $1.cost } + (scale?.cost ?? 0)
        // More than about three independent mistakes explains anything: not a recipe.
        guard cost <= Search.maximumCost else { continue }
        let words = variant.phrases + phrases + [scalePhrase].compactMap { $0 }
        let recipe = variant.base + (words.isEmpty ? ", called with its defaults" : ": " + words.joined(separator: "; "))
        found.append(
          Found(
            framework: variant.framework, loss: variant.loss, params: params, mistakes: all,
            value: round(value * factor, variant.dtype), dtype: variant.dtype, family: family.id,
            cost: cost, recipe: recipe))
      }
    }
  }
}

extension ReferenceFormula {
  /// The per-unit losses of the formula on `inputs` computed in `dtype` (the arrays
  /// rounded to it first), as doubles.
  func perUnit(_ inputs: FamilyInputs, in dtype: DType) throws -> [Double] {
    switch dtype {
    case .float32:
      return try perUnit(yTrue: inputs.yTrue.converted(to: Float.self), yPred: inputs.yPred.converted(to: Float.self))
        .map { Double($0) }
    case .float64:
      return try perUnit(yTrue: inputs.yTrue, yPred: inputs.yPred)
    }
  }
}
