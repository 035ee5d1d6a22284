import ArgumentParser
import Foundation
import LossKit
import LossKitIO

struct Diagnose: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find which convention (or which common mistake) produced an observed loss value.",
    discussion: """
      Searches every framework convention of every family that fits the inputs (or of --family) \
      and a catalogue of common mistakes — sum instead of mean, the wrong denominator, the \
      epsilon and where it goes, log base, logits vs probabilities, label smoothing, labels in \
      {0, 1} vs {−1, 1}, a transposed class axis, float64 vs float32 — for values that reproduce \
      --observed within float32 rounding and the precision it is written with. Candidates are \
      ranked: a framework's own loss with no mistake first, then by how many (and how common) \
      mistakes they assume. The mistake identifiers are listed in docs/explain.md.

      Examples:
        losskit diagnose --y-true 1,1,1 --y-pred 1,1,0 --observed 16.118
        losskit diagnose --y-true 1,1,1 --y-pred 1,1,0 --observed 15.333 --family binary-crossentropy --json
        losskit diagnose --y-true labels.npy --y-pred probabilities.npy --observed 0.4581
      """
  )

  @OptionGroup var inputs: InputOptions

  @Option(parsing: .unconditional, help: "The loss value you got (as printed; its digits set the precision).")
  var observed: String

  @Option(help: "Only this loss family (e.g. binary-crossentropy); default: every family that fits the inputs.")
  var family: String?

  @Option(
    name: .customLong("param"), parsing: .unconditionalSingleValue,
    help: "A family parameter to use instead of searching it (label_smoothing, gamma, delta). Repeatable.")
  var parameters: [String] = []

  @Option(help: "How many candidates to print.")
  var top: Int = 5

  @Flag(help: "Print the diagnosis as JSON.")
  var json = false

  func run() throws {
    let parsed = try TensorSource.parseInline(observed, argument: "--observed")
    guard parsed.count == 1 else { throw InputError("--observed", "expected one number, got \(parsed.count)") }
    let value = parsed.scalars[0]
    let options = DiagnosisOptions(
      family: family.map { FamilyID(rawValue: $0) }, observedText: observed,
      parameters: ParameterList(try parameters.map(ParameterArgument.parse)))
    let diagnosis = try Diagnosis.diagnose(try inputs.inputs(), observed: value, options: options)
    if json {
      print(try JSONValueEncoder().text(diagnosis))
      return
    }
    let tolerance = String(format: "%.3g", diagnosis.tolerance)
    print("observed \(observed): searched \(diagnosis.families.joined(separator: ", "))")
    if diagnosis.matched {
      print("\(diagnosis.candidates.count) candidate\(diagnosis.candidates.count == 1 ? "" : "s") within ±\(tolerance), best first:\n")
      show(Array(diagnosis.candidates.prefix(top)))
    } else {
      print("nothing reproduces \(observed) within ±\(tolerance). The nearest values:\n")
      show(diagnosis.nearest)
    }
  }

  func show(_ candidates: [Diagnosis.Candidate]) {
    for (index, c) in candidates.enumerated() {
      let dtype = DType(rawValue: c.dtype) ?? .float32
      let mistakes = c.mistakes.isEmpty ? "no mistake" : c.mistakes.map(\.rawValue).joined(separator: ", ")
      print("\(index + 1). \(JSONWriter.text(c.value, dtype: dtype))  \(c.framework)/\(c.loss)  [\(mistakes)]")
      print("   \(c.recipe)")
    }
  }
}
