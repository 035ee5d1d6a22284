import ArgumentParser
import LossKit
import LossKitIO

@main
struct LossKitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "losskit",
    abstract: "Compute loss functions exactly as Keras 3, tf.keras 2 and TensorFlow do, and see why they differ.",
    discussion: """
      With no subcommand, losskit runs y_true = [1, 1, 1], y_pred = [1, 1, 0] through the binary \
      cross-entropy of every framework it knows and says why each number differs.

      Examples:
        losskit
        losskit compute BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        losskit compute SparseCategoricalCrossentropy --framework tf_keras \\
            --y-true 0,2 --y-pred '[[0.9,0.05,0.05],[0.1,0.2,0.7]]' --param from_logits=false
        losskit eval Tests/Fixtures/conformance/keras/BinaryCrossentropy.json --check
        losskit list --framework tf
      """,
    version: "0.1.0",
    subcommands: [Compute.self, Eval.self, List.self, Bench.self, Merge.self]
  )

  func run() throws {
    do {
      let example = CrossFrameworkExample.binaryCrossentropy
      let results = try example.evaluate()
      print("\(example.title) (\(example.dtype.rawValue))\n")
      let rows = results.map { result -> [String] in
        let name = result.row.loss + (result.isMeanOfUnreducedValues ? " (mean)" : "")
        return [
          result.row.framework.rawValue, name, JSONWriter.text(result.value, dtype: example.dtype),
          "[" + result.elements.map { JSONWriter.text($0, dtype: example.dtype) }.joined(separator: ", ") + "]",
        ]
      }
      let header = ["framework", "loss", "value", "per element"]
      let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
      func line(_ cells: [String]) -> String {
        let padded = zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        return String(padded.reversed().drop { $0 == " " }.reversed())
      }
      print(line(header))
      for (row, result) in zip(rows, results) {
        print(line(row))
        print("    why: \(result.row.reason)")
      }
      print(
        """

        One loss in detail:  losskit compute BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        Every loss:          losskit list
        """)
    }
  }
}
