import LossKit

/// Writing cases back in the `losskit-cases/1` format: what `losskit cases export` prints
/// (the corpus's inputs without the framework's answers, for checking one's own
/// implementation against them).
public enum CaseExport {
  /// One case as JSON, without `expected` unless `includeExpected`. Class labels are
  /// written as integers; other values in the shortest form exact in the case's dtype.
  public static func value(_ lossCase: LossCase, takesClassIndices: Bool, includeExpected: Bool = false) -> JSONValue {
    let request = lossCase.request
    func tensor(_ t: Tensor<Double>, integers: Bool = false) -> JSONValue {
      if integers, t.scalars.allSatisfy({ $0.rounded() == $0 && Swift.abs($0) < 1e15 }) {
        return .object([
          ("shape", .array(t.shape.map { .number(Double($0), integer: $0) })),
          ("data", .array(t.scalars.map { .number($0, integer: Int($0)) })),
        ])
      }
      return TensorJSON.value(t, dtype: request.dtype)
    }
    var members: [(key: String, value: JSONValue)] = [
      ("id", .string(lossCase.id)), ("framework", .string(request.framework?.rawValue ?? "")), ("loss", .string(request.loss)),
      ("params", .object(request.parameters.map { ($0.name, parameter($0.value, dtype: request.dtype)) })),
      ("y_true", tensor(request.yTrue, integers: takesClassIndices)), ("y_pred", tensor(request.yPred)),
      ("sample_weight", request.sampleWeight.map { tensor($0) } ?? .null), ("dtype", .string(request.dtype.rawValue)),
    ]
    if includeExpected, case .values(let loss, let gradient)? = lossCase.expected {
      members.append(
        ("expected", .object([("loss", TensorJSON.value(loss, dtype: .float64)), ("grad_y_pred", gradient.map { TensorJSON.value($0, dtype: .float64) } ?? .null)])))
    }
    return .object(members)
  }

  static func parameter(_ value: ParameterValue, dtype: DType) -> JSONValue {
    switch value {
    case .bool(let b): .bool(b)
    case .int(let i): .number(Double(i), integer: i)
    case .float(let d): .number(d, integer: nil)
    case .string(let s): .string(s)
    case .null: .null
    case .tensor(let t): TensorJSON.value(t, dtype: .float64)
    }
  }

  /// A whole case file, one case per line.
  public static func file(_ cases: [JSONValue], generator: JSONValue) -> String {
    var out = "{\"format\": \"\(CaseFile.format)\",\n \"generator\": \(JSONWriter.write(generator)),\n \"cases\": [\n"
    out += cases.map { JSONWriter.write($0) }.joined(separator: ",\n")
    out += "\n]}\n"
    return out
  }
}

/// How someone else's results compare with the framework's: the pass rate with the
/// conformance tolerances and, for each failing case, what `diagnose` finds the number
/// consistent with (`losskit cases score`).
public struct CaseScoreReport: Sendable, Encodable {
  public struct Entry: Sendable, Encodable {
    public var id: String
    /// `pass`, `fail`, `missing` (no result for the id), `error` (LossKit or their
    /// result could not be compared).
    public var status: String
    public var expected: Double?
    public var theirs: Double?
    /// `theirs / expected` for scalars.
    public var ratio: Double?
    /// The number of elements of `y_pred`.
    public var elements: Int?
    public var message: String
    /// The best diagnosis of their number, for failing scalar cases.
    public var diagnosis: Diagnosis.Candidate?
  }

  public var total: Int
  public var passed: Int
  public var failed: Int
  public var missing: Int
  public var errors: Int
  public var entries: [Entry]
  /// The failing cases grouped by the mistakes diagnose found (`["sum-instead-of-mean"]: 8`).
  public var findings: [Finding]

  public struct Finding: Sendable, Encodable {
    public var mistakes: [String]
    public var cases: Int
    /// The ratios theirs/expected of the group's cases.
    public var ratios: [Double]
    /// Whether each ratio is the case's number of elements of `y_pred` (a sum where the
    /// framework averages).
    public var ratioIsElementCount: Bool
    public var recipe: String

    enum CodingKeys: String, CodingKey { case mistakes, cases, ratios, ratioIsElementCount = "ratio_is_element_count", recipe }
  }
}

public enum CaseScore {
  /// `{"results": [{"id": ..., "loss": number or {"shape", "data"} or nested list}]}`.
  public static func results(_ json: JSONValue, name: String) throws(InputError) -> [String: Tensor<Double>] {
    guard case .array(let list)? = json["results"] else { throw InputError(name, "expected {\"results\": [...]}") }
    var out: [String: Tensor<Double>] = [:]
    for (i, item) in list.enumerated() {
      guard case .string(let id)? = item["id"] else { throw InputError("\(name).results[\(i)].id", "missing") }
      guard let loss = item["loss"] else { continue }
      switch loss {
      case .number(let d, _): out[id] = Tensor(d)
      case .string: out[id] = try TensorJSON.decode(.array([loss]), path: "\(name).results[\(i)].loss").reshaped(to: [])
      default: out[id] = try TensorJSON.decode(loss, path: "\(name).results[\(i)].loss")
      }
    }
    return out
  }

  /// Scores `theirs` against LossKit's value of each case (the framework's, within the
  /// conformance tolerances).
  public static func score(_ inputs: CaseFile, theirs: [String: Tensor<Double>], registry: LossRegistry = .standard) -> CaseScoreReport {
    var entries: [CaseScoreReport.Entry] = []
    for entry in inputs.entries {
      guard case .valid(let lossCase) = entry else {
        entries.append(.init(id: entry.id, status: "error", message: "cannot read the case"))
        continue
      }
      guard let their = theirs[lossCase.id] else {
        entries.append(.init(id: lossCase.id, status: "missing", message: "no result with this id"))
        continue
      }
      let result: LossResult
      do { result = try registry.evaluate(lossCase.request) } catch {
        entries.append(.init(id: lossCase.id, status: "error", message: "LossKit cannot compute the case: \(error)"))
        continue
      }
      let tolerance = Tolerance.loss(result.dtype)
      let comparable = their.count == result.loss.count ? their.reshaped(to: result.loss.shape) : their
      if let problem = CaseRunner.compare(comparable, result.loss, tolerance, what: "loss") {
        var row = CaseScoreReport.Entry(id: lossCase.id, status: "fail", message: problem)
        if their.count == 1, result.loss.count == 1 {
          let mine = their.scalars[0], expected = result.loss.scalars[0]
          row.theirs = mine
          row.expected = expected
          row.ratio = expected == 0 ? nil : mine / expected
          row.elements = lossCase.request.yPred.count
          row.diagnosis = diagnose(lossCase, observed: mine, registry: registry)
        }
        entries.append(row)
      } else {
        entries.append(.init(id: lossCase.id, status: "pass", message: "within \(tolerance.relative) relative + \(tolerance.absolute) absolute"))
      }
    }
    var groups: [String: CaseScoreReport.Finding] = [:]
    var order: [String] = []
    for e in entries where e.status == "fail" {
      let mistakes = e.diagnosis?.mistakes.map(\.rawValue) ?? ["(no match)"]
      let key = mistakes.joined(separator: "+")
      if groups[key] == nil {
        order.append(key)
        groups[key] = .init(
          mistakes: mistakes, cases: 0, ratios: [], ratioIsElementCount: true,
          recipe: e.diagnosis?.recipe ?? "diagnose finds no convention")
      }
      groups[key]!.cases += 1
      if let r = e.ratio { groups[key]!.ratios.append((r * 1e4).rounded() / 1e4) }
      let isCount = e.ratio.map { r in e.elements.map { Swift.abs(r - Double($0)) <= 1e-3 * Double($0) } ?? false } ?? false
      groups[key]!.ratioIsElementCount = groups[key]!.ratioIsElementCount && isCount
    }
    let findings = order.map { groups[$0]! }.sorted { $0.cases > $1.cases }
    return CaseScoreReport(
      total: entries.count, passed: entries.filter { $0.status == "pass" }.count,
      failed: entries.filter { $0.status == "fail" }.count, missing: entries.filter { $0.status == "missing" }.count,
      errors: entries.filter { $0.status == "error" }.count, entries: entries, findings: findings)
  }

  /// The best diagnosis of `observed` in the case's family (or every fitting family).
  static func diagnose(_ lossCase: LossCase, observed: Double, registry: LossRegistry) -> Diagnosis.Candidate? {
    let request = lossCase.request
    let family = (try? registry.definition(named: request.loss, framework: request.framework)).flatMap {
      registry.families.member(of: $0, parameters: request.parameters, yTrue: request.yTrue, yPred: request.yPred)?.family
    }
    let inputs = FamilyInputs(yTrue: request.yTrue, yPred: request.yPred, sampleWeight: request.sampleWeight, dtype: request.dtype)
    return (try? Diagnosis.diagnose(inputs, observed: observed, options: DiagnosisOptions(family: family), registry: registry))?
      .candidates.first
  }
}

extension CaseScoreReport.Entry {
  init(id: String, status: String, message: String) {
    self.init(id: id, status: status, expected: nil, theirs: nil, ratio: nil, elements: nil, message: message, diagnosis: nil)
  }
}
