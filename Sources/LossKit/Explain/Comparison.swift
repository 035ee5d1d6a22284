/// One input through every framework convention of a family: each row's value, its
/// per-element losses, and the first step at which it departs from the first row,
/// found by lining up the rows' typed trace steps (what `losskit compare` prints; the
/// default `losskit` is this for binary cross-entropy on `y_true = [1, 1, 1]`,
/// `y_pred = [1, 1, 0]`).
public struct Comparison: Sendable, Encodable {
  /// Where a row first computes differently from the reference row.
  public struct Departure: Sendable, Encodable, Equatable {
    /// The step identifier (`clip`, `elementwise-loss`, `reduction`, `inputs`, …), or
    /// `rounding` when every step is the same and only the last digits differ.
    public var step: String
    /// What this row does there.
    public var description: String
    /// What the reference row does there (nil when it has no such step).
    public var reference: String?
  }

  public struct Row: Sendable, Encodable {
    public var framework: String
    public var loss: String
    /// The parameters the loss was called with, in the framework's spelling.
    public var params: ParameterList
    public var convention: String
    /// The dtype the loss computed in.
    public var dtype: String
    /// The value: the framework's output, or LossKit's mean/sum of an unreduced output
    /// (see ``shown``).
    public var value: Double
    /// `mean` or `sum` when the framework returns unreduced values and LossKit reduced
    /// them for the table; nil when ``value`` is the framework's own.
    public var shown: String?
    /// Whether LossKit applied the sample weights (the loss takes none).
    public var weightedByLossKit: Bool
    /// The unweighted losses per element (per row for row families).
    public var perElement: [Double]
    /// Nil for the reference row.
    public var departure: Departure?
    /// Where the final reduction differs too, when the first departure is elsewhere.
    public var alsoDeparts: Departure?
    /// The largest contribution, e.g. "element 2 (y_pred 0, clipped) adds 16.118095 (100% of the total)".
    public var largest: String?

    enum CodingKeys: String, CodingKey {
      case framework, loss, params, convention, dtype, value, shown, weightedByLossKit = "weighted_by_losskit"
      case perElement = "per_element", departure, alsoDeparts = "also_departs", largest
    }

    /// Numbers in their dtype's shortest form (a float32 value prints as `5.3726983`);
    /// `shown`, `departure` and `largest` are null when they do not apply.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(framework, forKey: .framework)
      try c.encode(loss, forKey: .loss)
      try c.encode(params, forKey: .params)
      try c.encode(convention, forKey: .convention)
      try c.encode(dtype, forKey: .dtype)
      try DTypedNumbers.encode(value, dtype, in: &c, forKey: .value)
      try c.encode(shown, forKey: .shown)
      try c.encode(weightedByLossKit, forKey: .weightedByLossKit)
      try DTypedNumbers.encode(perElement, dtype, in: &c, forKey: .perElement)
      try c.encode(departure, forKey: .departure)
      try c.encode(alsoDeparts, forKey: .alsoDeparts)
      try c.encode(largest, forKey: .largest)
    }
  }

  public var family: String
  public var title: String
  /// The dtype of the input arrays.
  public var dtype: String
  public var yTrue: Tensor<Double>
  public var yPred: Tensor<Double>
  public var sampleWeight: Tensor<Double>?
  public var rows: [Row]
  /// Members not shown, with the reason (a parameter they do not take, an error).
  public var skipped: [String]
  public var warnings: [LintWarning]

  enum CodingKeys: String, CodingKey {
    case family, title, dtype, yTrue = "y_true", yPred = "y_pred", sampleWeight = "sample_weight", rows, skipped, warnings
  }
}

extension Comparison {
  /// The example `losskit` prints with no arguments.
  public static let seedExample = FamilyInputs(yTrue: Tensor([1, 1, 1]), yPred: Tensor([1, 1, 0]), dtype: .float32)

  /// Compares the members of `family` on `inputs`.
  ///
  /// `parameters` are family parameters in Keras's spelling: `from_logits` selects the
  /// members that read `y_pred` as logits (true) or probabilities (false) — without it,
  /// each framework's loss called with its defaults (the primary members); `reduction`
  /// is `mean`, `sum` or `none`; the others (`label_smoothing`, `gamma`, …) are
  /// translated to each member, and a member that does not take one is skipped.
  public static func compare(
    _ family: FamilyID, _ inputs: FamilyInputs, parameters: ParameterList = [:], registry: LossRegistry = .standard
  ) throws -> Comparison {
    let families = registry.families
    let inputs = inputs.atLeastOneDimensional
    let info = try families.family(family)
    var rest = ParameterList()
    var formFilter: PredictionForm? = nil
    var reduction: FamilyReduction? = nil
    for assignment in parameters {
      switch assignment.name {
      case "from_logits":
        guard case .bool(let logits) = assignment.value else {
          throw LossError.invalidParameter(name: "from_logits", expected: "true or false", got: "\(assignment.value)")
        }
        formFilter = logits ? .logits : .probabilities
      case "reduction":
        guard case .string(let name) = assignment.value, let parsed = FamilyReduction(rawValue: name) else {
          throw LossError.invalidParameter(name: "reduction", expected: "mean, sum or none", got: "\(assignment.value)")
        }
        reduction = parsed
      default:
        rest.append(assignment)
      }
    }
    let candidates = registry.registeredMembers(of: family).filter { member in
      if let formFilter { return member.form == formFilter }
      return member.isPrimary
    }
    var rows: [Row] = []
    var skipped: [String] = []
    var reference: (signature: [SignatureStep], row: Int)? = nil
    var warnings: [LintWarning] = []
    var firstError: (any Error)? = nil
    for member in candidates {
      do {
        let evaluation = try families.evaluate(member, inputs, reduction: reduction, parameters: rest, registry: registry)
        let perElement =
          (try? families.perUnitLosses(member, inputs, granularity: info.granularity, parameters: rest, registry: registry))??
          .values ?? []
        // One trace for the steps compared and the largest element.
        let (definition, recorded) = try registry.trace(evaluation.request)
        let signature = steps(of: evaluation, recorded)
        if rows.isEmpty {
          warnings = InputLint.warnings(member: member, yTrue: inputs.yTrue, yPred: inputs.yPred)
        }
        var row = Row(
          framework: member.framework.rawValue, loss: member.loss,
          params: evaluation.request.parameters,
          convention: member.convention, dtype: evaluation.dtype.rawValue, value: evaluation.value,
          shown: evaluation.reducedByLossKit?.rawValue, weightedByLossKit: evaluation.weightedByLossKit,
          perElement: perElement, departure: nil, alsoDeparts: nil, largest: nil)
        if let reference {
          let first = departure(
            signature, from: reference.signature, referenceName: rows[reference.row].framework,
            sameValue: row.value == rows[reference.row].value || (row.value.isNaN && rows[reference.row].value.isNaN))
          row.departure = first
          row.alsoDeparts = reductionDeparture(signature, from: reference.signature, first: first)
        } else {
          reference = (signature, 0)
        }
        row.largest = largest(
          Explanation.explain(
            evaluation.request, definition: definition, recorded: recorded, families: families, maximumElements: 16,
            maximumListed: 1))
        rows.append(row)
      } catch {
        firstError = firstError ?? error
        skipped.append("\(member.label): \(error)")
      }
    }
    // Inputs no member accepts: the first member's error, not an empty table.
    if rows.isEmpty, let firstError { throw firstError }
    return Comparison(
      family: family.rawValue, title: info.title, dtype: inputs.dtype.rawValue, yTrue: inputs.yTrue, yPred: inputs.yPred,
      sampleWeight: inputs.sampleWeight, rows: rows, skipped: skipped, warnings: warnings)
  }

  /// A step as compared across rows: its identifier and the parameters that change
  /// what it computes.
  struct SignatureStep: Equatable {
    var step: Step
    var key: [StepParameter]

    static func == (a: SignatureStep, b: SignatureStep) -> Bool { a.step.id == b.step.id && a.key == b.key }
  }

  /// The steps that compute something, in order: alignment, input recording (but its
  /// dtype) and sample-weight bookkeeping are left out; a reduction LossKit did for
  /// display is appended.
  static func steps(of evaluation: MemberEvaluation, _ recorded: RecordedTrace) -> [SignatureStep] {
    let all: [Step]
    switch recorded {
    case .float32(let t, _): all = t.steps.map(\.step)
    case .float64(let t, _): all = t.steps.map(\.step)
    }
    var result: [SignatureStep] = []
    for step in all {
      switch step.id {
      case .alignRanks, .sampleWeight: continue
      case .inputs:
        let dtype = step.parameters.filter { $0.name == "dtype" }
        result.append(SignatureStep(step: Step(.inputs, step.title, dtype), key: dtype))
      default:
        result.append(SignatureStep(step: step, key: StepDescription.signature(step)))
      }
    }
    if let shown = evaluation.reducedByLossKit {
      let divisor = shown == .sum ? "none" : "element count"
      let step = Step(.reduction, "\(shown.rawValue) shown by losskit", [.text("divisor", divisor)])
      result.append(SignatureStep(step: step, key: StepDescription.signature(step)))
    }
    return result
  }

  /// The step kinds every framework's traces share: lined up across rows by position.
  /// Other (framework-specific) steps are compared only when both rows record one.
  static let sharedSteps: Set<StepID> = [
    .inputs, .labelSmoothing, .clip, .normalize, .activation, .elementwiseLoss, .fusedKernel, .focalFactor,
    .classWeights, .mask, .axisReduction, .reduction,
  ]

  /// `row`'s and `reference`'s steps without the framework-specific ones the other row
  /// does not have (scikit-learn's `check-targets`, for example).
  static func comparable(_ row: [SignatureStep], _ reference: [SignatureStep]) -> ([SignatureStep], [SignatureStep]) {
    let mine = Set(row.map(\.step.id)), theirs = Set(reference.map(\.step.id))
    return (
      row.filter { sharedSteps.contains($0.step.id) || theirs.contains($0.step.id) },
      reference.filter { sharedSteps.contains($0.step.id) || mine.contains($0.step.id) }
    )
  }

  static func departure(
    _ row: [SignatureStep], from reference: [SignatureStep], referenceName: String, sameValue: Bool
  ) -> Departure {
    let (row, reference) = comparable(row, reference)
    let rowIDs = Set(row.map(\.step.id))
    for i in 0..<Swift.max(row.count, reference.count) {
      let mine = i < row.count ? row[i] : nil
      let theirs = i < reference.count ? reference[i] : nil
      if mine == theirs { continue }
      if let mine {
        var description = StepDescription.describe(mine.step)
        // A step the reference takes and this row has nowhere: say so.
        if let theirs, theirs.step.id != mine.step.id, !rowIDs.contains(theirs.step.id),
          let absent = StepDescription.absence(theirs.step)
        {
          description = "\(absent); \(description)"
        }
        return Departure(step: mine.step.id.rawValue, description: description, reference: theirs.map { StepDescription.describe($0.step) })
      }
      return Departure(
        step: theirs!.step.id.rawValue, description: "stops before this step", reference: StepDescription.describe(theirs!.step))
    }
    return Departure(
      step: sameValue ? "none" : "rounding",
      description: sameValue
        ? "the same steps and the same value as \(referenceName)"
        : "the same steps as \(referenceName); the last digits differ (elementary functions or summation order)",
      reference: nil)
  }

  /// The final reduction when it differs from the reference's and the first departure
  /// is elsewhere: the second thing a reader needs (tf.compat.v1's mean over the
  /// non-zero weights, a sum where the reference averages).
  static func reductionDeparture(_ row: [SignatureStep], from reference: [SignatureStep], first: Departure) -> Departure? {
    guard first.step != StepID.reduction.rawValue, first.step != "none", first.step != "rounding",
      let mine = row.last(where: { $0.step.id == .reduction }), let theirs = reference.last(where: { $0.step.id == .reduction }),
      mine != theirs
    else { return nil }
    return Departure(step: mine.step.id.rawValue, description: StepDescription.describe(mine.step), reference: StepDescription.describe(theirs.step))
  }

  /// The element that contributes most, from the explanation of the row's request.
  static func largest(_ explanation: Explanation) -> String? {
    guard let top = explanation.elements.first, explanation.elementCount > 1 else { return nil }
    var what = explanation.granularity == "row" ? "row \(top.index)" : "element \(top.index)"
    var details: [String] = []
    if let p = top.yPred { details.append("y_pred \(InputLint.number(p))") }
    details += top.flags.map(\.rawValue)
    if !details.isEmpty { what += " (\(details.joined(separator: ", ")))" }
    let share = (top.share * 100 * 1000).rounded() / 1000
    return "\(what) costs \(InputLint.number(top.loss)), \(share)% of the total"
  }
}

/// Encodes numbers exact in a dtype in that dtype's shortest form.
enum DTypedNumbers {
  static func encode<K: CodingKey>(_ value: Double, _ dtype: String, in c: inout KeyedEncodingContainer<K>, forKey key: K) throws {
    if dtype == DType.float32.rawValue { try c.encode(Float(value), forKey: key) } else { try c.encode(value, forKey: key) }
  }

  static func encode<K: CodingKey>(_ values: [Double], _ dtype: String, in c: inout KeyedEncodingContainer<K>, forKey key: K) throws {
    if dtype == DType.float32.rawValue { try c.encode(values.map { Float($0) }, forKey: key) } else { try c.encode(values, forKey: key) }
  }
}
