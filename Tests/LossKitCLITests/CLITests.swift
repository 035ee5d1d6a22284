import Foundation
import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

@testable import LossKitCLI

/// Runs the built `losskit` executable, as a user would.
struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// The built `losskit`: the test bundle and the executable share the products directory.
func losskitExecutable() throws -> URL {
  let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let candidates = [products, Bundle.main.bundleURL, products.deletingLastPathComponent()]
    .map { $0.appendingPathComponent("losskit") }
  return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
}

func runLosskit(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
  let executable = try losskitExecutable()
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  if !environment.isEmpty {
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
  }
  let out = Pipe()
  let err = Pipe()
  let input = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = input
  try process.run()
  if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
  try input.fileHandleForWriting.close()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return CommandResult(
    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: stderr, as: UTF8.self))
}

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Fixtures")

@Suite("losskit end to end")
struct CLITests {
  @Test func noArgumentsPrintsTheCrossFrameworkTable() throws {
    let result = try runLosskit([])
    #expect(result.status == 0)
    // The values the frameworks themselves print for this input (keras 3.15.1 and
    // tf-keras 2.21, recorded in Tests/Fixtures/conformance/*/BinaryCrossentropy.json).
    #expect(result.stdout.contains("5.3726983"))
    #expect(result.stdout.contains("5.1416497"))
    #expect(result.stdout.contains("5.3141284"))  // scikit-learn's log_loss in float32
    // torch's BCELoss clamps log(0) at −100 (torch 2.15.0, Tests/Fixtures/conformance/torch/BCELoss.json).
    #expect(result.stdout.contains("33.333332"))
    for framework in ["keras", "tf_keras", "tf", "tf_v1", "sklearn", "torch", "optax"] {
      #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix(framework + " ") })
    }
    #expect(result.stdout.contains("convention:") && result.stdout.contains("departs from keras at"))
    // Each departure read from the steps: torch's clamp, scikit-learn's clip, tf_v1's ε in the logs.
    #expect(result.stdout.contains("departs from keras at elementwise-loss: no clip; clamps each log at −100"))
    #expect(result.stdout.contains("departs from keras at clip: clips y_pred to [1.1920929e-07, 0.9999999], ε = finfo(float32).eps"))
    #expect(result.stdout.contains("departs from keras at elementwise-loss: no clip; adds 1e-07 inside each log"))
    #expect(result.stdout.contains("the same value as keras by other steps"))
    let torch = result.stdout.split(separator: "\n").filter { $0.hasPrefix("torch ") }
    #expect(torch.count == 2 && torch[1].contains("BCEWithLogitsLoss") && torch[1].contains("0.43989018"))
    // Optax's logits loss, unreduced: its mean as jnp.mean gives it (XLA multiplies the sum
    // by fl(1/3): 0.4398902, where tf.nn's and torch's divide, 0.43989018).
    let optax = result.stdout.split(separator: "\n").first { $0.hasPrefix("optax ") }
    let jaxMean = Float(try RecordedMeans.optax("motivating-sigmoid_binary_cross_entropy-float32"))
    #expect(optax?.contains("sigmoid_binary_cross_entropy") == true && optax?.contains(" \(jaxMean) ") == true, "\(optax ?? "")")
  }

  /// A tensor parameter takes what --y-true takes: an inline list or a file.
  @Test func tensorParametersTakeInlineListsAndFiles() throws {
    // scikit-learn's log_loss with labels=[0, 1] (sklearn/log_loss/motivating-1: 5.3141284).
    let inline = try runLosskit(["compute", "log_loss", "--framework", "sklearn", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--param", "labels=0,1"])
    #expect(inline.status == 0, "\(inline.stderr)")
    #expect(inline.stdout.contains("loss: 5.3141284"))
    let json = try runLosskit(["compute", "log_loss", "--framework", "sklearn", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--param", "labels=[0,1]"])
    #expect(json.stdout.contains("loss: 5.3141284"))
    let missing = try runLosskit(["compute", "BCEWithLogitsLoss", "--framework", "torch", "--y-true", "1,0", "--y-pred", "0.5,0.2", "--param", "pos_weight=no-such.npy"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("Error: --param pos_weight no-such.npy: no such file"), "\(missing.stderr)")
  }

  @Test func computePrintsTheFrameworksNumber() throws {
    let keras = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,1,1", "--y-pred", "1,1,0"])
    #expect(keras.status == 0)
    #expect(keras.stdout.contains("loss: 5.3726983\n"))
    let legacy = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "tf_keras", "--y-true", "1,1,1", "--y-pred", "1,1,0"])
    #expect(legacy.stdout.contains("loss: 5.1416497\n"))
    let torch = try runLosskit(["compute", "BCELoss", "--framework", "torch", "--y-true", "1,1,1", "--y-pred", "1,1,0"])
    #expect(torch.status == 0)
    #expect(torch.stdout.contains("loss: 33.333332\n"))
  }

  @Test func computeAsJSONWithParametersAndFloat64() throws {
    let result = try runLosskit([
      "compute", "CategoricalCrossentropy", "--framework", "keras", "--y-true", "[[0,1,0],[0,0,1]]",
      "--y-pred", "[[0.05,0.95,0],[0.1,0.8,0.1]]", "--param", "reduction=none", "--dtype", "float64", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("{\"framework\": \"keras\""))
    #expect(result.stdout.contains("\"dtype\": \"float64\""))
    #expect(result.stdout.contains("\"loss\": {\"shape\": [2], \"data\": ["))
  }

  @Test func computeReadsNPYAndCSVFiles() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("losskit-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let labels = directory.appendingPathComponent("labels.csv")
    try "1\n1\n1\n".write(to: labels, atomically: true, encoding: .utf8)
    let predictions = directory.appendingPathComponent("predictions.json")
    try "[[1],[1],[0]]".write(to: predictions, atomically: true, encoding: .utf8)
    let result = try runLosskit([
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", labels.path, "--y-pred", predictions.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("loss: 5.3726983"))
  }

  @Test(arguments: [
    (["compute", "BinaryCrossentropy", "--y-true", "1", "--y-pred", "1"], "--framework"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,1", "--y-pred", "1,1,0"], "y_true"),
    (["compute", "BinaryCrosentropy", "--framework", "keras", "--y-true", "1", "--y-pred", "1"], "did you mean BinaryCrossentropy"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1", "--y-pred", "1", "--param", "from_logit=true"], "from_logits"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1", "--y-pred", "1", "--param", "reduction=sumx"], "did you mean \"sum\""),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1", "--y-pred", "1", "--param", "axis=0", "--param", "axis=1"], "more than once"),
    (["compute", "SparseCategoricalCrossentropy", "--framework", "keras", "--y-true", "0,3", "--y-pred", "[[0.5,0.5,0],[0.2,0.3,0.5]]"], "label 3"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "missing.npy", "--y-pred", "1"], "no such file"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,x", "--y-pred", "1,1"], "--y-true"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1", "--y-pred", "{'a': 1}"], "double quotes"),
    (["eval", "missing-cases.json"], "no such file"),
  ])
  func badInputFailsWithOneLineError(arguments: [String], mentions: String) throws {
    let result = try runLosskit(arguments)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("Error: "))
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  /// Enumerated options parse as enums, with the suggestions names get; a bad value is a
  /// usage error (exit code 64, with ArgumentParser's usage lines).
  @Test(arguments: [
    (["compute", "BinaryCrossentropy", "--framework", "kersa", "--y-true", "1", "--y-pred", "1"], "did you mean 'keras'?"),
    (["compute", "BinaryCrossentropy", "--framework", "pytorch", "--y-true", "1", "--y-pred", "1"], "expected one of 'keras'"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1", "--y-pred", "1", "--dtype", "float33"], "did you mean 'float32'"),
    (["list", "--framework", "tf-keras"], "did you mean 'tf_keras'"),
  ])
  func badEnumeratedOptionIsAUsageError(arguments: [String], mentions: String) throws {
    let result = try runLosskit(arguments)
    #expect(result.status == 64)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
  }

  /// Logits are usually negative: values that start with "-" are values.
  @Test func negativeValuesAndTensorFlowsFlushToZero() throws {
    let result = try runLosskit([
      "compute", "sigmoid_cross_entropy_with_logits", "--framework", "tf", "--y-true", "1,0", "--y-pred", "-1.5,2.0",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // TensorFlow 2.21 prints [1.7014133 2.126928] for this call.
    #expect(result.stdout.contains("loss: [1.7014133, 2.126928]\n"), "\(result.stdout)")
    // exp(-90) is subnormal in float32; TF's CPU kernels flush it to zero.
    let flushed = try runLosskit(["compute", "sigmoid_cross_entropy_with_logits", "--framework", "tf", "--y-true", "0", "--y-pred", "-90"])
    #expect(flushed.stdout.contains("loss: 0.0\n"), "\(flushed.stdout)")
    let negativeWeight = try runLosskit([
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,0", "--y-pred", "0.3,0.6",
      "--sample-weight", "-1,2", "--param", "reduction=sum",
    ])
    #expect(negativeWeight.status == 0, "\(negativeWeight.stderr)")
  }

  /// Keras 3 computes in its `dtype` parameter, float32 by default, whatever the arrays
  /// are (the values Keras 3.15.1 prints for this example).
  @Test func kerasDTypeParameter() throws {
    let base = [
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "[[1,0,1]]", "--y-pred", "[[1.0,0.0,0.99999999]]",
      "--dtype", "float64",
    ]
    let byDefault = try runLosskit(base)
    #expect(byDefault.stdout.contains("(float32)\nloss: 1.1920929e-07\n"), "\(byDefault.stdout)")
    let float64 = try runLosskit(base + ["--param", "dtype=float64"])
    #expect(float64.stdout.contains("(float64)\nloss: 1.0000000494736474e-07\n"), "\(float64.stdout)")
  }

  @Test func nanPrintsTheSameInTextAndJSON() throws {
    let arguments = ["compute", "sigmoid_cross_entropy_with_logits", "--framework", "tf", "--y-true", "[nan, 1]", "--y-pred", "[0.5, -inf]"]
    let text = try runLosskit(arguments)
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("loss: [nan, inf]"), "\(text.stdout)")
    let json = try runLosskit(arguments + ["--json"])
    #expect(json.stdout.contains("\"loss\": {\"shape\": [2], \"data\": [\"nan\", \"inf\"]}"), "\(json.stdout)")
  }

  @Test func csvWithByteOrderMarkAndPandasHeader() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("losskit-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // Excel's "CSV UTF-8" starts with a byte-order mark; pandas' to_csv() writes a header
    // and an unnamed index column.
    let labels = directory.appendingPathComponent("labels.csv")
    try Data([0xEF, 0xBB, 0xBF] + Array("y\n1\n1\n1\n".utf8)).write(to: labels)
    let predictions = directory.appendingPathComponent("predictions.csv")
    try ",p\n0,1.0\n1,1.0\n2,0.0\n".write(to: predictions, atomically: true, encoding: .utf8)
    let result = try runLosskit([
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", labels.path, "--y-pred", predictions.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("loss: 5.3726983\n"), "\(result.stdout)")
  }

  @Test func evalChecksAFixtureFile() throws {
    let file = fixtures.appendingPathComponent("conformance/tf/log_poisson_loss.json").path
    let result = try runLosskit(["eval", file, "--check"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("57 cases: 57 passed, 0 deliberate deviations, 0 failed, 0 errors"), "\(result.stdout)")
  }

  /// The shipped corpus checks clean; the deliberate deviation is reported as one.
  @Test func evalCheckReportsTheDeliberateDeviation() throws {
    let file = fixtures.appendingPathComponent("conformance/keras/CategoricalGeneralizedCrossEntropy.json").path
    let result = try runLosskit(["eval", file, "--check"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("DEVIATION keras/CategoricalGeneralizedCrossEntropy/label-out-of-range-52"))
    #expect(result.stdout.contains("1 deliberate deviations, 0 failed, 0 errors"), "\(result.stdout)")
  }

  /// A case that cannot be computed is an error in --check, never silently skipped.
  @Test func evalCheckCountsUncomputableCasesAsErrors() throws {
    let cases = """
      {"format": "losskit-cases/1", "cases": [
        {"id": "no-expectation", "framework": "keras", "loss": "NoSuchLoss", "y_true": [1], "y_pred": [1]},
        {"id": "unreadable", "framework": "keras", "loss": "BinaryCrossentropy", "y_true": [1]}
      ]}
      """
    let result = try runLosskit(["eval", "-", "--check"], stdin: cases)
    #expect(result.status == 1)
    #expect(result.stdout.contains("2 cases: 0 passed, 0 deliberate deviations, 0 failed, 2 errors"), "\(result.stdout)")
  }

  @Test func evalKeepsGoingPastBadCases() throws {
    let cases = """
      {"format": "losskit-cases/1", "cases": [
        {"id": "good", "framework": "keras", "loss": "BinaryCrossentropy", "params": {},
         "y_true": {"shape": [3], "data": [1, 1, 1]}, "y_pred": {"shape": [3], "data": [1, 1, 0]},
         "sample_weight": null, "dtype": "float32"},
        {"id": "unknown-loss", "framework": "keras", "loss": "NoSuchLoss", "params": {},
         "y_true": [1], "y_pred": [1], "dtype": "float32"},
        {"id": "no-prediction", "framework": "keras", "loss": "BinaryCrossentropy", "y_true": [1]},
        {"id": "bad-shape", "framework": "tf", "loss": "sigmoid_cross_entropy_with_logits",
         "y_true": [1, 0], "y_pred": [0.5], "dtype": "float64"}
      ]}
      """
    let result = try runLosskit(["eval", "-"], stdin: cases)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "{\"results\": [")
    #expect(lines.last == "]}")
    #expect(lines[1].hasPrefix("{\"id\": \"good\", \"loss\": {\"shape\": [], \"data\": [5.3726983]}"))
    #expect(lines[2].hasPrefix("{\"id\": \"unknown-loss\", \"error\": "))
    #expect(lines[3].contains("\"error\": \"cases[2].y_pred: missing\""))
    #expect(lines[4].contains("\"error\": \"labels: expected the same shape as logits"))
  }

  @Test func evalRejectsMalformedFilesWithoutCrashing() throws {
    for text in ["{\"format\": \"losskit-cases/1\", \"cases\": [{\"id\": ", "[1, 2]", "{\"format\": \"other/2\", \"cases\": []}", ""] {
      let result = try runLosskit(["eval", "-"], stdin: text)
      #expect(result.status == 1, "\(text)")
      #expect(result.stderr.hasPrefix("Error: -: "), "\(result.stderr)")
    }
  }

  /// `compute --fast-math`: the value from LossKit's own exp and log1p, within the float32
  /// loss tolerance (1e-6 relative) of the framework's; the gradient is not computed; a
  /// loss without the kernel says so and computes the framework's value; flags that need
  /// the gradient, the exact reduction or streaming are refused by name.
  @Test func computeWithFastMath() throws {
    let base = ["compute", "BinaryCrossentropy", "--framework", "keras", "--param", "from_logits=true",
                "--y-true", "1,0,1,1,0,0.5", "--y-pred", "2.5,-1,0.3,-4,7.25,0.01"]
    let fast = try runLosskit(base + ["--fast-math"]), standard = try runLosskit(base)
    #expect(fast.status == 0 && standard.status == 0, "\(fast.stderr)")
    #expect(fast.stdout.contains("keras/BinaryCrossentropy (float32, fast math)\n"), "\(fast.stdout)")
    #expect(fast.stdout.contains("grad_y_pred: not computed with --fast-math"))
    func loss(_ text: String) -> Float? {
      text.split(separator: "\n").first { $0.hasPrefix("loss: ") }.flatMap { Float($0.dropFirst("loss: ".count)) }
    }
    let (a, b) = (try #require(loss(fast.stdout)), try #require(loss(standard.stdout)))
    #expect(abs(a - b) <= 1e-6 * abs(b), "fast \(a), framework \(b)")
    let json = try runLosskit(base + ["--fast-math", "--json"])
    #expect(json.status == 0 && json.stdout.contains("\"math\": \"fast\""), "\(json.stdout)")

    let probabilities = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,0", "--y-pred", "0.3,0.2"]
    let without = try runLosskit(probabilities + ["--fast-math"]), plain = try runLosskit(probabilities)
    #expect(without.status == 0)
    #expect(without.stderr.contains("warning: --fast-math: keras/BinaryCrossentropy has no fast-math kernel in this configuration"))
    #expect(loss(without.stdout) != nil && loss(without.stdout) == loss(plain.stdout))

    for flag in [["--exact"], ["--stream"], ["--gradient-out", "g.npy"], ["--print-gradient"]] {
      let refused = try runLosskit(base + ["--fast-math"] + flag)
      #expect(refused.status != 0)
      #expect(refused.stderr.contains("--fast-math and \(flag[0])"), "\(flag): \(refused.stderr)")
    }
  }

  /// `bench --fast-math` times the fast-math kernels beside the default ones, and says when
  /// the chosen loss has none.
  @Test func benchWithFastMath() throws {
    let arguments = ["bench", "--fast-math", "--loss", "sparse_softmax_cross_entropy_with_logits", "--framework", "tf",
                     "--n", "65536", "--repetitions", "1"]
    let json = try runLosskit(arguments + ["--json"])
    #expect(json.status == 0, "\(json.stderr)")
    #expect(json.stdout.contains("\"math\": \"fast\"") && json.stdout.contains("\"default_ns_per_element\": "), "\(json.stdout)")
    #expect(json.stdout.contains("\"fused\": true"))
    let none = try runLosskit(["bench", "--fast-math", "--loss", "MeanSquaredError", "--framework", "keras", "--n", "1024"])
    #expect(none.status != 0)
    #expect(none.stderr.contains("no fast-math benchmark for keras/MeanSquaredError"), "\(none.stderr)")
  }

  /// A `--n` whose generated inputs would not fit in memory is refused before they are
  /// generated (LOSSKIT_PHYSICAL_MEMORY stands in for the machine's memory: 65,536
  /// elements take about 2.6 MB by the estimate).
  @Test func benchRefusesInputsLargerThanMemory() throws {
    let arguments = ["bench", "--loss", "MeanSquaredError", "--framework", "keras", "--n", "65536", "--repetitions", "1"]
    let refused = try runLosskit(arguments, environment: ["LOSSKIT_PHYSICAL_MEMORY": "2000000"])
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("--n 65536, --classes 1000: the generated inputs would take about 0.0 GiB, more than 80% of this machine's 0.0 GiB; use a smaller --n"),
      "\(refused.stderr)")
    let fits = try runLosskit(arguments, environment: ["LOSSKIT_PHYSICAL_MEMORY": "8000000"])
    #expect(fits.status == 0, "\(fits.stderr)")
  }

  /// `losskit bench` reports whether the kernels prefetch, and LOSSKIT_PREFETCH overrides
  /// the CPU's choice (0 and 1; anything else leaves the choice alone).
  @Test func benchReportsTheSoftwarePrefetchChoice() throws {
    let arguments = ["bench", "--loss", "MeanSquaredError", "--framework", "keras", "--n", "65536", "--repetitions", "1"]
    for (setting, shown) in [("0", "off"), ("1", "on")] {
      let text = try runLosskit(arguments, environment: ["LOSSKIT_PREFETCH": setting])
      #expect(text.status == 0, "\(text.stderr)")
      #expect(text.stdout.hasPrefix("threads: ") && text.stdout.contains(", n: 65536, software prefetch: \(shown)\n"), "\(text.stdout)")
      let json = try runLosskit(arguments + ["--json"], environment: ["LOSSKIT_PREFETCH": setting])
      #expect(json.status == 0, "\(json.stderr)")
      #expect(json.stdout.contains("\"software_prefetch\": \(setting == "1")"), "\(json.stdout)")
      #expect(json.stdout.contains("\"loss\": \"MeanSquaredError\""))
    }
    let ignored = try runLosskit(arguments + ["--json"], environment: ["LOSSKIT_PREFETCH": "yes"])
    let chosen = try runLosskit(arguments + ["--json"])
    #expect(ignored.status == 0 && chosen.status == 0)
    let field = { (output: String) in output.range(of: #""software_prefetch": (true|false)"#, options: .regularExpression).map { String(output[$0]) } }
    #expect(field(ignored.stdout) != nil && field(ignored.stdout) == field(chosen.stdout))
  }

  @Test func listShowsEveryLossWithDefaults() throws {
    let result = try runLosskit(["list"])
    #expect(result.status == 0)
    for name in ["BinaryFocalCrossentropy", "CategoricalGeneralizedCrossEntropy", "log_poisson_loss", "weighted_cross_entropy_with_logits"] {
      #expect(result.stdout.contains(name))
    }
    #expect(result.stdout.contains("reduction=\"auto\""))
    #expect(result.stdout.contains("pos_weight (required)"))
    let json = try runLosskit(["list", "--json", "--framework", "tf"])
    #expect(json.stdout.hasPrefix("{\"losses\": ["))
    #expect(!json.stdout.contains("\"keras\""))
  }

  @Test func helpHasExamples() throws {
    for command in [["--help"], ["compute", "--help"], ["eval", "--help"], ["list", "--help"]] {
      let result = try runLosskit(command)
      #expect(result.status == 0)
      #expect(result.stdout.contains("Examples:"), "\(command)")
    }
  }
}

@Suite("Parameter parsing")
struct ParameterParsingTests {
  @Test func literalsReadAsTheirTypes() throws {
    #expect(try ParameterArgument.parse("from_logits=true") == ParameterAssignment("from_logits", .bool(true)))
    #expect(try ParameterArgument.parse("from_logits=False") == ParameterAssignment("from_logits", .bool(false)))
    #expect(try ParameterArgument.parse("ignore_class=None") == ParameterAssignment("ignore_class", .null))
    #expect(try ParameterArgument.parse("axis=-1") == ParameterAssignment("axis", .int(-1)))
    #expect(try ParameterArgument.parse("label_smoothing=0.1") == ParameterAssignment("label_smoothing", .float(0.1)))
    #expect(try ParameterArgument.parse("reduction=sum") == ParameterAssignment("reduction", .string("sum")))
    #expect(try ParameterArgument.parse("pos_weight=[1,2]") == ParameterAssignment("pos_weight", .tensor(.init([1, 2]))))
    #expect(throws: InputError("--param", "expected name=value, got \"=3\"")) { try ParameterArgument.parse("=3") }
    #expect(throws: InputError("--param", "expected name=value, got \"gamma\"")) { try ParameterArgument.parse("gamma") }
  }
}
