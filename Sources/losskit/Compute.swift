import ArgumentParser
import LossKit
import LossKitIO

struct Compute: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compute one loss and its gradient with respect to y_pred.",
    discussion: """
      Values (V) are inline lists (1,1,0), JSON literals ('[[0.1,0.9],[0.8,0.2]]' or \
      '{"shape": [2, 1], "data": [1, 0]}'), or paths to .npy, .csv or .json files. Parameters use \
      the framework's own names and defaults (see `losskit list`).

      Examples:
        losskit compute BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        losskit compute BinaryCrossentropy --framework tf_keras --y-true 1,1,1 --y-pred 1,1,0
        losskit compute CategoricalCrossentropy --framework keras \\
            --y-true '[[0,1,0],[0,0,1]]' --y-pred '[[0.05,0.95,0],[0.1,0.8,0.1]]' --param reduction=none
        losskit compute sigmoid_cross_entropy_with_logits --y-true labels.npy --y-pred logits.npy --json
      """
  )

  @Argument(help: "The framework's own class or function name, e.g. BinaryCrossentropy.")
  var loss: String

  @Option(help: "keras, tf_keras or tf. Needed when the name exists in several frameworks.")
  var framework: String?

  @Option(name: .customLong("y-true"), help: "Targets or labels (V).")
  var yTrue: String

  @Option(name: .customLong("y-pred"), help: "Predictions: probabilities or logits (V).")
  var yPred: String

  @Option(name: .customLong("sample-weight"), help: "Sample weights (V).")
  var sampleWeight: String?

  @Option(name: .customLong("param"), help: "A parameter as name=value, e.g. from_logits=true. Repeatable.")
  var parameters: [String] = []

  @Option(help: "float32 or float64.")
  var dtype: String = "float32"

  @Flag(help: "Print the result as JSON.")
  var json = false

  func run() throws {
    try runReportingErrors {
      guard let dtype = DType(rawValue: dtype) else {
        throw InputError("--dtype", "expected float32 or float64, got \"\(self.dtype)\"")
      }
      var parsed: [String: ParameterValue] = [:]
      for text in parameters {
        let (name, value) = try parseParameter(text)
        parsed[name] = value
      }
      let request = LossRequest(
        framework: try parseFramework(framework), loss: loss, parameters: parsed,
        yTrue: try TensorSource.load(yTrue, argument: "--y-true"),
        yPred: try TensorSource.load(yPred, argument: "--y-pred"),
        sampleWeight: try sampleWeight.map { try TensorSource.load($0, argument: "--sample-weight") },
        dtype: dtype)
      let result = try LossRegistry.standard.evaluate(request)
      if json {
        print(
          "{\"framework\": \(JSONWriter.quote(result.definition.framework.rawValue)), \"loss_name\": \(JSONWriter.quote(result.definition.name)), "
            + "\"dtype\": \"\(dtype.rawValue)\", \"loss\": \(TensorJSON.encode(result.loss, dtype: dtype)), "
            + "\"grad_y_pred\": \(TensorJSON.encode(result.gradient, dtype: dtype))}")
      } else {
        print("\(result.definition.qualifiedName) (\(dtype.rawValue))")
        print("loss: \(format(result.loss, dtype))")
        print("grad_y_pred: \(format(result.gradient, dtype))")
      }
    }
  }
}
