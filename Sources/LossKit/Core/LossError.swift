/// Why a loss could not be computed from its inputs.
///
/// Every case names the argument at fault (`y_true`, `y_pred`, `sample_weight` or a
/// parameter, in the framework's own spelling) and what was expected, in one line.
/// ``kind`` and ``argument`` give the same information as data, so that a caller (or
/// the conformance suite) can tell *what* went wrong without parsing the message.
public enum LossError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Shapes that the framework rejects (or cannot broadcast).
  case shapeMismatch(argument: String, expected: String, got: String)
  /// A parameter with a value outside its domain, of the wrong type, or missing.
  case invalidParameter(name: String, expected: String, got: String)
  /// A class label outside `[0, classes)`.
  case labelOutOfRange(argument: String, label: Int, classes: Int)
  /// A value of the wrong kind, e.g. a fractional class label where an integer is required.
  case invalidValue(argument: String, expected: String, got: String)
  /// A combination of arguments the framework does not support.
  case unsupported(argument: String, message: String)
  /// A parameter name the loss does not take.
  case unknownParameter(name: String, loss: String, known: [String])
  /// The same parameter given more than once.
  case duplicateParameter(name: String)
  /// No loss of that name (in that framework); `suggestions` are close names.
  case unknownLoss(name: String, framework: String?, suggestions: [String])
  /// The name exists in several frameworks and none was given.
  case ambiguousLoss(name: String, frameworks: [String])

  /// What kind of problem this is, as a stable identifier (`shape_mismatch`,
  /// `label_out_of_range`, ...). Case files record the kind a framework error maps to.
  public enum Kind: String, Sendable, CaseIterable, Codable {
    case shapeMismatch = "shape_mismatch"
    case invalidParameter = "invalid_parameter"
    case labelOutOfRange = "label_out_of_range"
    case invalidValue = "invalid_value"
    case unsupported
    case unknownParameter = "unknown_parameter"
    case duplicateParameter = "duplicate_parameter"
    case unknownLoss = "unknown_loss"
    case ambiguousLoss = "ambiguous_loss"
  }

  /// `argument`'s shape does not broadcast to `target` (described as the message gives
  /// it, e.g. `(2, 3)` or `input (2, 3)`): the one wording of every such error.
  static func notBroadcastable(_ argument: String, shape: [Int], to target: String) -> LossError {
    .shapeMismatch(argument: argument, expected: "a shape that broadcasts to \(target)", got: Shape.describe(shape))
  }

  public var kind: Kind {
    switch self {
    case .shapeMismatch: .shapeMismatch
    case .invalidParameter: .invalidParameter
    case .labelOutOfRange: .labelOutOfRange
    case .invalidValue: .invalidValue
    case .unsupported: .unsupported
    case .unknownParameter: .unknownParameter
    case .duplicateParameter: .duplicateParameter
    case .unknownLoss: .unknownLoss
    case .ambiguousLoss: .ambiguousLoss
    }
  }

  /// The argument or parameter at fault, in the framework's spelling (`y_true`,
  /// `sample_weight`, `from_logits`), or nil when the problem is the loss name.
  public var argument: String? {
    switch self {
    case .shapeMismatch(let argument, _, _), .labelOutOfRange(let argument, _, _),
      .invalidValue(let argument, _, _), .unsupported(let argument, _):
      argument
    case .invalidParameter(let name, _, _), .unknownParameter(let name, _, _), .duplicateParameter(let name):
      name
    case .unknownLoss, .ambiguousLoss:
      nil
    }
  }

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
    case let .unsupported(argument, message):
      return "\(argument): \(message)"
    case let .unknownParameter(name, loss, known):
      let close = Suggestions.close(to: name, in: known)
      let hint = close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?"
      let list = known.isEmpty ? "it takes none" : "it takes " + known.joined(separator: ", ")
      return "params: \(loss) has no parameter \"\(name)\"\(hint) (\(list))"
    case let .duplicateParameter(name):
      return "params: \(name) is given more than once"
    case let .unknownLoss(name, framework, suggestions):
      let scope = framework.map { " in framework \($0)" } ?? ""
      let hint = suggestions.isEmpty ? " (losskit list shows every loss)" : "; did you mean \(suggestions.joined(separator: ", "))?"
      return "loss: no loss named \"\(name)\"\(scope)\(hint)"
    case let .ambiguousLoss(name, frameworks):
      return "framework: \"\(name)\" exists in \(frameworks.joined(separator: ", ")); choose one with --framework"
    }
  }
}

/// "Did you mean" suggestions, shared by loss names, parameter names, framework names
/// and enumerated parameter values.
public enum Suggestions {
  /// The candidates close to `name`: equal ignoring case and underscores, or within a
  /// small edit distance (2, or a fifth of the name's length), closest first, in the
  /// candidates' order among equals.
  public static func close(to name: String, in candidates: [String]) -> [String] {
    func squash(_ s: String) -> String { s.lowercased().filter { $0 != "_" && $0 != "-" && $0 != "." } }
    let key = squash(name)
    let limit = max(2, key.count / 5)
    var scored: [(distance: Int, index: Int, name: String)] = []
    var seen = Set<String>()
    for (index, candidate) in candidates.enumerated() where seen.insert(candidate).inserted {
      let distance = editDistance(squash(candidate), key)
      if distance <= limit { scored.append((distance, index, candidate)) }
    }
    return scored.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }.map(\.name)
  }

  /// Levenshtein distance.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
