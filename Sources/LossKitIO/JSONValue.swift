/// A parsed JSON document. Objects keep their key order so that output written from a
/// parsed file reads in the same order.
public indirect enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  /// A number with its exact `Double` value and, when the literal was an integer that
  /// fits, its `Int` value.
  case number(Double, integer: Int?)
  case string(String)
  case array([JSONValue])
  case object([(key: String, value: JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case let (.bool(a), .bool(b)): return a == b
    case let (.number(a, ia), .number(b, ib)): return (a == b || (a.isNaN && b.isNaN)) && ia == ib
    case let (.string(a), .string(b)): return a == b
    case let (.array(a), .array(b)): return a == b
    case let (.object(a), .object(b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The member `key` of an object (the first, if repeated), or nil.
  public subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members.first { $0.key == key }?.value }
    return nil
  }

  /// A short description of the value's kind, for error messages.
  public var kindDescription: String {
    switch self {
    case .null: "null"
    case .bool(let b): b ? "true" : "false"
    case .number(let d, _): "the number \(d)"
    case .string(let s): "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
    case .array(let a): "an array of \(a.count) elements"
    case .object: "an object"
    }
  }
}

/// A JSON syntax error, with the line and column where it was found.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var column: Int
  public var description: String { "line \(line), column \(column): \(message)" }
}
