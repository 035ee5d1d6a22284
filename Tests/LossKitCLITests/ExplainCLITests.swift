import Foundation
import LossKit
import LossKitIO
import Testing

/// compare, explain, diagnose, cases and plot, end to end, text and --json.
@Suite("losskit compare / explain / diagnose / cases / plot")
struct ExplainCLITests {
  func json(_ result: CommandResult) throws -> JSONValue {
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONParser.parse(result.stdout)
  }

  func strings(_ value: JSONValue?) -> [String] {
    guard case .array(let list)? = value else { return [] }
    return list.compactMap { if case .string(let s) = $0 { s } else { nil } }
  }

  @Test func compareAsJSON() throws {
    let root = try json(try runLosskit(["compare", "binary-crossentropy", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--json"]))
    #expect(root["family"] == .string("binary-crossentropy"))
    guard case .array(let rows)? = root["rows"] else { Issue.record("no rows"); return }
    // One row per framework convention: keras, tf_keras, tf, tf_v1, torch (2), optax, sklearn.
    #expect(rows.count == 8)
    #expect(rows.map { $0["framework"] } == ["keras", "tf_keras", "tf", "tf_v1", "torch", "torch", "optax", "sklearn"].map(JSONValue.string))
    #expect(rows[0]["framework"] == .string("keras") && rows[0]["departure"] == .null)
    #expect(rows[0]["value"] == .number(5.3726983, integer: nil))
    #expect(rows[1]["departure"]?["step"] == .string("elementwise-loss"))
    #expect(rows[2]["shown"] == .string("mean"))
    #expect(root["warnings"] == .array([]))
  }

  @Test func listFamilies() throws {
    let result = try runLosskit(["list", "--families"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("binary-crossentropy — Binary cross-entropy"))
    #expect(result.stdout.contains("keras/BinaryCrossentropy(from_logits=true)"))
    #expect(result.stdout.contains("tf/sigmoid_cross_entropy_with_logits"))
  }

  @Test func compareWarnsOnStderr() throws {
    let result = try runLosskit(["compare", "binary-crossentropy", "--y-true", "1,0", "--y-pred", "2.5,-1"])
    #expect(result.status == 0)
    #expect(result.stderr.contains("warning: y_pred has values outside [0, 1]"))
    #expect(result.stderr.contains("[logits-for-probabilities]"))
  }

  @Test func explainTextAndJSON() throws {
    let text = try runLosskit(["explain", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,1,1", "--y-pred", "1,1,0"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("[clip] clip to [ε, 1 − ε]"))
    #expect(text.stdout.contains("per-element contributions (3 elements, total 5.3726983)"))
    #expect(text.stdout.contains("clipped"))
    let root = try json(
      try runLosskit(["explain", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--json"]))
    #expect(root["granularity"] == .string("element") && root["element_count"] == .number(3, integer: 3))
    #expect(root["value"]?["data"] == .array([.number(5.3726983, integer: nil)]))
    guard case .array(let elements)? = root["elements"] else { Issue.record("no elements"); return }
    #expect(strings(elements[2]["flags"]) == ["clipped"])
    #expect(root["flag_counts"]?["clipped"] == .number(3, integer: 3))
  }

  @Test func diagnoseTheSeedAsJSON() throws {
    let root = try json(try runLosskit(["diagnose", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--observed", "16.118", "--json"]))
    #expect(root["observed"] == .number(16.118, integer: nil))
    #expect(root["matched"] == .bool(true))
    guard case .array(let candidates)? = root["candidates"], let first = candidates.first else { Issue.record("no candidates"); return }
    for key in ["framework", "loss", "params", "mistakes", "value", "recipe"] { #expect(first[key] != nil, "\(key)") }
    #expect(strings(first["mistakes"]) == ["sum-instead-of-mean"])
    #expect(first["family"] == .string("binary-crossentropy"))
    let text = try runLosskit(["diagnose", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--observed", "16.118"])
    #expect(text.stdout.contains("1. 16.118095  keras/BinaryCrossentropy  [sum-instead-of-mean]"))
    #expect(text.stdout.contains("summed instead of averaged (no division by the 3 elements"))
  }

  @Test func diagnoseWithoutAMatchPrintsTheNearest() throws {
    let result = try runLosskit(["diagnose", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--observed", "3.5"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("nothing reproduces 3.5"))
    #expect(result.stdout.contains("\n1. "))
    let root = try json(try runLosskit(["diagnose", "--y-true", "1,1,1", "--y-pred", "1,1,0", "--observed", "3.5", "--json"]))
    #expect(root["matched"] == .bool(false) && root["candidates"] == .array([]))
    guard case .array(let nearest)? = root["nearest"] else { Issue.record("no nearest"); return }
    #expect(nearest.count == 5)
  }

  @Test func diagnoseReadsFiles() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("losskit-diagnose-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let labels = directory.appendingPathComponent("labels.csv")
    try "1\n1\n1\n".write(to: labels, atomically: true, encoding: .utf8)
    let predictions = directory.appendingPathComponent("predictions.json")
    try "[1, 1, 0]".write(to: predictions, atomically: true, encoding: .utf8)
    let result = try runLosskit(["diagnose", "--y-true", labels.path, "--y-pred", predictions.path, "--observed", "15.425", "--family", "binary-crossentropy"])
    #expect(result.stdout.contains("keras/BinaryCrossentropy  [sum-instead-of-mean]") || result.stdout.contains("tf_keras/BinaryCrossentropy  [sum-instead-of-mean]"))
  }

  /// The seed's numpy implementation (Examples/numpy_bce.py) through export and score: its
  /// mismatch is reported as a sum instead of a mean. Needs python3 with numpy: fails,
  /// not skips, without it.
  @Test func exportAndScoreTheSeedsNumpyImplementation() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("losskit-cases-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let export = try runLosskit([
      "cases", "export", "--framework", "keras", "--loss", "BinaryCrossentropy", "--defaults", "--dtype", "float32",
      "--corpus", root.appendingPathComponent("Tests/Fixtures/conformance").path,
    ])
    #expect(export.status == 0, "\(export.stderr)")
    #expect(!export.stdout.contains("\"expected\""))
    let inputs = directory.appendingPathComponent("inputs.json")
    try export.stdout.write(to: inputs, atomically: true, encoding: .utf8)
    let cases = try CaseFile.parse([UInt8](export.stdout.utf8), name: "inputs.json")
    #expect(cases.entries.count >= 5)

    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", root.appendingPathComponent("Examples/numpy_bce.py").path, inputs.path]
    let out = Pipe()
    python.standardOutput = out
    try python.run()
    let theirsData = out.fileHandleForReading.readDataToEndOfFile()
    python.waitUntilExit()
    #expect(python.terminationStatus == 0, "python3 with numpy is needed to run Examples/numpy_bce.py")
    let theirs = directory.appendingPathComponent("theirs.json")
    try theirsData.write(to: theirs)

    let score = try runLosskit(["cases", "score", inputs.path, theirs.path])
    #expect(score.status == 0, "\(score.stderr)")
    #expect(score.stdout.contains("sum-instead-of-mean — your values are the framework's × n, n = the number of elements"))
    let report = try json(try runLosskit(["cases", "score", inputs.path, theirs.path, "--json"]))
    guard case .array(let entries)? = report["entries"] else { Issue.record("no entries"); return }
    let failing = entries.filter { $0["status"] == .string("fail") }
    #expect(failing.count >= 4)
    // Every failing case is a sum where Keras averages (one also reads logits as probabilities).
    for entry in failing { #expect(strings(entry["diagnosis"].flatMap { $0["mistakes"] }).contains("sum-instead-of-mean"), "\(entry)") }
    guard case .number(let passed, _)? = report["passed"], case .number(let total, _)? = report["total"] else {
      Issue.record("no passed/total counts in \(report)")
      return
    }
    #expect(passed < total)
  }

  @Test(arguments: [
    (["compare", "binary-crossentropi", "--y-true", "1", "--y-pred", "1"], "did you mean binary-crossentropy?"),
    (["compare", "binary-crossentropy", "--y-true", "1,1", "--y-pred", "1,1,0"], "y_true"),
    (["diagnose", "--y-true", "1", "--y-pred", "1", "--observed", "abc"], "--observed"),
    (["diagnose", "--y-true", "1", "--y-pred", "1", "--observed", "1", "--family", "mse2"], "family"),
    (["explain", "BinaryCrossentropy", "--framework", "keras", "--y-true", "1,1", "--y-pred", "1,1,0"], "y_true"),
    (["plot", "nonexistent", "--out", "/tmp/losskit-never.svg"], "family"),
    (["cases", "export", "--framework", "keras", "--loss", "Nope"], "--loss"),
  ])
  func badInputFailsWithOneLineError(arguments: [String], mentions: String) throws {
    let result = try runLosskit(arguments)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(mentions), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  @Test func plotWritesAnSVGWithAxesLegendAndCurves() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("losskit-plot-\(UUID().uuidString).svg")
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try runLosskit(["plot", "binary-crossentropy", "--out", file.path])
    #expect(result.status == 0, "\(result.stderr)")
    let svg = try String(contentsOf: file, encoding: .utf8)
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.components(separatedBy: "<path ").count - 1 >= 5)
    for text in [
      "keras BinaryCrossentropy", "tf_keras BinaryCrossentropy", "torch BCELoss", "sklearn log_loss", "tf_v1 log_loss",
      "ε = 1e-7", "per-element loss", "log clamped at −100", "zoom",
    ] {
      #expect(svg.contains(text), "\(text)")
    }
    let gradient = try runLosskit(["plot", "binary-crossentropy", "--gradient", "--y-true", "0", "--frameworks", "keras,tf", "--out", file.path])
    #expect(gradient.status == 0)
    // --frameworks names every convention of those frameworks (keras: probabilities and logits).
    #expect(gradient.stdout.contains("3 curves"))
  }
}
