import ArgumentParser
import Foundation
import LossKit
import LossKitIO

struct Cases: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check your own implementation against the corpus: export its inputs, score your results.",
    discussion: """
      Examples:
        losskit cases export --framework keras --loss BinaryCrossentropy --defaults > inputs.json
        python3 Examples/numpy_bce.py inputs.json > theirs.json
        losskit cases score inputs.json theirs.json
      """,
    subcommands: [Export.self, Score.self])

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the corpus's inputs for one loss (without the expected values) as a losskit-cases/1 file.",
      discussion: """
        Cases where the framework raises are left out. The corpus is looked for in \
        Tests/Fixtures/conformance under the current directory and above the losskit binary; \
        --corpus gives it explicitly.
        """)

    @Option(
      help: ArgumentHelp("The framework.", valueName: "framework"),
      transform: { try ChoiceArgument.parse($0, as: Framework.self, option: "--framework") })
    var framework: Framework

    @Option(help: "The loss, as the corpus names it (e.g. BinaryCrossentropy).")
    var loss: String

    @Option(
      help: ArgumentHelp("Only cases of this dtype.", valueName: "dtype"),
      transform: { try ChoiceArgument.parse($0, as: DType.self, option: "--dtype") })
    var dtype: DType?

    @Flag(help: "Only cases that call the loss with its defaults (and no sample weight): what a plain implementation covers.")
    var defaults = false

    @Option(help: "The corpus directory (default: Tests/Fixtures/conformance).")
    var corpus: String?

    func run() throws {
      let directory = try CorpusLocation.find(corpus)
      let path = "\(directory)/\(framework.rawValue)/\(loss).json"
      guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError("--loss", "no corpus file \(path)")
      }
      let file = try CaseFile.parse([UInt8](data), name: path)
      let definition = try LossRegistry.standard.definition(named: loss, framework: framework)
      var cases: [JSONValue] = []
      for case .valid(let lossCase) in file.entries {
        guard case .values? = lossCase.expected else { continue }
        if let dtype, lossCase.request.dtype != dtype { continue }
        if defaults && !isDefaultCall(lossCase.request, definition) { continue }
        cases.append(CaseExport.value(lossCase, takesClassIndices: definition.takesClassIndices))
      }
      let generator: JSONValue = .object([
        ("exported_by", .string("losskit cases export")), ("from", .string("\(framework.rawValue)/\(loss).json")),
        ("corpus_generator", file.generator ?? .null),
      ])
      print(CaseExport.file(cases, generator: generator), terminator: "")
    }

    func isDefaultCall(_ request: LossRequest, _ definition: LossDefinition) -> Bool {
      guard request.sampleWeight == nil else { return false }
      return request.parameters.allSatisfy { given in
        definition.parameters.first { $0.name == given.name }?.defaultValue.map { same($0, given.value) } ?? false
      }
    }

    func same(_ a: ParameterValue, _ b: ParameterValue) -> Bool {
      switch (a, b) {
      case (.int(let x), .float(let y)), (.float(let y), .int(let x)): Double(x) == y
      default: a == b
      }
    }
  }

  struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Score your results on exported inputs: pass rate, and what each mismatch is consistent with.",
      discussion: """
        THEIRS is {"results": [{"id": ..., "loss": value}, ...]} as `losskit eval` prints it \
        (loss a number, a nested list or {"shape", "data"}). Each case is compared with the \
        framework's value (LossKit's, which matches the framework within the conformance \
        tolerances) with those tolerances; for each failing scalar, diagnose searches the case's \
        family for the convention or mistake that reproduces it.
        """)

    @Argument(help: "The exported inputs (losskit-cases/1).")
    var inputs: String

    @Argument(help: "Your results.")
    var theirs: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
      func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(path, "no such file") }
        return [UInt8](data)
      }
      let file = try CaseFile.parse(try read(inputs), name: inputs)
      let parsed: JSONValue
      do { parsed = try JSONParser.parse(try read(theirs)) } catch let error as InputError { throw error } catch {
        throw InputError(theirs, "invalid JSON at \(error)")
      }
      let report = CaseScore.score(file, theirs: try CaseScore.results(parsed, name: theirs))
      if json {
        print(try JSONValueEncoder().text(report))
        return
      }
      let rate = report.total == 0 ? 0 : 100 * Double(report.passed) / Double(report.total)
      print("\(report.total) cases: \(report.passed) pass (\(String(format: "%.1f", rate))%), \(report.failed) fail, \(report.missing) missing, \(report.errors) errors")
      for finding in report.findings {
        let ratios = Set(finding.ratios)
        var line = "  \(finding.cases) failing case\(finding.cases == 1 ? "" : "s"): \(finding.mistakes.joined(separator: ", "))"
        if finding.ratioIsElementCount, let lo = ratios.min(), let hi = ratios.max() {
          let range = lo == hi ? "\(Int(lo))" : "\(Int(lo.rounded())) to \(Int(hi.rounded()))"
          line += " — your values are the framework's × n, n = the number of elements (\(range)): a sum instead of a mean"
        } else if ratios.count == 1, let r = ratios.first {
          line += " — your values are the framework's × \(StepText.number(r))"
        } else if !ratios.isEmpty, let lo = ratios.min(), let hi = ratios.max() {
          line += " — your values are the framework's × \(StepText.number(lo)) to × \(StepText.number(hi))"
        }
        print(line)
        print("      e.g. \(finding.recipe)")
      }
      for entry in report.entries where entry.status != "pass" {
        var line = "\(entry.status.uppercased()) \(entry.id): "
        if let mine = entry.theirs, let expected = entry.expected {
          line += "yours \(StepText.number(mine)), the framework's \(StepText.number(expected))"
          if let ratio = entry.ratio { line += " (× \(String(format: "%.6g", ratio)))" }
          if let d = entry.diagnosis { line += "; consistent with: \(d.mistakes.isEmpty ? d.recipe : d.mistakes.map(\.rawValue).joined(separator: ", "))" }
        } else {
          line += entry.message
        }
        print(line)
      }
    }
  }
}

/// Where the conformance corpus is.
enum CorpusLocation {
  static func find(_ given: String?) throws -> String {
    if let given {
      guard FileManager.default.fileExists(atPath: given) else { throw InputError("--corpus", "no such directory \(given)") }
      return given
    }
    let relative = "Tests/Fixtures/conformance"
    var candidates = [FileManager.default.currentDirectoryPath]
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
      candidates.append(directory.path)
      directory = directory.deletingLastPathComponent()
    }
    for base in candidates where FileManager.default.fileExists(atPath: "\(base)/\(relative)/manifest.json") {
      return "\(base)/\(relative)"
    }
    throw InputError("--corpus", "cannot find \(relative); give the corpus directory with --corpus")
  }
}
