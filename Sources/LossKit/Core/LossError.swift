/// Why a loss could not be computed from its inputs.
///
/// Every case names the argument at fault (`y_true`, `y_pred`, `sample_weight` or a
/// parameter, in the framework's own spelling) and what was expected, in one line.
/// Where the framework itself raises, the message says so.
public enum LossError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Shapes that the framework rejects (or cannot broadcast).
  case shapeMismatch(argument: String, expected: String, got: String)
  /// A parameter with a value outside its domain.
  case invalidParameter(name: String, expected: String, got: String)
  /// A class label outside `[0, classes)`.
  case labelOutOfRange(argument: String, label: Int, classes: Int)
  /// A value of the wrong kind, e.g. a fractional class label where an integer is required.
  case invalidValue(argument: String, expected: String, got: String)
  /// A combination the framework does not support.
  case unsupported(String)
  /// A parameter name the loss does not take.
  case unknownParameter(name: String, loss: String, known: [String])
  /// No loss of that name (in that framework); `suggestions` are close names.
  case unknownLoss(name: String, framework: String?, suggestions: [String])
  /// The name exists in several frameworks and none was given.
  case ambiguousLoss(name: String, frameworks: [String])

  public var description: String {
    switch self {
    case let .shapeMismatch(argument, expected, got):
      return "\(argument): expected \(expected), got \(got)"
    case let .invalidParameter(name, expected, got):
      return "\(name): expected \(expected), got \(got)"
    case let .labelOutOfRange(argument, label, classes):
      return "\(argument): label \(label) is outside the valid range [0, \(classes))"
    case let .invalidValue(argument, expected, got):
      return "\(argument): expected \(expected), got \(got)"
    case let .unsupported(message):
      return message
    case let .unknownParameter(name, loss, known):
      let close = known.filter { editDistance($0, name) <= 2 }
      let hint = close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?"
      let list = known.isEmpty ? "it takes none" : "it takes " + known.joined(separator: ", ")
      return "params: \(loss) has no parameter \"\(name)\"\(hint) (\(list))"
    case let .unknownLoss(name, framework, suggestions):
      let scope = framework.map { " in framework \($0)" } ?? ""
      let hint = suggestions.isEmpty ? " (losskit list shows every loss)" : "; did you mean \(suggestions.joined(separator: ", "))?"
      return "loss: no loss named \"\(name)\"\(scope)\(hint)"
    case let .ambiguousLoss(name, frameworks):
      return "framework: \"\(name)\" exists in \(frameworks.joined(separator: ", ")); choose one with --framework"
    }
  }
}
