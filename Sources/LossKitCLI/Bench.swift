import ArgumentParser
import Foundation
import LossKit
import LossKitIO

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time the fused kernels on generated data, in nanoseconds per element.",
    discussion: """
      Generates seeded float32 inputs of --n elements (for softmax losses: n/1024 rows of \
      --classes logits), times the loss value (no gradient) on --threads threads, and \
      prints ns per element (per logit for softmax losses), the memory floor measured in \
      the same run (streaming the same two input arrays through a plain sum), and the \
      kernel's ratio to it. Build with `swift build -c release` first: debug builds are \
      10–50× slower. Tools/bench/peers.py runs numpy, PyTorch, TensorFlow and JAX on the \
      same inputs.

      Examples:
        swift build -c release && .build/release/losskit bench
        .build/release/losskit bench --loss BinaryCrossentropy --framework keras --n 33554432 --threads 1 --json
      """
  )

  @Option(help: "Only this loss (default: the standard set).")
  var loss: String?

  @Option(
    help: ArgumentHelp("The framework of --loss.", valueName: "framework"),
    transform: { try ChoiceArgument.parse($0, as: Framework.self, option: "--framework") })
  var framework: Framework?

  @Option(help: "Elements per input array (2^25 by default).")
  var n: Int = 1 << 25

  @Option(help: "Classes per row for the softmax losses.")
  var classes: Int = 1000

  @Option(help: "Worker threads (default: all cores).")
  var threads: Int?

  @Option(help: "Timed repetitions per kernel; the fastest is reported.")
  var repetitions: Int = 5

  @Flag(help: "Print {\"results\": [...]} as JSON.")
  var json = false

  @Flag(help: "Also time the exact reduction of the loss value (the per-element losses summed exactly, rounded once), and its ratio to the default.")
  var exact = false

  @Option(
    help: ArgumentHelp(
      "Write each benchmark's inputs (.npy) and a cases.json describing them to this directory instead of timing (Tools/bench/peers.py reads them).",
      valueName: "directory"))
  var writeInputs: String?

  func validate() throws {
    guard n > 0 else { throw ValidationError("--n: expected a positive element count, got \(n)") }
    guard classes > 0 else { throw ValidationError("--classes: expected a positive class count, got \(classes)") }
    if let threads, threads <= 0 { throw ValidationError("--threads: expected a positive count, got \(threads)") }
    guard repetitions > 0 else { throw ValidationError("--repetitions: expected a positive count, got \(repetitions)") }
  }

  func run() throws {
    if let threads { FusedExecution.threads = threads }
    let cases = try BenchmarkCase.standard(n: n, classes: classes).filter {
      (loss == nil || $0.loss == loss) && (framework == nil || $0.framework == framework)
    }
    guard !cases.isEmpty else {
      throw InputError("--loss", "no benchmark for \(framework.map { "\($0.rawValue)/" } ?? "")\(loss ?? "") (see losskit bench --help)")
    }
    if let writeInputs {
      try BenchmarkCase.write(cases, to: writeInputs)
      return
    }
    var rows: [JSONValue] = []
    if !json {
      print("threads: \(FusedExecution.threads), n: \(n)")
      print("framework  loss                                        ns/element  floor  ratio" + (exact ? "     exact  ×default" : ""))
    }
    for benchmark in cases {
      let measured = try benchmark.measure(repetitions: repetitions, exact: exact)
      if json {
        rows.append(.object([
          ("kind", .string(benchmark.kind)), ("framework", .string(benchmark.framework.rawValue)), ("loss", .string(benchmark.loss)),
          ("n", .number(Double(benchmark.elements), integer: benchmark.elements)),
          ("threads", .number(Double(FusedExecution.threads), integer: FusedExecution.threads)),
          ("ns_per_element", JSONValueEncoder.number(measured.nsPerElement)),
          ("floor_ns_per_element", JSONValueEncoder.number(measured.floorNsPerElement)),
          ("ratio_to_floor", JSONValueEncoder.number(measured.nsPerElement / measured.floorNsPerElement)),
          ("fused", .bool(measured.fused)), ("value", JSONValueEncoder.number(measured.value)),
        ] + (measured.exactNsPerElement.map { exactTime in
          [("exact_ns_per_element", JSONValueEncoder.number(exactTime)),
           ("exact_ratio", JSONValueEncoder.number(exactTime / measured.nsPerElement)),
           ("exact_value", JSONValueEncoder.number(measured.exactValue ?? .nan))]
        } ?? []) + [
        ]))
      } else {
        let options = benchmark.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        let name = benchmark.loss + (options.isEmpty ? "" : "(\(options))") + (measured.fused ? "" : " (traced)")
        let exactColumns = measured.exactNsPerElement.map { String(format: "  %8.3f  %5.2f", $0, $0 / measured.nsPerElement) } ?? ""
        print(
          benchmark.framework.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            + name.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(format: "%10.3f  %5.3f  %5.2f", measured.nsPerElement, measured.floorNsPerElement,
              measured.nsPerElement / measured.floorNsPerElement) + exactColumns)
      }
    }
    if json { printJSON(.object([("results", .array(rows))])) }
  }
}

/// One benchmarked loss: its configuration and generated inputs.
struct BenchmarkCase {
  /// What is computed, whatever the framework: `bce_probabilities`, `bce_logits`,
  /// `sparse_softmax_ce`, `softmax_ce`, `mse`, `mae`, `huber` (peers.py times each kind
  /// in every peer).
  var kind: String
  var framework: Framework
  var loss: String
  var parameters: ParameterList
  var inputs: LossInputs<Float>
  /// The count the time is divided by (elements, or logits for softmax losses).
  var elements: Int

  struct Measurement {
    var nsPerElement: Double
    var floorNsPerElement: Double
    var fused: Bool
    /// The loss value computed (peers.py checks the peers agree with it).
    var value: Double
    /// With `--exact`: the exact reduction's time and value.
    var exactNsPerElement: Double? = nil
    var exactValue: Double? = nil
  }

  /// Seeded data: labels in {0, 1}, probabilities in (0.001, 0.999), logits and
  /// regression targets uniform in (−3, 3), class labels uniform (and one-hot).
  static func standard(n: Int, classes: Int) throws -> [BenchmarkCase] {
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
      ("mse", [(.keras, "MeanSquaredError"), (.torch, "MSELoss")]),
      ("mae", [(.keras, "MeanAbsoluteError"), (.torch, "L1Loss")]),
      ("huber", [(.keras, "Huber"), (.torch, "HuberLoss")]),
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
        kind: "sparse_softmax_ce", framework: .tf, loss: "sparse_softmax_cross_entropy_with_logits", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "sparse_softmax_ce", framework: .keras, loss: "SparseCategoricalCrossentropy", parameters: ["from_logits": .bool(true)],
        inputs: LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "sparse_softmax_ce", framework: .torch, loss: "CrossEntropyLoss", parameters: [:],
        inputs: LossInputs(yTrue: Tensor(sparseLabels), yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "softmax_ce", framework: .tf, loss: "softmax_cross_entropy_with_logits", parameters: [:],
        inputs: LossInputs(yTrue: oneHot, yPred: classLogits), elements: rows * classes),
      BenchmarkCase(
        kind: "softmax_ce", framework: .keras, loss: "CategoricalCrossentropy", parameters: ["from_logits": .bool(true)],
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

  /// A file-name stem for the case: framework, loss, and the options that set it apart.
  var stem: String {
    ([framework.rawValue, loss] + parameters.map(\.name)).joined(separator: "_")
  }

  /// Writes every case's `y_true` and `y_pred` as float32 `.npy` files and a
  /// `cases.json` listing them, so that peers time the very same inputs.
  static func write(_ cases: [BenchmarkCase], to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var entries: [JSONValue] = []
    for benchmark in cases {
      var files: [(String, JSONValue)] = []
      for (name, tensor) in [("y_true", benchmark.inputs.yTrue), ("y_pred", benchmark.inputs.yPred)] {
        let file = "\(benchmark.stem).\(name).npy"
        let writer = try NPYWriter(path: (directory as NSString).appendingPathComponent(file), dtype: .float32)
        try writer.append(Tensor(shape: tensor.shape, scalars: tensor.scalars.map(Double.init)))
        try writer.finish()
        files.append((name, .string(file)))
      }
      entries.append(.object([
        ("kind", .string(benchmark.kind)), ("framework", .string(benchmark.framework.rawValue)), ("loss", .string(benchmark.loss)),
        ("parameters", .object(benchmark.parameters.map { ($0.name, $0.value.json) })),
        ("elements", .number(Double(benchmark.elements), integer: benchmark.elements)),
      ] + files))
    }
    let text = JSONWriter.write(.object([("cases", .array(entries))])) + "\n"
    try text.write(toFile: (directory as NSString).appendingPathComponent("cases.json"), atomically: true, encoding: .utf8)
  }

  func measure(repetitions: Int, exact: Bool = false) throws -> Measurement {
    let definition = try LossRegistry.standard.definition(named: loss, framework: framework)
    let function = try definition.make(parameters)
    let fused = try function.fused(inputs, gradient: false) != nil
    let clock = ContinuousClock()
    func best(_ body: () throws -> Void) rethrows -> Double {
      try body()  // warm up
      var fastest = Double.infinity
      for _ in 0..<repetitions {
        let elapsed = try clock.measure(body)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        fastest = min(fastest, seconds)
      }
      return fastest * 1e9 / Double(elements)
    }
    var sink = Float(0)
    var output = Tensor<Float>(Float.nan)
    let kernel = try best {
      output = try function.evaluate(inputs, gradient: false).loss
      sink += output.scalars[0]
    }
    // An unreduced op (tf.nn) is timed with its per-element output; its value is the mean.
    let value = output.scalars.reduce(0.0) { $0 + Double($1) } / Double(max(1, output.count))
    let floor = best { sink += Float(FusedExecution.streamingFloor(inputs.yPred.scalars, inputs.yPred.count == inputs.yTrue.count ? inputs.yTrue.scalars : inputs.yPred.scalars)) }
    var measurement = Measurement(nsPerElement: kernel, floorNsPerElement: floor, fused: fused, value: Double(value))
    if exact {
      // The library's exact path: the fused kernel's per-element sum where the loss has
      // one, otherwise its per-sample values (reduction none) summed exactly.
      let request = LossRequest(
        framework: framework, loss: loss, parameters: parameters, yTrue: inputs.yTrue.converted(), yPred: inputs.yPred.converted(),
        dtype: .float32)
      var exactValue = Double.nan
      measurement.exactNsPerElement = try best {
        if let reducible = function as? any ExactlyReducible, let sum = try reducible.exactElementSum(inputs) {
          // The mean of all per-element losses (the benchmark inputs are 1-D), rounded once.
          exactValue = Double(sum.sum.divided(by: Double(sum.elements)).roundedFloat)
        } else {
          exactValue = try LossRegistry.standard.reductionState(request).value
        }
      }
      measurement.exactValue = exactValue
    }
    if sink.isNaN { print("", terminator: "") }  // keeps the results alive
    return measurement
  }
}
