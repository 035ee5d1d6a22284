import LossKit

/// One benchmarked loss configuration with its seeded float32 inputs: the same
/// configurations and the same data as `losskit bench` (Sources/LossKitCLI/Bench.swift,
/// `BenchmarkCase.standard`), so that a regression seen here can be measured there in
/// ns per element and against the peers (Tools/bench/peers.py). The CLI's type lives in
/// an executable target, which another package cannot import, hence this copy; keep the
/// two generators in step.
public struct LossBenchmarkCase: Sendable {
  /// What is computed, whatever the framework (as in `losskit bench --json`).
  public var kind: String
  public var framework: Framework
  public var loss: String
  public var parameters: ParameterList
  public var inputs: LossInputs<Float>
  /// The count a time is divided by: elements, or logits for the softmax losses.
  public var elements: Int

  /// A stable display name (baselines match benchmarks by name): the framework, the
  /// loss, and the options that set the configuration apart.
  public var name: String {
    let options = parameters.map { "\($0.name)=\($0.value)" }
    return "\(framework.rawValue).\(loss)" + (options.isEmpty ? "" : "(\(options.joined(separator: ",")))")
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

  /// The standard set on `n` elements (`n` logits in rows of `classes` for the softmax
  /// losses). Seeded: probabilities in (0.001, 0.999), logits `6p − 3`, labels in {0, 1},
  /// class indices uniform in `0..<classes`.
  public static func standard(n: Int, classes: Int = 1000) -> [LossBenchmarkCase] {
    var state: UInt64 = 0xBE0C
    func next() -> Float {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(state >> 40) / Float(1 << 24)
    }
    let labels = (0..<n).map { _ in next() < 0.5 ? Float(0) : 1 }
    let probabilities = (0..<n).map { _ in 0.001 + 0.998 * next() }
    let logits = probabilities.map { 6 * $0 - 3 }
    let rows = max(1, n / classes)
    let sparseLabels = (0..<rows).map { _ in Float(Int(next() * Float(classes)) % classes) }
    let classLogits = Tensor(
      shape: [rows, classes],
      scalars: Array(logits.prefix(rows * classes)) + Array(repeating: 0, count: max(0, rows * classes - n)))
    let binary = LossInputs(yTrue: Tensor(labels), yPred: Tensor(probabilities))
    let binaryLogits = LossInputs(yTrue: Tensor(labels), yPred: Tensor(logits))
    let sparse = LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits)
    return [
      LossBenchmarkCase(
        kind: "bce_probabilities", framework: .keras, loss: "BinaryCrossentropy", parameters: [:], inputs: binary,
        elements: n),
      LossBenchmarkCase(
        kind: "bce_probabilities", framework: .tfKeras, loss: "BinaryCrossentropy", parameters: [:], inputs: binary,
        elements: n),
      LossBenchmarkCase(
        kind: "bce_logits", framework: .keras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true)],
        inputs: binaryLogits, elements: n),
      LossBenchmarkCase(
        kind: "bce_logits", framework: .tf, loss: "sigmoid_cross_entropy_with_logits", parameters: [:],
        inputs: binaryLogits, elements: n),
      LossBenchmarkCase(
        kind: "sparse_softmax_ce", framework: .tf, loss: "sparse_softmax_cross_entropy_with_logits", parameters: [:],
        inputs: sparse, elements: rows * classes),
      LossBenchmarkCase(
        kind: "sparse_softmax_ce", framework: .keras, loss: "SparseCategoricalCrossentropy",
        parameters: ["from_logits": .bool(true)], inputs: sparse, elements: rows * classes),
    ]
  }
}
