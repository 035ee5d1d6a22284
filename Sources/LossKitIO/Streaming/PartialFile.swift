import Foundation
import LossKit

/// `losskit-partial/1` files: a ``ReductionState`` as JSON, written with the one JSON
/// writer and read back with the exact parser (the double-double sums must round-trip
/// to the bit).
public enum PartialFile {
  public static func write(_ state: ReductionState, to path: String) throws {
    let text = try JSONValueEncoder().text(state) + "\n"
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
      throw InputError("--partial \(path)", "cannot write the file")
    }
  }

  public static func read(_ path: String) throws -> ReductionState {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError(path, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
    }
    let root: JSONValue
    do { root = try JSONParser.parse([UInt8](data)) } catch { throw InputError(path, "invalid JSON at \(error)") }
    func field(_ value: JSONValue?, _ name: String) throws -> JSONValue {
      guard let value else { throw InputError("\(path): \(name)", "missing") }
      return value
    }
    func string(_ value: JSONValue?, _ name: String) throws -> String {
      guard case .string(let s) = try field(value, name) else { throw InputError("\(path): \(name)", "expected a string") }
      return s
    }
    func integer(_ value: JSONValue?, _ name: String) throws -> Int {
      guard case .number(_, let i?) = try field(value, name) else { throw InputError("\(path): \(name)", "expected an integer") }
      return i
    }
    func number(_ value: JSONValue?, _ name: String) throws -> Double {
      let v = try field(value, name)
      switch v {
      case .number(let d, _): return d
      case .string: return try TensorJSON.scalar(v, path: "\(path): \(name)")
      default: throw InputError("\(path): \(name)", "expected a number")
      }
    }
    func sum(_ value: JSONValue?, _ name: String) throws -> ExactSum {
      let v = try field(value, name)
      return ExactSum(hi: try number(v["hi"], "\(name).hi"), lo: try number(v["lo"], "\(name).lo"))
    }
    guard try string(root["format"], "format") == ReductionState.formatName else {
      throw InputError(path, "not a \(ReductionState.formatName) file (written by losskit compute --partial)")
    }
    let configuration = try field(root["configuration"], "configuration")
    var parameters: [String: ParameterValue] = [:]
    if case .object(let members)? = configuration["parameters"] {
      for (key, value) in members { parameters[key] = try CaseFile.parameterValue(value, path: "\(path): parameters.\(key)") }
    }
    let semanticsName = try string(configuration["semantics"], "configuration.semantics")
    guard let semantics = ReductionSemantics(rawValue: semanticsName) else {
      throw InputError("\(path): configuration.semantics", "unknown reduction \"\(semanticsName)\"")
    }
    var state = ReductionState(
      configuration: ReductionState.Configuration(
        framework: try string(configuration["framework"], "configuration.framework"),
        loss: try string(configuration["loss"], "configuration.loss"), parameters: parameters,
        dtype: try string(configuration["dtype"], "configuration.dtype"),
        computeDType: try string(configuration["compute_dtype"], "configuration.compute_dtype"), semantics: semantics))
    state.sum = try sum(root["sum"], "sum")
    state.weightSum = try sum(root["weight_sum"], "weight_sum")
    state.count = try integer(root["count"], "count")
    state.groupSize = try integer(root["group_size"], "group_size")
    state.nonzeroWeights = try integer(root["nonzero_weights"], "nonzero_weights")
    state.rows = try integer(root["rows"], "rows")
    if case .bool(let whole)? = root["whole_vector"] { state.wholeVector = whole }
    guard state.count >= 0, state.groupSize >= 1, state.rows >= 0 else { throw InputError(path, "negative counts") }
    return state
  }
}
