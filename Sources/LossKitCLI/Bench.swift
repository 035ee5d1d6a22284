import ArgumentParser
import Foundation
import LossKit
import LossKitBenchmarkCases
import LossKitIO

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time the fused kernels on generated data, in nanoseconds per element.",
    discussion: """
      Generates seeded float32 inputs of --n elements (for softmax losses: n/1024 rows of \
      --classes logits), times the loss value (no gradient) on --threads threads, and \
      prints ns per element (per logit for softmax losses), the memory floor measured in \
      the same run (streaming the same two input arrays through a plain sum, the fastest \
      of reading ahead with the kernels' two software-prefetch distances and leaving it \
      to the hardware), and the kernel's ratio to it. The header says whether the kernels \
      prefetch on this CPU (not on AMD Zen 4); LOSSKIT_PREFETCH=0 or =1 overrides that. \
      Build with `swift build -c release` first: debug builds are 10–50× slower. \
      Tools/bench/peers.py runs numpy, PyTorch, TensorFlow and JAX on the same inputs.

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

  @Flag(help: "Time the value and the gradient, written into a preallocated buffer as a training loop asks for it (`evaluate(_:gradientInto:)`).")
  var gradient = false

  @Flag(help: "Time the traced engine (the reference the fused kernels are tested against, and the path of every loss without one) instead of the fused kernels.")
  var traced = false

  @Flag(help: "Also time the exact reduction of the loss value (the per-element losses summed exactly, rounded once), and its ratio to the default.")
  var exact = false

  @Flag(
    name: .customLong("fast-math"),
    help: "Time the fast-math kernels instead (LossKit's own exp and log1p, not the framework's bits; `losskit compute --fast-math`), for the losses that have one, with the default kernel's time beside them.")
  var fastMath = false

  @Option(
    help: ArgumentHelp(
      "Write each benchmark's inputs (.npy) and a cases.json describing them to this directory instead of timing (Tools/bench/peers.py reads them).",
      valueName: "directory"))
  var writeInputs: String?

  func validate() throws {
    guard n > 0 else { throw ValidationError("--n: expected a positive element count, got \(n)") }
    guard classes > 0 else { throw ValidationError("--classes: expected a positive class count, got \(classes)") }
    if let threads, threads <= 0 { throw ValidationError("--threads: expected a positive count, got \(threads)") }
    if fastMath && (traced || gradient || exact) {
      throw ValidationError("--fast-math times the fast-math kernels' loss value: it cannot be combined with --traced, --gradient or --exact")
    }
    guard repetitions > 0 else { throw ValidationError("--repetitions: expected a positive count, got \(repetitions)") }
    // Every case's inputs are generated (about 36 bytes per element at 2^25, with the
    // gradient buffers), and the softmax cases' rows × classes logits with their one-hot
    // labels: refused before generating rather than killed part way.
    try MachineMemory.require(Double(n) * 40 + Double(max(1, n / 1024)) * Double(classes) * 16) { needed, machine in
      "--n \(n), --classes \(classes): the generated inputs would take about \(needed), more than 80% of this machine's \(machine); use a smaller --n"
    }
  }

  func run() throws {
    if let threads { FusedExecution.threads = threads }
    let cases = try BenchmarkCase.standard(n: n, classes: classes).filter {
      try (loss == nil || $0.loss == loss) && (framework == nil || $0.framework == framework)
        && (!fastMath || FastMath.hasVariant($0.makeFunction()))
    }
    guard !cases.isEmpty else {
      let which = "\(framework.map { "\($0.rawValue)/" } ?? "")\(loss ?? "")"
      throw InputError("--loss", "no \(fastMath ? "fast-math " : "")benchmark for \(which) (see losskit bench --help)")
    }
    if fastMath && !FastMath.isSupported {
      throw InputError("--fast-math", "this CPU has no FMA (the fast-math kernels need AVX2 with FMA, AVX-512 or aarch64)")
    }
    if let writeInputs {
      try BenchmarkCase.write(cases, to: writeInputs)
      return
    }
    var rows: [JSONValue] = []
    if !json {
      print("threads: \(FusedExecution.threads), n: \(n), software prefetch: \(FusedExecution.softwarePrefetch ? "on" : "off")")
      print("framework  loss                                        ns/element  floor  ratio" + (exact ? "     exact  ×default" : "")
        + (fastMath ? "   default  ×default" : ""))
    }
    for benchmark in cases {
      let path: EvaluationPath = fastMath ? .fastMath : traced ? .traced : .automatic
      let measured = try benchmark.measure(repetitions: repetitions, exact: exact, path: path, gradient: gradient)
      // The default kernel in the same run, for the fast-math kernel's speed-up.
      let standard = fastMath ? try benchmark.measure(repetitions: repetitions).nsPerElement : nil
      if json {
        rows.append(.object([
          ("kind", .string(benchmark.kind)), ("framework", .string(benchmark.framework.rawValue)), ("loss", .string(benchmark.loss)),
          ("n", .number(Double(benchmark.elements), integer: benchmark.elements)),
          ("threads", .number(Double(FusedExecution.threads), integer: FusedExecution.threads)),
          ("ns_per_element", JSONValueEncoder.number(measured.nsPerElement)),
          ("floor_ns_per_element", JSONValueEncoder.number(measured.floorNsPerElement)),
          ("ratio_to_floor", JSONValueEncoder.number(measured.nsPerElement / measured.floorNsPerElement)),
          ("fused", .bool(measured.fused)), ("gradient", .bool(gradient)), ("value", JSONValueEncoder.number(measured.value)),
          ("math", .string(fastMath ? "fast" : "framework")),
        ] + (standard.map { [("default_ns_per_element", JSONValueEncoder.number($0))] } ?? [])
          + (measured.exactNsPerElement.map { exactTime in
          [("exact_ns_per_element", JSONValueEncoder.number(exactTime)),
           ("exact_ratio", JSONValueEncoder.number(exactTime / measured.nsPerElement)),
           ("exact_value", JSONValueEncoder.number(measured.exactValue ?? .nan))]
        } ?? []) + [
        ]))
      } else {
        let name = benchmark.loss + benchmark.optionSuffix + (gradient ? " +grad" : "") + (measured.fused ? "" : " (traced)")
        let exactColumns = measured.exactNsPerElement.map { String(format: "  %8.3f  %5.2f", $0, $0 / measured.nsPerElement) } ?? ""
          + (standard.map { String(format: "  %8.3f  %5.2f", $0, measured.nsPerElement / $0) } ?? "")
        print(
          benchmark.framework.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            + name.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(format: "%10.3f  %5.3f  %5.2f", measured.nsPerElement, measured.floorNsPerElement,
              measured.nsPerElement / measured.floorNsPerElement) + exactColumns)
      }
    }
    if json { printJSON(.object([("results", .array(rows)), ("software_prefetch", .bool(FusedExecution.softwarePrefetch))])) }
  }
}

extension BenchmarkCase {
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

  func measure(repetitions: Int, exact: Bool = false, path: EvaluationPath = .automatic, gradient: Bool = false) throws
    -> Measurement
  {
    let function = try makeFunction()
    let fused = try path == .fastMath
      ? FastMath.value(function, inputs) != nil : path == .automatic && function.fused(inputs, gradient: gradient) != nil
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
    var buffer = [Float](repeating: 0, count: gradient ? inputs.yPred.count : 0)
    let kernel = try buffer.withUnsafeMutableBufferPointer { gradientBuffer in
      try best {
        if gradient && path == .automatic {
          output = try function.evaluate(inputs, gradientInto: gradientBuffer)
        } else {
          output = try function.evaluate(inputs, path: path, gradient: gradient).loss
        }
        sink += output.scalars[0]
      }
    }
    // An unreduced op (tf.nn) is timed with its per-element output; its value is the mean.
    let value = output.scalars.reduce(0.0) { $0 + Double($1) } / Double(max(1, output.count))
    let second = inputs.yPred.count == inputs.yTrue.count ? inputs.yTrue.scalars : inputs.yPred.scalars
    // The fastest of the ways of reading ahead (the kernels' two prefetch distances, and
    // none), so that no choice of the kernels' makes the floor look slower than memory
    // allows.
    let floor = FusedExecution.FloorPrefetch.allCases.map { prefetch in
      best { sink += Float(FusedExecution.streamingFloor(inputs.yPred.scalars, second, prefetch: prefetch)) }
    }.min()!
    var measurement = Measurement(nsPerElement: kernel, floorNsPerElement: floor, fused: fused, value: Double(value))
    if exact {
      // The library's exact path: the fused kernel's per-element sum where the loss has
      // one, otherwise its per-sample values (reduction none) summed exactly.
      let request = self.request
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
