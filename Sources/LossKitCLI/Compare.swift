import ArgumentParser
import Foundation
import LossKit
import LossKitIO

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run one input through every framework's version of a loss family and say where each departs.",
    discussion: """
      One row per framework convention with its value and per-element losses; for each row after \
      the first, the first step (from the traced, typed steps) at which it computes differently \
      from the first row. Families: \(LossFamilies.standard.families.map(\.id.rawValue).joined(separator: ", ")).

      Parameters are family parameters in Keras's spelling: --param from_logits=true shows the \
      members that read y_pred as logits (false: probabilities; without it, each framework's loss \
      with its defaults), --param reduction=mean|sum|none, and e.g. --param label_smoothing=0.1 \
      (translated to each framework; a member that does not take it is skipped).

      Examples:
        losskit compare binary-crossentropy --y-true 1,1,1 --y-pred 1,1,0
        losskit compare binary-crossentropy --y-true 1,0 --y-pred 3,-2 --param from_logits=true
        losskit compare categorical-crossentropy --y-true '[[0,1,0],[0,0,1]]' \\
            --y-pred '[[0.05,0.95,0],[0.1,0.8,0.1]]' --sample-weight 1,0 --json
      """
  )

  @Argument(help: "The loss family, e.g. binary-crossentropy.")
  var family: String

  @OptionGroup var inputs: InputOptions

  @Option(
    name: .customLong("param"), parsing: .unconditionalSingleValue,
    help: "A family parameter as name=value (from_logits, reduction, label_smoothing, ...). Repeatable.")
  var parameters: [String] = []

  @Flag(help: "Print the comparison as JSON.")
  var json = false

  func run() throws {
    let comparison = try Comparison.compare(
      FamilyID(rawValue: family), try inputs.inputs(), parameters: ParameterList(try parameters.map(ParameterArgument.parse)))
    try CompareReport.print(comparison, json: json)
  }
}

/// The text and JSON forms of a comparison (shared with the default command).
enum CompareReport {
  static func print(_ comparison: Comparison, json: Bool) throws {
    Warnings.print(comparison.warnings)
    if json {
      Swift.print(try JSONValueEncoder().text(comparison))
      return
    }
    let dtype = DType(rawValue: comparison.dtype) ?? .float32
    func values(_ t: Tensor<Double>) -> String {
      // Labels and 0/1 predictions read best as integers: [1, 1, 0].
      if t.scalars.allSatisfy({ $0.rounded() == $0 && Swift.abs($0) < 1e6 }) { return t.nestedList { String(Int($0)) } }
      return JSONWriter.text(t, dtype: dtype)
    }
    var heading = "\(comparison.title) (\(comparison.family)) of y_true = \(values(comparison.yTrue)), y_pred = \(values(comparison.yPred))"
    if let w = comparison.sampleWeight { heading += ", sample_weight = \(values(w))" }
    Swift.print("\(heading) (\(comparison.dtype))\n")
    let table = comparison.rows.map { row -> [String] in
      let rowDType = DType(rawValue: row.dtype) ?? .float32
      let name = row.loss + (row.shown.map { " (\($0))" } ?? "")
      return [
        row.framework, name, JSONWriter.text(row.value, dtype: rowDType),
        "[" + row.perElement.map { JSONWriter.text($0, dtype: rowDType) }.joined(separator: ", ") + "]",
      ]
    }
    let header = ["framework", "loss", "value", comparison.rows.first.map { _ in "per element" } ?? ""]
    let lines = TextTable.lines([header] + table)
    Swift.print(lines[0])
    let referenceName = comparison.rows.first?.framework ?? ""
    for (row, line) in zip(comparison.rows, lines.dropFirst()) {
      Swift.print(line)
      var why = row.convention
      if row.shown != nil { why += " (\(row.shown!) shown)" }
      if row.weightedByLossKit { why += "; takes no sample weight: weighted by losskit" }
      Swift.print("    convention: \(why)")
      if let departure = row.departure, departure.step == "none" || departure.step == "rounding" {
        Swift.print("    \(departure.description)")
      } else if let departure = row.departure {
        var text = "departs from \(referenceName) at \(departure.step): \(departure.description)"
        if let reference = departure.reference { text += " (\(referenceName): \(reference))" }
        Swift.print("    \(text)")
        if let also = row.alsoDeparts {
          var more = "and at \(also.step): \(also.description)"
          if let reference = also.reference { more += " (\(referenceName): \(reference))" }
          Swift.print("    \(more)")
        }
        if let first = comparison.rows.first, row.value == first.value {
          Swift.print("    the same value as \(referenceName) by other steps")
        }
      }
      if let largest = row.largest { Swift.print("    largest: \(largest)") }
    }
    for skipped in comparison.skipped { Swift.print("skipped \(skipped)") }
  }
}

/// Lint warnings on standard error, one line each.
enum Warnings {
  static func print(_ warnings: [LintWarning]) {
    for warning in warnings {
      FileHandle.standardError.write(Data("warning: \(warning.message) [\(warning.id)]\n".utf8))
    }
  }
}
