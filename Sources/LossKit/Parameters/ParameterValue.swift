/// A parameter value as a case file or the command line gives it: the JSON-like values
/// a Python call can pass.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  /// Python's `None`.
  case null
  case tensor(Tensor<Double>)

  /// The value as Python would print it in a call (`True`, `None`, `"sum"`, `0.1`).
  public var description: String {
    switch self {
    case .bool(let b): b ? "true" : "false"
    case .int(let i): "\(i)"
    case .float(let d): "\(d)"
    case .string(let s): "\"\(s)\""
    case .null: "null"
    case .tensor(let t): "a tensor of shape \(Shape.describe(t.shape))"
    }
  }

  /// An integer or float value as a number; nil for any other.
  public var numericValue: Double? {
    switch self {
    case .int(let i): Double(i)
    case .float(let d): d
    default: nil
    }
  }
}

/// A parameter given by name, in the order the caller gave it; also a step's describing
/// value (``StepParameter``) and a trace document's (`{"name": ..., "value": ...}`).
public struct ParameterAssignment: Sendable, Hashable, Codable {
  public var name: String
  public var value: ParameterValue

  public init(_ name: String, _ value: ParameterValue) {
    self.name = name
    self.value = value
  }

  public static func number(_ name: String, _ value: Double) -> ParameterAssignment { ParameterAssignment(name, .float(value)) }
  public static func integer(_ name: String, _ value: Int) -> ParameterAssignment { ParameterAssignment(name, .int(value)) }
  public static func flag(_ name: String, _ value: Bool) -> ParameterAssignment { ParameterAssignment(name, .bool(value)) }
  public static func text(_ name: String, _ value: String) -> ParameterAssignment { ParameterAssignment(name, .string(value)) }
}

/// Parameters given by name, in the order given (a dictionary literal keeps its order):
/// `["from_logits": .bool(true), "reduction": .string("sum")]`.
public struct ParameterList: Sendable, Hashable, ExpressibleByDictionaryLiteral, RandomAccessCollection {
  public private(set) var assignments: [ParameterAssignment]

  public init(_ assignments: [ParameterAssignment] = []) { self.assignments = assignments }

  public init(dictionaryLiteral elements: (String, ParameterValue)...) {
    assignments = elements.map { ParameterAssignment($0.0, $0.1) }
  }

  public var startIndex: Int { assignments.startIndex }
  public var endIndex: Int { assignments.endIndex }
  public subscript(position: Int) -> ParameterAssignment { assignments[position] }

  /// The value given for `name` (the last one, if given twice).
  public subscript(name: String) -> ParameterValue? {
    get { assignments.last { $0.name == name }?.value }
    set {
      if let index = assignments.lastIndex(where: { $0.name == name }) {
        if let newValue { assignments[index].value = newValue } else { assignments.remove(at: index) }
      } else if let newValue {
        assignments.append(ParameterAssignment(name, newValue))
      }
    }
  }

  public mutating func append(_ assignment: ParameterAssignment) { assignments.append(assignment) }
}
