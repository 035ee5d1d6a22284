/// A parameter value as a case file or the command line gives it.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case null
  case tensor(Tensor<Double>)

  public var description: String {
    switch self {
    case .bool(let b): b ? "true" : "false"
    case .int(let i): "\(i)"
    case .float(let d): "\(d)"
    case .string(let s): "\"\(s)\""
    case .null: "null"
    case .tensor(let t): "tensor of shape \(Shape.describe(t.shape))"
    }
  }
}

/// One constructor or function argument of a loss, named as the framework names it.
public struct ParameterSpec: Sendable {
  /// What values the parameter accepts.
  public enum Kind: Sendable, Equatable {
    case bool
    case int
    /// An integer or null (`None`).
    case optionalInt
    case float
    /// One of the listed strings (null counts as `"none"` where that is listed).
    case choice([String])
    /// A number or a tensor.
    case floatOrTensor
  }

  /// The framework's spelling, e.g. `from_logits`.
  public let name: String
  public let kind: Kind
  /// The framework's default; nil for a required parameter.
  public let defaultValue: ParameterValue?
  public let summary: String

  public init(_ name: String, _ kind: Kind, default defaultValue: ParameterValue?, _ summary: String) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.summary = summary
  }

  /// A readable list of accepted values, for help and errors.
  public var expectation: String {
    switch kind {
    case .bool: "true or false"
    case .int: "an integer"
    case .optionalInt: "an integer or null"
    case .float: "a number"
    case .choice(let options): "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
    case .floatOrTensor: "a number or a tensor"
    }
  }

  /// Checks `value` against the kind, converting where the framework would (an integer
  /// where a float is expected, null for `"none"`).
  func validate(_ value: ParameterValue) throws -> ParameterValue {
    switch (kind, value) {
    case (.bool, .bool), (.int, .int), (.optionalInt, .int), (.optionalInt, .null), (.float, .float),
      (.floatOrTensor, .float), (.floatOrTensor, .tensor):
      return value
    case (.float, .int(let i)), (.floatOrTensor, .int(let i)):
      return .float(Double(i))
    case (.choice(let options), .string(let s)) where options.contains(s):
      return value
    case (.choice(let options), .null) where options.contains("none"):
      return .string("none")
    default:
      throw LossError.invalidParameter(name: name, expected: expectation, got: value.description)
    }
  }
}

/// Parameters after validation, with defaults filled in.
public struct ResolvedParameters: Sendable {
  var values: [String: ParameterValue]

  public subscript(name: String) -> ParameterValue { values[name] ?? .null }

  public func bool(_ name: String) -> Bool {
    if case .bool(let b) = self[name] { return b }
    preconditionFailure("parameter \(name) is not a bool")
  }
  public func int(_ name: String) -> Int {
    if case .int(let i) = self[name] { return i }
    preconditionFailure("parameter \(name) is not an int")
  }
  public func optionalInt(_ name: String) -> Int? {
    if case .int(let i) = self[name] { return i }
    return nil
  }
  public func double(_ name: String) -> Double {
    switch self[name] {
    case .float(let d): return d
    case .int(let i): return Double(i)
    default: preconditionFailure("parameter \(name) is not a number")
    }
  }
  public func string(_ name: String) -> String {
    if case .string(let s) = self[name] { return s }
    preconditionFailure("parameter \(name) is not a string")
  }
}
