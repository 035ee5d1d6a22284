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
      --check, compares each case with its "expected" values instead and prints a summary; \
      the exit code is 1 if any case differs. The format is described in docs/case-format.md.

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
    try runReportingErrors {
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
  }

  func printResults(_ caseFile: CaseFile) {
    print("{\"results\": [")
    for (index, entry) in caseFile.entries.enumerated() {
      let separator = index + 1 < caseFile.entries.count ? "," : ""
      let id = JSONWriter.quote(entry.id)
      switch entry {
      case .invalid(_, let error):
        print("{\"id\": \(id), \"error\": \(JSONWriter.quote("\(error)"))}\(separator)")
      case .valid(let lossCase):
        switch CaseRunner.run(lossCase) {
        case .failed(let message):
          print("{\"id\": \(id), \"error\": \(JSONWriter.quote(message))}\(separator)")
        case .computed(let result):
          print(
            "{\"id\": \(id), \"loss\": \(TensorJSON.encode(result.loss, dtype: result.dtype)), "
              + "\"grad_y_pred\": \(TensorJSON.encode(result.gradient, dtype: result.dtype))}\(separator)")
        }
      }
    }
    print("]}")
  }

  func runCheck(_ caseFile: CaseFile) throws {
    var passed = 0
    var failed = 0
    var unchecked = 0
    for entry in caseFile.entries {
      switch entry {
      case .invalid(let id, let error):
        failed += 1
        print("FAIL \(id): cannot read the case: \(error)")
      case .valid(let lossCase):
        guard let expected = lossCase.expected else {
          unchecked += 1
          continue
        }
        if let problem = CaseRunner.mismatch(CaseRunner.run(lossCase), expected: expected) {
          failed += 1
          print("FAIL \(lossCase.id): \(problem)")
        } else {
          passed += 1
        }
      }
    }
    let total = caseFile.entries.count
    print("\(total) cases: \(passed) passed, \(failed) failed" + (unchecked > 0 ? ", \(unchecked) without expected values" : ""))
    if failed > 0 { throw ExitCode.failure }
  }
}
