import ArgumentParser
import Foundation
import LossKit
import LossKitIO

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show a loss as its named steps, with each step's tensor and each element's share of the value.",
    discussion: """
      The loss is recorded on the traced engine (the same trace that gives its value): each \
      step with its parameters and its result (shortened for large inputs), then the per-element \
      losses (per row for categorical losses) with their contribution to the value, their share \
      of the total, and flags: clipped, saturated (zero gradient), masked, ignored, \
      weighted-to-zero, non-finite. Large inputs list the largest contributions.

      Examples:
        losskit explain BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        losskit explain SparseCategoricalCrossentropy --framework keras --y-true 0,2 \\
            --y-pred '[[0.9,0.05,0.05],[0.1,0.2,0.7]]' --param ignore_class=2 --json
      """
  )

  @OptionGroup var options: LossOptions

  @Option(help: "How many elements of each tensor to show.")
  var elements: Int = 8

  @Option(help: "How many per-element contributions to list (the largest first when there are more).")
  var top: Int = 20

  @Flag(help: "Print the explanation as JSON.")
  var json = false

  func run() throws {
    let request = try options.request()
    let explanation = try Explanation.explain(request, maximumElements: elements, maximumListed: top)
    Warnings.print(explanation.warnings)
    if json {
      print(try JSONValueEncoder().text(explanation))
      return
    }
    let dtype = DType(rawValue: explanation.dtype) ?? .float32
    func show(_ record: TraceDocumentV1.TensorRecord) -> String {
      let data = record.data.map { JSONWriter.text($0, dtype: DType(rawValue: record.dtype) ?? dtype) }
      if record.shape.isEmpty { return data.first ?? "" }
      let body = data.joined(separator: ", ") + (record.isTruncated ? ", … (\(record.count) elements)" : "")
      return "[\(body)] shape \(shapeText(record.shape))"
    }
    print("\(explanation.framework)/\(explanation.loss) (\(explanation.dtype)): loss \(show(explanation.value))\n")
    print("steps")
    for step in explanation.steps {
      let indent = String(repeating: "  ", count: step.depth + 1)
      let parameters = step.parameters.map { "\($0.name)=\(parameterText($0.value))" }.joined(separator: " ")
      print("\(indent)\(step.index + 1). [\(step.id)] \(step.title)" + (parameters.isEmpty ? "" : "   {\(parameters)}"))
      for input in step.inputs ?? [] { print("\(indent)     \(input.name) = \(show(input.value))") }
      if let output = step.output { print("\(indent)     → \(show(output))") }
    }
    let unit = explanation.granularity == "row" ? "row" : "element"
    guard explanation.elementCount > 0 else { return }
    print("")
    var heading = "per-\(unit) contributions (\(explanation.elementCount) \(unit)s, total \(JSONWriter.text(explanation.total, dtype: dtype)))"
    if explanation.elementsTruncated { heading += ", the \(explanation.elements.count) largest" }
    print(heading)
    let header = [unit, "y_true", "y_pred", "loss", "contribution", "share", "flags"]
    let rows = explanation.elements.map { e -> [String] in
      [
        "[" + e.position.map(String.init).joined(separator: ", ") + "]",
        e.yTrue.map { JSONWriter.text($0, dtype: dtype) } ?? "", e.yPred.map { JSONWriter.text($0, dtype: dtype) } ?? "",
        JSONWriter.text(e.loss, dtype: dtype), JSONWriter.text(e.contribution, dtype: dtype), percent(e.share),
        e.flags.map(\.rawValue).joined(separator: ", "),
      ]
    }
    for line in TextTable.lines([header] + rows) { print("  " + line) }
    let counts = Explanation.Flag.allCases.filter { explanation.flagCounts[$0] > 0 }.map { "\(explanation.flagCounts[$0]) \($0.rawValue)" }
    if !counts.isEmpty { print("flags: " + counts.joined(separator: ", ")) }
  }

  func percent(_ share: Double) -> String {
    guard share.isFinite else { return "nan" }
    let value = share * 100
    if value != 0 && Swift.abs(value) < 0.01 { return String(format: "%.1e%%", value) }
    return String(format: "%.2f%%", value)
  }

  func parameterText(_ value: ParameterValue) -> String {
    if case .float(let d) = value { return StepText.number(d) }
    if case .string(let s) = value { return s }
    return "\(value)"
  }
}

enum StepText {
  static func number(_ d: Double) -> String { Double(Float(d)) == d ? "\(Float(d))" : "\(d)" }
}

/// A shape as numpy prints it: `(3,)`, `(2, 3)`.
func shapeText(_ shape: [Int]) -> String { "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")") }
