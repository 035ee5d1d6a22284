/// One constructor argument of a loss, declared once: the framework's name for it, the
/// stored property that holds it, its documentation and its validation. Its default is
/// the property's value in the loss's `init()`.
///
/// ```swift
/// LossParameter("label_smoothing", \.labelSmoothing, "move labels toward 0.5", .closedInterval(0, 1))
/// ```
///
/// The registry, `losskit list`, `compute` and `eval` all read these declarations.
public struct LossParameter<Loss>: Sendable {
  /// The framework's spelling, e.g. `from_logits`.
  public let name: String
  public let summary: String
  /// What the parameter accepts, for help and errors.
  public let expectation: String
  /// The accepted values of an enumerated parameter.
  public let choices: [String]?
  /// Whether the framework requires the argument (it has no default).
  public let isRequired: Bool
  let read: @Sendable (Loss) -> ParameterValue
  let write: @Sendable (inout Loss, ParameterValue) throws -> Void
  let check: @Sendable (Loss) throws -> Void

  /// Declares the parameter `name` stored at `keyPath`.
  public init<Value: ParameterConvertible>(
    _ name: String, _ keyPath: WritableKeyPath<Loss, Value> & Sendable, _ summary: String,
    _ rule: ParameterRule<Value> = .any
  ) {
    self.init(name, keyPath, summary, rule, isRequired: false)
  }

  /// Declares a required parameter: nil in `init()` means "not given", and evaluating
  /// the loss without it is an error naming it.
  public init<Wrapped: ParameterConvertible>(
    required name: String, _ keyPath: WritableKeyPath<Loss, Wrapped?> & Sendable, _ summary: String,
    _ rule: ParameterRule<Wrapped> = .any
  ) {
    let optionalRule = ParameterRule<Wrapped?>(rule.expectation) { value in value.map(rule.accepts) ?? true }
    self.init(name, keyPath, summary, optionalRule, isRequired: true)
  }

  private init<Value: ParameterConvertible>(
    _ name: String, _ keyPath: WritableKeyPath<Loss, Value> & Sendable, _ summary: String,
    _ rule: ParameterRule<Value>, isRequired: Bool
  ) {
    self.name = name
    self.summary = summary
    let base = isRequired ? String(Value.parameterExpectation.dropLast(" or null".count)) : Value.parameterExpectation
    let expectation = rule.expectation.map { "\(base) \($0)" } ?? base
    self.expectation = expectation
    self.choices = Value.parameterChoices
    self.isRequired = isRequired
    read = { loss in loss[keyPath: keyPath].parameterValue }
    let choices = Value.parameterChoices
    write = { loss, given in
      guard let value = Value(parameterValue: given), !(isRequired && given == .null) else {
        // An enumerated value gets the same "did you mean" as loss and parameter names.
        if let choices, case .string(let text) = given {
          let close = Suggestions.close(to: text, in: choices)
          if !close.isEmpty {
            let hint = close.map { "\"\($0)\"" }.joined(separator: " or ")
            throw LossError.invalidParameter(name: name, expected: "\(expectation) (did you mean \(hint)?)", got: given.description)
          }
        }
        throw LossError.invalidParameter(name: name, expected: expectation, got: given.description)
      }
      guard rule.accepts(value) else {
        throw LossError.invalidParameter(name: name, expected: expectation, got: given.description)
      }
      loss[keyPath: keyPath] = value
    }
    check = { loss in
      let value = loss[keyPath: keyPath]
      if isRequired && value.parameterValue == .null {
        throw LossError.invalidParameter(name: name, expected: expectation, got: "nothing (it is required)")
      }
      guard rule.accepts(value) else {
        throw LossError.invalidParameter(name: name, expected: expectation, got: value.parameterValue.description)
      }
    }
  }

  /// The current value in `loss`, as a case file would write it.
  public func value(in loss: Loss) -> ParameterValue { read(loss) }
}

/// A constraint on a parameter's value beyond its type, with the words that describe it
/// in errors ("in the open interval (0, 1)").
public struct ParameterRule<Value>: Sendable {
  /// Appended to the type's expectation, e.g. "in [0, 1]"; nil for no constraint.
  public let expectation: String?
  let accepts: @Sendable (Value) -> Bool

  public init(_ expectation: String?, _ accepts: @escaping @Sendable (Value) -> Bool) {
    self.expectation = expectation
    self.accepts = accepts
  }

  /// Every value of the type.
  public static var any: ParameterRule { ParameterRule(nil) { _ in true } }
}

extension ParameterRule where Value == Double {
  /// `lower < x < upper`.
  public static func openInterval(_ lower: Double, _ upper: Double) -> ParameterRule {
    ParameterRule("in the open interval (\(format(lower)), \(format(upper)))") { $0 > lower && $0 < upper }
  }
  /// `lower ≤ x ≤ upper`.
  public static func closedInterval(_ lower: Double, _ upper: Double) -> ParameterRule {
    ParameterRule("in [\(format(lower)), \(format(upper))]") { $0 >= lower && $0 <= upper }
  }
  /// `x ≥ lower`.
  public static func atLeast(_ lower: Double) -> ParameterRule {
    ParameterRule("≥ \(format(lower))") { $0 >= lower }
  }
  /// `x > lower`.
  public static func greaterThan(_ lower: Double) -> ParameterRule {
    ParameterRule("> \(format(lower))") { $0 > lower }
  }

  private static func format(_ x: Double) -> String {
    x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int(x)) : "\(x)"
  }
}
