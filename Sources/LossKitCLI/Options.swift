import ArgumentParser
import Foundation
import LossKit
import LossKitIO

/// The inputs of every command that computes: values, optional sample weights, the
/// arrays' dtype (compute and explain through ``LossOptions``; compare and diagnose).
struct InputOptions: ParsableArguments {
  // `.unconditional`: the next word is the value even when it starts with "-" (logits
  // such as -1.5,2.0 usually do).
  @Option(name: .customLong("y-true"), parsing: .unconditional, help: "Targets or labels (V).")
  var yTrue: String

  @Option(name: .customLong("y-pred"), parsing: .unconditional, help: "Predictions: probabilities or logits (V).")
  var yPred: String

  @Option(name: .customLong("sample-weight"), parsing: .unconditional, help: "Sample weights (V).")
  var sampleWeight: String?

  @Option(
    help: ArgumentHelp("The dtype of the input arrays: float32 or float64.", valueName: "dtype"),
    completion: .list(DType.allCases.map(\.rawValue)),
    transform: { try ChoiceArgument.parse($0, as: DType.self, option: "--dtype") })
  var dtype: DType = .float32

  /// Every value loaded.
  func inputs() throws -> FamilyInputs {
    FamilyInputs(
      yTrue: try TensorSource.load(yTrue, argument: "--y-true"), yPred: try TensorSource.load(yPred, argument: "--y-pred"),
      sampleWeight: try sampleWeight.map { try TensorSource.load($0, argument: "--sample-weight") }, dtype: dtype)
  }

  /// Every value loaded as float32 (for `--dtype float32`: the arrays the framework
  /// gets, without a float64 copy).
  func float32Inputs() throws -> LossInputs<Float> {
    LossInputs(
      yTrue: try TensorSource.loadFloat32(yTrue, argument: "--y-true"), yPred: try TensorSource.loadFloat32(yPred, argument: "--y-pred"),
      sampleWeight: try sampleWeight.map { try TensorSource.loadFloat32($0, argument: "--sample-weight") })
  }

  /// Whether any input is a file path (not an inline value).
  var usesFiles: Bool {
    [yTrue, yPred, sampleWeight].compactMap { $0 }.contains { FileManager.default.fileExists(atPath: TensorSource.fileAndMember($0).path) }
  }

  /// Each input file's path and size in bytes once read (a `.npz` array's uncompressed
  /// size; inline values are not files).
  var files: [(path: String, bytes: Int)] {
    [yTrue, yPred, sampleWeight].compactMap { $0 }.compactMap { text in
      let path = TensorSource.fileAndMember(text).path
      guard FileManager.default.fileExists(atPath: path) else { return nil }
      return TensorSource.dataSize(text).map { (path, $0) }
    }
  }

  /// The size of the largest input file once read, in bytes (0 when none is a file).
  var largestFileSize: Int { files.map(\.bytes).max() ?? 0 }

  /// Refuses to load inputs that would take more than 80% of this machine's memory (with
  /// --no-stream, or a loss that cannot stream), instead of being killed part way. With
  /// `--dtype float32` they are held as float32 arrays: at most 1.5 bytes per byte of a
  /// binary file (`.npy`, or a `.npz` array uncompressed: a float32 file's bytes, or a
  /// wider type's values read as float64, then rounded) or of CSV (a number is 8 bytes or
  /// more of text). With float64, 3 bytes per byte of a binary file (float64 arrays and
  /// the copies a loss computing in float32 makes) and 1.5 per byte of CSV.
  func requireMemory(noStream: Bool) throws {
    let needed = files.reduce(0.0) { total, file in
      let csv = (file.path as NSString).pathExtension.lowercased() == "csv"
      return total + Double(file.bytes) * (dtype == .float32 || csv ? 1.5 : 3)
    }
    try MachineMemory.require(needed) { needed, machine in
      "\(noStream ? "--no-stream" : "--y-true, --y-pred"): the input files take about \(needed) in memory, more than 80% of this machine's \(machine); \(noStream ? "drop --no-stream to stream them in bounded memory (the reduction is then exact), or " : "")split them into shards (--partial on each, then losskit merge)"
    }
  }

}

/// The loss and its inputs, shared by the commands that compute one loss.
struct LossOptions: ParsableArguments {
  @Argument(help: "The framework's own class or function name, e.g. BinaryCrossentropy.")
  var loss: String

  @Option(
    help: ArgumentHelp(
      "The framework: \(Framework.allCases.map(\.rawValue).joined(separator: ", ")). Needed when the name exists in several.",
      valueName: "framework"),
    completion: .list(Framework.allCases.map(\.rawValue)),
    transform: { try ChoiceArgument.parse($0, as: Framework.self, option: "--framework") })
  var framework: Framework?

  @OptionGroup var inputs: InputOptions

  @Option(
    name: .customLong("param"), parsing: .unconditionalSingleValue,
    help: "A parameter as name=value in the framework's spelling, e.g. from_logits=true. Repeatable.")
  var parameters: [String] = []

  /// The `--param` values, a tensor parameter of `definition` read as `--y-true` is.
  func parameterList(for definition: LossDefinition?) throws -> ParameterList {
    ParameterList(try parameters.map { try ParameterArgument.parse($0, for: definition) })
  }

  /// The request these options describe, with every value loaded; with `float32Storage`
  /// and `--dtype float32`, held as float32 values (what compute's kernels read).
  func request(float32Storage: Bool = false) throws -> LossRequest {
    let parameters = try parameterList(for: try? LossRegistry.standard.definition(named: loss, framework: framework))
    if float32Storage && inputs.dtype == .float32 {
      return LossRequest(framework: framework, loss: loss, parameters: parameters, float32: try inputs.float32Inputs())
    }
    let loaded = try inputs.inputs()
    return LossRequest(
      framework: framework, loss: loss, parameters: parameters, yTrue: loaded.yTrue, yPred: loaded.yPred,
      sampleWeight: loaded.sampleWeight, dtype: loaded.dtype)
  }
}

extension Framework: ExpressibleByArgument {}
extension DType: ExpressibleByArgument {}

/// An enumerated option value parsed with the same "did you mean" suggestions that
/// loss and parameter names get.
enum ChoiceArgument {
  struct Invalid: Error, CustomStringConvertible {
    var description: String
  }

  static func parse<T: RawRepresentable & CaseIterable>(_ text: String, as _: T.Type, option: String) throws -> T
  where T.RawValue == String {
    if let value = T(rawValue: text) { return value }
    let names = T.allCases.map(\.rawValue)
    let close = Suggestions.close(to: text, in: names)
    let hint = close.isEmpty ? "" : "did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))? "
    throw Invalid(description: "\(hint)expected one of \(names.map { "'\($0)'" }.joined(separator: ", "))")
  }
}

/// Parses one `--param name=value`. Values read as JSON-ish literals: `true`/`false`
/// (Python's `True`/`False` too), `null`/`None`, integers, numbers, `[...]` tensors,
/// anything else a string.
enum ParameterArgument {
  static func parse(_ text: String) throws -> ParameterAssignment {
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
      throw InputError("--param", "expected name=value, got \"\(text)\"")
    }
    let name = String(Substring(text[..<equals]).trimmingCharacters())
    let raw = String(Substring(text[text.index(after: equals)...]).trimmingCharacters())
    switch raw {
    case "true", "True": return ParameterAssignment(name, .bool(true))
    case "false", "False": return ParameterAssignment(name, .bool(false))
    case "null", "None": return ParameterAssignment(name, .null)
    default: break
    }
    if let integer = Int(raw) { return ParameterAssignment(name, .int(integer)) }
    if let number = Double(raw) { return ParameterAssignment(name, .float(number)) }
    if raw.hasPrefix("[") || raw.hasPrefix("{") {
      return ParameterAssignment(name, .tensor(try TensorSource.parseInline(raw, argument: "--param \(name)")))
    }
    if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 {
      return ParameterAssignment(name, .string(String(raw.dropFirst().dropLast())))
    }
    return ParameterAssignment(name, .string(raw))
  }

  /// As ``parse(_:)``, and a tensor parameter of `definition` also takes what
  /// `--y-true` takes: an inline list (`labels=0,1`) or a file (`weight=w.npy`).
  static func parse(_ text: String, for definition: LossDefinition?) throws -> ParameterAssignment {
    let assignment = try parse(text)
    guard case .string(let raw) = assignment.value, !raw.hasPrefix("\""),
      let parameter = definition?.parameters.first(where: { $0.name == assignment.name }),
      parameter.expectation.contains("tensor")
    else { return assignment }
    return ParameterAssignment(assignment.name, .tensor(try TensorSource.load(raw, argument: "--param \(assignment.name)")))
  }
}

extension Substring {
  fileprivate func trimmingCharacters() -> Substring {
    var s = self
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return s
  }
}

/// Writes one JSON document (one line) to standard output.
func printJSON(_ value: JSONValue) {
  print(JSONWriter.write(value))
}

extension ParameterValue {
  /// The value as JSON; a tensor as its shape (its values are input data, not configuration).
  var json: JSONValue {
    switch self {
    case .bool(let b): .bool(b)
    case .int(let i): .number(Double(i), integer: i)
    case .float(let d): .number(d, integer: nil)
    case .string(let s): .string(s)
    case .null: .null
    case .tensor(let t): .object([("shape", .array(t.shape.map { .number(Double($0), integer: $0) }))])
    }
  }
}

/// The machine's physical memory, for the checks that refuse work that would not fit in
/// it; `LOSSKIT_PHYSICAL_MEMORY` (bytes) stands in for it, for tests.
enum MachineMemory {
  static var bytes: Double {
    ProcessInfo.processInfo.environment["LOSSKIT_PHYSICAL_MEMORY"].flatMap(Double.init)
      ?? Double(ProcessInfo.processInfo.physicalMemory)
  }

  /// Throws `message(needed, machine)` (both in GiB) when `needed` bytes exceed 80% of it.
  static func require(_ needed: Double, _ message: (String, String) -> String) throws {
    let machine = bytes
    guard needed > 0.8 * machine else { return }
    let gib = { (bytes: Double) in String(format: "%.1f GiB", bytes / Double(1 << 30)) }
    throw ValidationError(message(gib(needed), gib(machine)))
  }
}
