import ArgumentParser
import Foundation
import LossKit
import LossKitIO

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compute every case of a losskit-cases/1 file.",
    discussion: """
      Prints {"results": [...]} with one line per case: {"id", "loss", "grad_y_pred"}, or \
      {"id", "error"} for a case that cannot be computed; the other cases still run. With \
      --check, compares each case with its "expected" values instead and prints a summary: \
      cases that match, listed deliberate deviations from the framework, cases that differ, \
      and cases that could not be computed (errors). The exit code is 1 if any case differs \
      or is an error. The format is described in docs/case-format.md.

      Examples:
        losskit eval cases.json > results.json
        losskit eval Tests/Fixtures/conformance/tf/log_poisson_loss.json --check
      """
  )

  @Argument(help: "A case file, or - for standard input.")
  var file: String

  @Flag(help: "Compare with the expected values in the file and print a pass/fail summary.")
  var check = false

  func run() throws {
    let bytes: [UInt8]
    if file == "-" {
      bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    } else {
      guard FileManager.default.fileExists(atPath: file) else { throw InputError(file, "no such file") }
      guard let data = FileManager.default.contents(atPath: file) else { throw InputError(file, "cannot read the file") }
      bytes = [UInt8](data)
    }
    let caseFile = try CaseFile.parse(bytes, name: file)
    if check { try runCheck(caseFile) } else { printResults(caseFile) }
  }

  func printResults(_ caseFile: CaseFile) {
    print("{\"results\": [")
    for (index, entry) in caseFile.entries.enumerated() {
      let separator = index + 1 < caseFile.entries.count ? "," : ""
      let line: JSONValue
      switch entry {
      case .invalid(let id, let error):
        line = .object([("id", .string(id)), ("error", .string("\(error)"))])
      case .valid(let lossCase):
        switch CaseRunner.run(lossCase) {
        case .failed(let message, _):
          line = .object([("id", .string(lossCase.id)), ("error", .string(message))])
        case .computed(let result):
          line = .object([
            ("id", .string(lossCase.id)), ("loss", TensorJSON.value(result.loss, dtype: result.dtype)),
            ("grad_y_pred", TensorJSON.value(result.gradient, dtype: result.gradientDType)),
            ("dtype", .string(result.dtype.rawValue)), ("grad_dtype", .string(result.gradientDType.rawValue)),
          ])
        }
      }
      print(JSONWriter.write(line) + separator)
    }
    print("]}")
  }

  func runCheck(_ caseFile: CaseFile) throws {
    var passed = 0, deviations = 0, failed = 0, errors = 0
    for entry in caseFile.entries {
      switch entry {
      case .invalid(let id, let error):
        errors += 1
        print("ERROR \(id): cannot read the case: \(error)")
      case .valid(let lossCase):
        let outcome = CaseRunner.run(lossCase)
        switch CaseRunner.verdict(outcome, for: lossCase) {
        case .pass:
          passed += 1
        case .deviation(let reason):
          deviations += 1
          print("DEVIATION \(lossCase.id): \(reason)")
        case .fail(let reason):
          if lossCase.expected == nil {
            errors += 1
            print("ERROR \(lossCase.id): \(reason)")
          } else {
            failed += 1
            print("FAIL \(lossCase.id): \(reason)")
          }
        }
      }
    }
    let unchecked = caseFile.entries.filter { if case .valid(let c) = $0 { c.expected == nil } else { false } }.count
    var summary = "\(caseFile.entries.count) cases: \(passed) passed, \(deviations) deliberate deviations, \(failed) failed, \(errors) errors"
    if unchecked > 0 { summary += " (\(unchecked) without expected values, counted as passed when they compute)" }
    print(summary)
    if failed + errors > 0 { throw ExitCode.failure }
  }
}
