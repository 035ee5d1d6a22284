import Foundation
import LossKit
import LossKitIO
import Testing

/// The diagnose suite (`Tests/Fixtures/diagnose`, written by `Tools/diagnose/make_suite.py`):
/// observed values produced by the real frameworks and by the catalogue's mistakes
/// implemented in numpy. `diagnose` must put the true recipe first in at least 90% of
/// the cases. A case whose truth names a loss the registry does not have yet (torch's,
/// optax's, Keras's regression losses) is scored against its `fallback`, the same
/// convention as LossKit names it today.
@Suite("Diagnose suite")
struct DiagnoseSuiteTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/diagnose")
  static let parts = ["jax", "mistakes", "tensorflow", "torch"]

  struct Expected {
    var framework: String
    var loss: String
    var mistakes: [String]
    var params: [(key: String, value: JSONValue)]

    init(_ json: JSONValue) {
      func text(_ key: String) -> String { if case .string(let s)? = json[key] { return s } else { return "" } }
      framework = text("framework")
      loss = text("loss")
      if case .array(let list)? = json["mistakes"] { mistakes = list.compactMap { if case .string(let s) = $0 { s } else { nil } } } else { mistakes = [] }
      if case .object(let members)? = json["params"] { params = members } else { params = [] }
    }

    func matches(_ c: Diagnosis.Candidate) -> Bool {
      guard c.framework == framework, c.loss == loss, Set(c.mistakes.map(\.rawValue)) == Set(mistakes) else { return false }
      return params.allSatisfy { key, value in
        guard let given = c.params[key] else { return false }
        switch (given, value) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.float(let a), .number(let b, _)): return a == b
        case (.int(let a), .number(let b, _)): return Double(a) == b
        default: return false
        }
      }
    }
  }

  struct Outcome {
    var id: String
    var family: String
    var mistakes: [String]
    var hit: Bool
    var got: String
  }

  static func run() throws -> (outcomes: [Outcome], pending: Int) {
    let registry = LossRegistry.standard
    let known = Set(registry.definitions.map(\.qualifiedName))
    var outcomes: [Outcome] = []
    var pending = 0
    for part in parts {
      let url = directory.appendingPathComponent("\(part).json")
      let root = try JSONParser.parse([UInt8](try Data(contentsOf: url)))
      guard case .string("losskit-diagnose-suite/1")? = root["format"], case .array(let cases)? = root["cases"] else {
        throw InputError(url.path, "not a losskit-diagnose-suite/1 file")
      }
      for item in cases {
        guard case .string(let id)? = item["id"], case .string(let family)? = item["family"],
          case .string(let text)? = item["observed_text"], case .string(let dtypeName)? = item["dtype"],
          let dtype = DType(rawValue: dtypeName), let yTrueJSON = item["y_true"], let yPredJSON = item["y_pred"]
        else { throw InputError(url.path, "malformed case") }
        var requires: [String] = []
        if case .array(let list)? = item["requires"] { requires = list.compactMap { if case .string(let s) = $0 { s } else { nil } } }
        func list(_ key: String) -> [Expected] {
          if case .array(let l)? = item[key] { return l.map(Expected.init) } else { return [] }
        }
        let reachable = requires.allSatisfy(known.contains)
        let expected = reachable ? [Expected(item["truth"] ?? .null)] + list("equivalents") : list("fallback")
        guard !expected.isEmpty else {
          pending += 1
          continue
        }
        var sampleWeight: Tensor<Double>? = nil
        if let weights = item["sample_weight"], weights != .null {
          sampleWeight = try TensorJSON.decode(weights, path: "\(id).sample_weight")
        }
        let inputs = FamilyInputs(
          yTrue: try TensorJSON.decode(yTrueJSON, path: "\(id).y_true"), yPred: try TensorJSON.decode(yPredJSON, path: "\(id).y_pred"),
          sampleWeight: sampleWeight, dtype: dtype)
        let observed = try TensorSource.parseInline(text, argument: id).scalars[0]
        let diagnosis = try Diagnosis.diagnose(inputs, observed: observed, options: DiagnosisOptions(observedText: text))
        let top = diagnosis.candidates.first
        let hit = top.map { c in expected.contains { $0.matches(c) } } ?? false
        let got = top.map { "\($0.framework)/\($0.loss) \($0.mistakes.map(\.rawValue))" } ?? "no match"
        outcomes.append(Outcome(id: id, family: family, mistakes: expected[0].mistakes, hit: hit, got: got))
      }
    }
    return (outcomes, pending)
  }

  @Test func theTrueRecipeComesFirstInAtLeast90PercentOfTheCases() throws {
    for part in Self.parts {
      #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent("\(part).json").path), "missing \(part).json")
    }
    let (outcomes, pending) = try Self.run()
    #expect(outcomes.count >= 60, "the suite must hold at least 60 scored cases, has \(outcomes.count)")
    let hits = outcomes.filter(\.hit).count
    let rate = Double(hits) / Double(max(outcomes.count, 1))
    var report = "diagnose suite: true recipe first in \(hits)/\(outcomes.count) = \(String(format: "%.1f", 100 * rate))% (\(pending) pending a framework)\n"
    var byFamily: [String: (Int, Int)] = [:]
    var byMistake: [String: (Int, Int)] = [:]
    for o in outcomes {
      byFamily[o.family, default: (0, 0)].0 += o.hit ? 1 : 0
      byFamily[o.family, default: (0, 0)].1 += 1
      for m in o.mistakes.isEmpty ? ["(none)"] : o.mistakes {
        byMistake[m, default: (0, 0)].0 += o.hit ? 1 : 0
        byMistake[m, default: (0, 0)].1 += 1
      }
    }
    report += "per family: " + byFamily.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.0)/\($0.value.1)" }.joined(separator: ", ") + "\n"
    report += "per mistake: " + byMistake.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.0)/\($0.value.1)" }.joined(separator: ", ") + "\n"
    for o in outcomes where !o.hit { report += "miss \(o.id): got \(o.got)\n" }
    print(report)
    #expect(rate >= 0.9, "\(report)")
  }
}
