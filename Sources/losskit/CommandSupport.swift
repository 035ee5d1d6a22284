import ArgumentParser
import Foundation
import LossKit
import LossKitIO

/// Runs `body`, turning LossKit's input and loss errors into a one-line message on
/// standard error and exit code 1 (argument-syntax errors stay with ArgumentParser).
func runReportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let error as LossError {
    fail("\(error)")
  } catch let error as InputError {
    fail("\(error)")
  }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("losskit: error: \(message)\n".utf8))
  exit(1)
}

/// A value in the shortest form that reads back exactly in `dtype`.
func format(_ value: Double, _ dtype: DType) -> String {
  dtype == .float32 ? "\(Float(value))" : "\(value)"
}

/// A tensor as a nested list in `dtype`'s shortest form.
func format(_ tensor: Tensor<Double>, _ dtype: DType) -> String {
  if tensor.isScalar { return format(tensor.scalars[0], dtype) }
  return tensor.map { Formatted(text: format($0, dtype)) }.description
}

/// Lets `Tensor.description` print preformatted numbers.
struct Formatted: CustomStringConvertible, Sendable {
  var text: String
  var description: String { text }
}

/// Parses `--framework`.
func parseFramework(_ text: String?) throws -> Framework? {
  guard let text else { return nil }
  guard let framework = Framework(rawValue: text) else {
    let known = LossRegistry.standard.frameworks.map(\.rawValue).joined(separator: ", ")
    throw InputError("--framework", "unknown framework \"\(text)\" (expected one of \(known))")
  }
  return framework
}

/// Parses one `--param name=value`. Values read as JSON-ish literals: `true`/`false`
/// (Python's `True`/`False` too), `null`/`None`, integers, numbers, `[...]` tensors,
/// anything else a string.
func parseParameter(_ text: String) throws -> (String, ParameterValue) {
  guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
    throw InputError("--param", "expected name=value, got \"\(text)\"")
  }
  let name = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
  let raw = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
  let location = "--param \(name)"
  switch raw {
  case "true", "True": return (name, .bool(true))
  case "false", "False": return (name, .bool(false))
  case "null", "None": return (name, .null)
  default: break
  }
  if let integer = Int(raw) { return (name, .int(integer)) }
  if let number = Double(raw) { return (name, .float(number)) }
  if raw.hasPrefix("[") || raw.hasPrefix("{") {
    return (name, .tensor(try TensorSource.parseInline(raw, argument: location)))
  }
  if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 { return (name, .string(String(raw.dropFirst().dropLast()))) }
  return (name, .string(raw))
}
