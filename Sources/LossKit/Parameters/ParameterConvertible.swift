/// A Swift type that a loss parameter can have, with its conversion from and to the
/// values a Python call passes.
///
/// `Bool`, `Int`, `Double`, `Tensor<Double>`, optionals of them (Python `None`) and
/// string enumerations (``ParameterChoice``) conform.
public protocol ParameterConvertible: Sendable {
  /// Converts a given value, or returns nil when it has the wrong kind.
  init?(parameterValue: ParameterValue)
  /// The value as a case file writes it (defaults are shown this way).
  var parameterValue: ParameterValue { get }
  /// What the parameter accepts, for help and errors: "true or false", "a number".
  static var parameterExpectation: String { get }
  /// The accepted values of an enumerated parameter, or nil.
  static var parameterChoices: [String]? { get }
}

extension ParameterConvertible {
  public static var parameterChoices: [String]? { nil }
}

extension Bool: ParameterConvertible {
  public init?(parameterValue: ParameterValue) {
    guard case .bool(let b) = parameterValue else { return nil }
    self = b
  }
  public var parameterValue: ParameterValue { .bool(self) }
  public static var parameterExpectation: String { "true or false" }
}

extension Int: ParameterConvertible {
  public init?(parameterValue: ParameterValue) {
    guard case .int(let i) = parameterValue else { return nil }
    self = i
  }
  public var parameterValue: ParameterValue { .int(self) }
  public static var parameterExpectation: String { "an integer" }
}

extension Double: ParameterConvertible {
  /// A number; an integer is converted, as Python converts `2` where a float is used.
  public init?(parameterValue: ParameterValue) {
    switch parameterValue {
    case .float(let d): self = d
    case .int(let i): self = Double(i)
    default: return nil
    }
  }
  public var parameterValue: ParameterValue { .float(self) }
  public static var parameterExpectation: String { "a number" }
}

extension Tensor: ParameterConvertible where Scalar == Double {
  /// A tensor; a number is a rank-0 tensor.
  public init?(parameterValue: ParameterValue) {
    switch parameterValue {
    case .tensor(let t): self = t
    case .float(let d): self = Tensor(d)
    case .int(let i): self = Tensor(Double(i))
    default: return nil
    }
  }
  public var parameterValue: ParameterValue { .tensor(self) }
  public static var parameterExpectation: String { "a tensor" }
}

extension Optional: ParameterConvertible where Wrapped: ParameterConvertible {
  /// `null` (Python `None`) is nil.
  public init?(parameterValue: ParameterValue) {
    if parameterValue == .null {
      self = .none
    } else if let wrapped = Wrapped(parameterValue: parameterValue) {
      self = .some(wrapped)
    } else {
      return nil
    }
  }
  public var parameterValue: ParameterValue { self?.parameterValue ?? .null }
  public static var parameterExpectation: String { Wrapped.parameterExpectation + " or null" }
  public static var parameterChoices: [String]? { Wrapped.parameterChoices }
}

/// A string-valued parameter with a fixed set of values (`reduction`, `dtype`), spelled
/// as the framework spells them. Conforming enums get ``ParameterConvertible`` from
/// their raw values; ``aliases`` adds other accepted spellings.
public protocol ParameterChoice: ParameterConvertible, RawRepresentable, CaseIterable where RawValue == String {
  /// Other spellings the framework accepts for a value (e.g. an enum member's name).
  static var aliases: [String: Self] { get }
  /// The value Python's `None` stands for, if the framework accepts `None` (Keras reads
  /// `reduction=None` as `"none"`).
  static var valueForNull: Self? { get }
}

extension ParameterChoice {
  public static var aliases: [String: Self] { [:] }
  public static var valueForNull: Self? { nil }

  public init?(parameterValue: ParameterValue) {
    if parameterValue == .null, let value = Self.valueForNull {
      self = value
      return
    }
    guard case .string(let s) = parameterValue else { return nil }
    if let value = Self(rawValue: s) ?? Self.aliases[s] {
      self = value
    } else {
      return nil
    }
  }
  public var parameterValue: ParameterValue { .string(rawValue) }
  public static var parameterExpectation: String {
    "one of " + allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + (valueForNull == nil ? "" : " or null")
  }
  public static var parameterChoices: [String]? { allCases.map(\.rawValue) }
}

extension DType: ParameterChoice {
  /// NumPy's and the frameworks' other names for the two dtypes.
  public static var aliases: [String: DType] { ["float": .float64, "double": .float64, "single": .float32] }
}
