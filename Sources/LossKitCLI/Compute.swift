import ArgumentParser
import LossKit
import LossKitIO

struct Compute: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compute one loss and its gradient with respect to y_pred.",
    discussion: """
      Values (V) are inline lists (1,1,0 or -1.5,2.0), JSON literals ('[[0.1,0.9],[0.8,0.2]]' or \
      '{"shape": [2, 1], "data": [1, 0]}'), or paths to .npy, .csv or .json files. Parameters use \
      the framework's own names and defaults (see `losskit list`). --dtype is the dtype of the \
      arrays handed to the framework; a framework may compute in another (Keras 3 casts to its \
      dtype parameter, float32 by default), and the result is printed in the dtype it computed in.

      Examples:
        losskit compute BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        losskit compute sigmoid_cross_entropy_with_logits --framework tf --y-true 1,0 --y-pred -1.5,2.0
        losskit compute CategoricalCrossentropy --framework keras \\
            --y-true '[[0,1,0],[0,0,1]]' --y-pred '[[0.05,0.95,0],[0.1,0.8,0.1]]' --param reduction=none
        losskit compute BinaryCrossentropy --framework keras --y-true '[[1,0,1]]' \\
            --y-pred '[[1.0,0.0,0.99999999]]' --dtype float64 --param dtype=float64
      """
  )

  @OptionGroup var options: LossOptions

  @Flag(help: "Print the result as JSON.")
  var json = false

  func run() throws {
    let request = try options.request()
    let registry = LossRegistry.standard
    let warnings = InputLint.warnings(
      definition: try registry.definition(named: request.loss, framework: request.framework), parameters: request.parameters,
      yTrue: request.yTrue, yPred: request.yPred)
    Warnings.print(warnings)
    let result = try registry.evaluate(request)
    if json {
      guard case .object(var members) = ResultJSON.value(result, request: request) else { return }
      members.append(("warnings", (try? JSONValueEncoder().encode(warnings)) ?? .array([])))
      printJSON(.object(members))
    } else {
      print("\(result.definition.qualifiedName) (\(result.dtype.rawValue))")
      print("loss: \(JSONWriter.text(result.loss, dtype: result.dtype))")
      print("grad_y_pred: \(JSONWriter.text(result.gradient, dtype: result.gradientDType))")
    }
  }
}

/// The JSON form of a computed result, shared by `compute --json` and `eval`.
enum ResultJSON {
  static func value(_ result: LossResult, request: LossRequest) -> JSONValue {
    .object([
      ("framework", .string(result.definition.framework.rawValue)),
      ("loss_name", .string(result.definition.name)),
      ("dtype", .string(request.dtype.rawValue)),
      ("compute_dtype", .string(result.dtype.rawValue)),
      ("loss", TensorJSON.value(result.loss, dtype: result.dtype)),
      ("grad_y_pred", TensorJSON.value(result.gradient, dtype: result.gradientDType)),
    ])
  }
}
