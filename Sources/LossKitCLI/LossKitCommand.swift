import ArgumentParser
import CLossKitKernels
import LossKit
import LossKitIO

@main
struct LossKitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "losskit",
    abstract: "Compute loss functions exactly as Keras 3, tf.keras 2 and TensorFlow do, and see why they differ.",
    discussion: """
      With no subcommand, losskit runs `losskit compare binary-crossentropy` on y_true = [1, 1, 1], \
      y_pred = [1, 1, 0]: the binary cross-entropy of every framework it knows, and the first step \
      at which each departs from the first.

      Examples:
        losskit
        losskit compute BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        losskit compute SparseCategoricalCrossentropy --framework tf_keras \\
            --y-true 0,2 --y-pred '[[0.9,0.05,0.05],[0.1,0.2,0.7]]' --param from_logits=false
        losskit eval Tests/Fixtures/conformance/keras/BinaryCrossentropy.json --check
        losskit list --framework tf
        losskit compare binary-crossentropy --y-true 1,1,1 --y-pred 1,1,0
        losskit explain BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        losskit diagnose --y-true 1,1,1 --y-pred 1,1,0 --observed 16.118
      """,
    version: "0.1.0",
    subcommands: [Compute.self, Eval.self, List.self, Compare.self, Explain.self, Diagnose.self, Cases.self, Plot.self, Bench.self, Merge.self]
  )

  static func main() {
    // Streamed runs reuse their chunk buffers instead of faulting them in again each time
    // (process-wide, so the executable sets it, not the library).
    _ = lk_keep_freed_chunks()
    main(nil)
  }

  func run() throws {
    let comparison = try Comparison.compare(.binaryCrossentropy, Comparison.seedExample)
    try CompareReport.print(comparison, json: false)
    print(
      """

      Explain one loss:    losskit explain BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
      Which convention?    losskit diagnose --y-true 1,1,1 --y-pred 1,1,0 --observed 16.118
      Every loss:          losskit list
      """)
  }
}
