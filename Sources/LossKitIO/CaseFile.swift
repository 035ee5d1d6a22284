import LossKit

/// One case of a `losskit-cases/1` file: a loss request and, optionally, what the
/// framework itself returned.
public struct LossCase: Sendable {
  public var id: String
  public var request: LossRequest
  public var expected: Expectation?

  public init(id: String, request: LossRequest, expected: Expectation? = nil) {
    self.id = id
    self.request = request
    self.expected = expected
  }
}

/// What the framework produced for a case.
public enum Expectation: Sendable {
  /// The loss and, when recorded, the gradient of its sum with respect to `y_pred`.
  case values(loss: Tensor<Double>, gradient: Tensor<Double>?)
  /// The framework raised; the message is the framework's own, and `match` (when the
  /// case file gives `losskit_error`) is the ``LossError`` LossKit must raise instead.
  case error(String, match: ErrorMatch?)
}

/// The LossKit error a framework error corresponds to: its kind and, where the error
/// names one, the argument at fault.
public struct ErrorMatch: Sendable, Equatable {
  public var kind: LossError.Kind
  public var argument: String?

  public init(kind: LossError.Kind, argument: String?) {
    self.kind = kind
    self.argument = argument
  }
}

/// A parsed case file. A case that cannot be read (missing input, unknown framework)
/// is kept as a failure with its id, so that the other cases still run.
public struct CaseFile: Sendable {
  public static let format = "losskit-cases/1"

  public enum Entry: Sendable {
    case valid(LossCase)
    case invalid(id: String, error: InputError)

    public var id: String {
      switch self {
      case .valid(let c): c.id
      case .invalid(let id, _): id
      }
    }
  }

  /// The `generator` block (framework versions) as written, if any.
  public var generator: JSONValue?
  public var entries: [Entry]

  /// Parses a case file; throws only when the file as a whole is unusable.
  public static func parse(_ bytes: [UInt8], name: String) throws(InputError) -> CaseFile {
    let root: JSONValue
    do { root = try JSONParser.parse(bytes) } catch { throw InputError(name, "invalid JSON at \(error)") }
    guard case .object = root else { throw InputError(name, "expected an object {\"format\": \"\(format)\", \"cases\": [...]}") }
    guard case .string(let declared)? = root["format"] else {
      throw InputError(name, "missing \"format\": \"\(format)\"")
    }
    guard declared == format else {
      throw InputError(name, "unsupported format \"\(declared)\"; this losskit reads \"\(format)\"")
    }
    guard case .array(let cases)? = root["cases"] else { throw InputError(name, "expected \"cases\": [...]") }
    var entries: [Entry] = []
    for (index, value) in cases.enumerated() {
      let fallbackID: String
      if case .string(let id)? = value["id"] { fallbackID = id } else { fallbackID = "cases[\(index)]" }
      do throws(InputError) {
        entries.append(.valid(try parseCase(value, path: "cases[\(index)]")))
      } catch {
        entries.append(.invalid(id: fallbackID, error: error))
      }
    }
    return CaseFile(generator: root["generator"], entries: entries)
  }

  /// Parses one case object.
  public static func parseCase(_ value: JSONValue, path: String) throws(InputError) -> LossCase {
    guard case .object = value else { throw InputError(path, "expected a case object, got \(value.kindDescription)") }
    func string(_ key: String) throws(InputError) -> String {
      guard let member = value[key] else { throw InputError("\(path).\(key)", "missing") }
      guard case .string(let s) = member else {
        throw InputError("\(path).\(key)", "expected a string, got \(member.kindDescription)")
      }
      return s
    }
    func tensor(_ key: String) throws(InputError) -> Tensor<Double>? {
      guard let member = value[key], member != .null else { return nil }
      return try TensorJSON.decode(member, path: "\(path).\(key)")
    }

    let id: String
    if case .string(let s)? = value["id"] { id = s } else { id = path }
    let frameworkName = try string("framework")
    guard let framework = Framework(rawValue: frameworkName) else {
      let known = LossRegistry.standard.frameworks.map(\.rawValue).joined(separator: ", ")
      throw InputError("\(path).framework", "unknown framework \"\(frameworkName)\" (expected one of \(known))")
    }
    let loss = try string("loss")
    let parameters = try parseParameters(value["params"], path: "\(path).params")
    guard let yTrue = try tensor("y_true") else { throw InputError("\(path).y_true", "missing") }
    guard let yPred = try tensor("y_pred") else { throw InputError("\(path).y_pred", "missing") }
    let sampleWeight = try tensor("sample_weight")
    var dtype = DType.float32
    if let member = value["dtype"], member != .null {
      guard case .string(let name) = member, let parsed = DType(rawValue: name) else {
        throw InputError("\(path).dtype", "expected \"float32\" or \"float64\", got \(member.kindDescription)")
      }
      dtype = parsed
    }
    let request = LossRequest(
      framework: framework, loss: loss, parameters: parameters, yTrue: yTrue, yPred: yPred,
      sampleWeight: sampleWeight, dtype: dtype)
    return LossCase(id: id, request: request, expected: try parseExpectation(value["expected"], path: "\(path).expected"))
  }

  /// `params`: the framework's parameter names mapped to numbers, booleans, strings,
  /// null, or tensors, in the file's order.
  public static func parseParameters(_ value: JSONValue?, path: String) throws(InputError) -> ParameterList {
    guard let value, value != .null else { return [:] }
    guard case .object(let members) = value else {
      throw InputError(path, "expected an object of parameters, got \(value.kindDescription)")
    }
    var parameters = ParameterList()
    for (key, member) in members {
      parameters.append(ParameterAssignment(key, try parameterValue(member, path: "\(path).\(key)")))
    }
    return parameters
  }

  /// One parameter value from JSON.
  public static func parameterValue(_ value: JSONValue, path: String) throws(InputError) -> ParameterValue {
    switch value {
    case .null: return .null
    case .bool(let b): return .bool(b)
    case .number(let d, let integer): return integer.map { .int($0) } ?? .float(d)
    case .string(let s): return .string(s)
    case .array, .object: return .tensor(try TensorJSON.decode(value, path: path))
    }
  }

  /// `losskit_error`: `{"kind": "label_out_of_range", "argument": "y_true"}`.
  static func parseErrorMatch(_ value: JSONValue?, path: String) throws(InputError) -> ErrorMatch? {
    guard let value, value != .null else { return nil }
    guard case .string(let kindName)? = value["kind"] else {
      throw InputError("\(path).kind", "expected one of the error kinds (\(LossError.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    guard let kind = LossError.Kind(rawValue: kindName) else {
      throw InputError("\(path).kind", "unknown error kind \"\(kindName)\" (expected one of \(LossError.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    var argument: String? = nil
    if let member = value["argument"], member != .null {
      guard case .string(let name) = member else {
        throw InputError("\(path).argument", "expected a string, got \(member.kindDescription)")
      }
      argument = name
    }
    return ErrorMatch(kind: kind, argument: argument)
  }

  static func parseExpectation(_ value: JSONValue?, path: String) throws(InputError) -> Expectation? {
    guard let value, value != .null else { return nil }
    guard case .object = value else { throw InputError(path, "expected an object, got \(value.kindDescription)") }
    if let error = value["error"] {
      guard case .string(let message) = error else {
        throw InputError("\(path).error", "expected a string, got \(error.kindDescription)")
      }
      return .error(message, match: try parseErrorMatch(value["losskit_error"], path: "\(path).losskit_error"))
    }
    guard let loss = value["loss"] else { throw InputError("\(path).loss", "missing (or give \"error\")") }
    let gradient: Tensor<Double>?
    if let g = value["grad_y_pred"], g != .null {
      gradient = try TensorJSON.decode(g, path: "\(path).grad_y_pred")
    } else {
      gradient = nil
    }
    return .values(loss: try TensorJSON.decode(loss, path: "\(path).loss"), gradient: gradient)
  }
}
