import LossKit

/// One benchmarked loss configuration with its seeded float32 inputs: the cases
/// `losskit bench` times (and writes for Tools/bench/peers.py) and the regression suite
/// in Benchmarks/ registers, generated in one place so that both measure the same data.
public struct BenchmarkCase: Sendable {
  /// What is computed, whatever the framework: `bce_probabilities`, `bce_logits`,
  /// `sparse_softmax_ce`, `softmax_ce`, `mse`, `mae`, `huber` (peers.py times each kind
  /// in every peer).
  public var kind: String
  public var framework: Framework
  public var loss: String
  public var parameters: ParameterList
  public var inputs: LossInputs<Float>
  /// The count the time is divided by (elements, or logits for softmax losses).
  public var elements: Int

  /// A stable display name (benchmark baselines match by name): the framework, the
  /// loss, and the options that set the configuration apart.
  public var name: String { "\(framework.rawValue).\(loss)" + optionSuffix }

  /// `(name=value,…)` for the options given, or nothing.
  public var optionSuffix: String {
    let options = parameters.map { "\($0.name)=\($0.value)" }
    return options.isEmpty ? "" : "(\(options.joined(separator: ",")))"
  }

  /// A file-name stem for the case: framework, loss, and the options that set it apart.
  public var stem: String {
    ([framework.rawValue, loss] + parameters.map(\.name)).joined(separator: "_")
  }

  /// The configured loss, from the registry (the public API a user calls).
  public func makeFunction() throws -> any LossFunction {
    try LossRegistry.standard.definition(named: loss, framework: framework).make(parameters)
  }

  /// The same inputs as a registry request (float64 arrays tagged float32, as the CLI
  /// builds them), for the request-level APIs such as `evaluateExactly`.
  public var request: LossRequest {
    LossRequest(
      framework: framework, loss: loss, parameters: parameters, yTrue: inputs.yTrue.converted(),
      yPred: inputs.yPred.converted(), sampleWeight: nil, dtype: .float32)
  }

  /// Seeded data: labels in {0, 1}, probabilities in (0.001, 0.999), logits and
  /// regression targets uniform in (−3, 3), class labels uniform (and one-hot).
  public static func standard(n: Int, classes: Int = 1000) -> [BenchmarkCase] {
    var state: UInt64 = 0xBE0C
    func next() -> Float {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(state >> 40) / Float(1 << 24)
    }
    let labels = (0..<n).map { _ in next() < 0.5 ? Float(0) : 1 }
    let probabilities = (0..<n).map { _ in 0.001 + 0.998 * next() }
    let logits = probabilities.map { 6 * $0 - 3 }
    // Softmax losses: n/1024 rows of `classes` logits (2^25 → 32,768 rows of 1,000).
    let rows = max(1, n / 1024)
    let sparseLabels = (0..<rows).map { _ in Float(Int(next() * Float(classes)) % classes) }
    let targets = (0..<n).map { _ in 6 * next() - 3 }
    var oneHotScalars = [Float](repeating: 0, count: rows * classes)
    for (row, label) in sparseLabels.enumerated() { oneHotScalars[row * classes + Int(label)] = 1 }
    let oneHot = Tensor(shape: [rows, classes], scalars: oneHotScalars)
    let regression: [(String, [(Framework, String)])] = [
      ("mse", [(.keras, "MeanSquaredError"), (.torch, "MSELoss"), (.optax, "squared_error")]),
      ("mae", [(.keras, "MeanAbsoluteError"), (.torch, "L1Loss")]),
      ("huber", [(.keras, "Huber"), (.torch, "HuberLoss"), (.optax, "huber_loss")]),
    ]
    let classLogits = Tensor(
      shape: [rows, classes], scalars: rows * classes <= n ? Array(logits.prefix(rows * classes)) : (0..<(rows * classes)).map { _ in 6 * next() - 3 })
    return [
      BenchmarkCase(
        kind: "bce_probabilities", framework: .keras, loss: "BinaryCrossentropy", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(labels), yPred: Tensor(probabilities)), elements: n),
      BenchmarkCase(
        kind: "bce_probabilities", framework: .tfKeras, loss: "BinaryCrossentropy", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(labels), yPred: Tensor(probabilities)), elements: n),
      BenchmarkCase(
        kind: "bce_logits", framework: .keras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true)],
        inputs: LossInputs(yTrue: Tensor(labels), yPred: Tensor(logits)), elements: n),
      BenchmarkCase(
        kind: "bce_logits", framework: .tf, loss: "sigmoid_cross_entropy_with_logits", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(labels), yPred: Tensor(logits)), elements: n),
      BenchmarkCase(
        kind: "bce_logits", framework: .optax, loss: "sigmoid_binary_cross_entropy", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(labels), yPred: Tensor(logits)), elements: n),
      BenchmarkCase(
        kind: "sparse_softmax_ce", framework: .tf, loss: "sparse_softmax_cross_entropy_with_logits", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "sparse_softmax_ce", framework: .keras, loss: "SparseCategoricalCrossentropy", parameters: ["from_logits": .bool(true)],
        inputs: LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "sparse_softmax_ce", framework: .torch, loss: "CrossEntropyLoss", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "sparse_softmax_ce", framework: .optax, loss: "softmax_cross_entropy_with_integer_labels", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "softmax_ce", framework: .tf, loss: "softmax_cross_entropy_with_logits", parameters: [:],
        inputs: LossInputs(yTrue: oneHot, yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "softmax_ce", framework: .keras, loss: "CategoricalCrossentropy", parameters: ["from_logits": .bool(true)],
        inputs: LossInputs(yTrue: oneHot, yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "softmax_ce", framework: .optax, loss: "softmax_cross_entropy", parameters: [:],
        inputs: LossInputs(yTrue: oneHot, yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "bce_probabilities", framework: .torch, loss: "BCELoss", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(labels), yPred: Tensor(probabilities)), elements: n),
      BenchmarkCase(
        kind: "bce_logits", framework: .torch, loss: "BCEWithLogitsLoss", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(labels), yPred: Tensor(logits)), elements: n),
    ] + regression.flatMap { kind, losses in
      losses.map { framework, loss in
        BenchmarkCase(
          kind: kind, framework: framework, loss: loss, parameters: [:],
          inputs: LossInputs(yTrue: Tensor(targets), yPred: Tensor(logits)), elements: n)
      }
    }
  }
}
