import Foundation
import Testing

@testable import losskit

/// Runs the built `losskit` executable, as a user would.
struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

func runLosskit(_ arguments: [String], stdin: String? = nil) throws -> CommandResult {
  // The test bundle and the executable are built into the same products directory.
  let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let candidates = [products, Bundle.main.bundleURL, products.deletingLastPathComponent()]
    .map { $0.appendingPathComponent("losskit") }
  let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
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
    for framework in ["keras", "tf_keras", "tf"] {
      #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix(framework + " ") })
    }
    #expect(result.stdout.contains("why:"))
  }

  @Test func computePrintsTheFrameworksNumber() throws {
    let keras = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,1,1", "--y-pred", "1,1,0"])
    #expect(keras.status == 0)
    #expect(keras.stdout.contains("loss: 5.3726983\n"))
    let legacy = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "tf_keras", "--y-true", "1,1,1", "--y-pred", "1,1,0"])
    #expect(legacy.stdout.contains("loss: 5.1416497\n"))
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
    (["compute", "SparseCategoricalCrossentropy", "--framework", "keras", "--y-true", "0,3", "--y-pred", "[[0.5,0.5,0],[0.2,0.3,0.5]]"], "label 3"),
    (["compute", "BinaryCrossentropy", "--framework", "torch", "--y-true", "1", "--y-pred", "1"], "unknown framework"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "missing.npy", "--y-pred", "1"], "no such file"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,x", "--y-pred", "1,1"], "--y-true"),
    (["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1", "--y-pred", "1", "--dtype", "float16"], "--dtype"),
    (["eval", "missing-cases.json"], "no such file"),
  ])
  func badInputFailsWithOneLineError(arguments: [String], mentions: String) throws {
    let result = try runLosskit(arguments)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("losskit: error: "))
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func evalChecksAFixtureFile() throws {
    let file = fixtures.appendingPathComponent("conformance/tf/log_poisson_loss.json").path
    let result = try runLosskit(["eval", file, "--check"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("passed, 0 failed"))
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
      #expect(result.stderr.hasPrefix("losskit: error: -: "))
    }
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
    #expect(try parseParameter("from_logits=true") == ("from_logits", .bool(true)))
    #expect(try parseParameter("from_logits=False") == ("from_logits", .bool(false)))
    #expect(try parseParameter("ignore_class=None") == ("ignore_class", .null))
    #expect(try parseParameter("axis=-1") == ("axis", .int(-1)))
    #expect(try parseParameter("label_smoothing=0.1") == ("label_smoothing", .float(0.1)))
    #expect(try parseParameter("reduction=sum") == ("reduction", .string("sum")))
    #expect(try parseParameter("pos_weight=[1,2]") == ("pos_weight", .tensor(.init([1, 2]))))
    #expect(throws: (any Error).self) { try parseParameter("=3") }
    #expect(throws: (any Error).self) { try parseParameter("gamma") }
  }
}
