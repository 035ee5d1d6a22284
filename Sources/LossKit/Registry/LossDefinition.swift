/// One loss of one framework, as the registry lists it: built from the loss type's
/// ``LossDeclaration``, with its parameters' defaults read from the type's `init()`.
public struct LossDefinition: Sendable {
  public let framework: Framework
  /// The framework's own class or function name.
  public let name: String
  /// Other names the framework exports it under.
  public let aliases: [String]
  public let summary: String
  public let parameters: [ParameterInfo]
  public let inputNames: InputNames
  public let takesClassIndices: Bool
  public let acceptsSampleWeight: Bool
  public let notes: [ConventionNote]
  /// Whether a sample's value depends on the rest of the batch (``LossDeclaration/couplesSamples``).
  public let couplesSamples: Bool
  let ignoredParameters: [String]
  let build: @Sendable (ParameterList) throws -> any LossFunction

  /// The entry for a declared loss type.
  public init<Loss: DeclaredLoss>(_ type: Loss.Type) {
    let declaration = Loss.declaration
    let defaults = Loss()
    framework = declaration.framework
    name = declaration.name
    aliases = declaration.aliases
    summary = declaration.summary
    parameters = declaration.parameters.map { parameter in
      ParameterInfo(
        name: parameter.name, summary: parameter.summary, expectation: parameter.expectation,
        choices: parameter.choices, defaultValue: parameter.isRequired ? nil : parameter.value(in: defaults))
    }
    inputNames = declaration.inputNames
    takesClassIndices = declaration.takesClassIndices
    acceptsSampleWeight = declaration.acceptsSampleWeight
    notes = declaration.notes
    couplesSamples = declaration.couplesSamples
    ignoredParameters = declaration.ignoredParameters
    let qualified = "\(declaration.framework.rawValue)/\(declaration.name)"
    build = { given in
      var loss = Loss()
      var seen = Set<String>()
      for assignment in given {
        guard seen.insert(assignment.name).inserted else { throw LossError.duplicateParameter(name: assignment.name) }
        if declaration.ignoredParameters.contains(assignment.name) { continue }
        guard let parameter = declaration.parameters.first(where: { $0.name == assignment.name }) else {
          throw LossError.unknownParameter(
            name: assignment.name, loss: qualified, known: declaration.parameters.map(\.name))
        }
        try parameter.write(&loss, assignment.value)
      }
      try declaration.validate(loss)
      return loss
    }
  }

  /// `framework/name`, e.g. `keras/BinaryCrossentropy`.
  public var qualifiedName: String { "\(framework.rawValue)/\(name)" }

  /// Builds the loss from parameters given by name, in the order given: the first
  /// unknown, duplicated or invalid parameter is the one reported.
  public func make(_ given: ParameterList = [:]) throws -> any LossFunction {
    try build(given)
  }
}

/// A parameter as `losskit list` shows it.
public struct ParameterInfo: Sendable, Hashable {
  public let name: String
  public let summary: String
  /// What values it accepts, e.g. "a number in [0, 1]".
  public let expectation: String
  /// The accepted values of an enumerated parameter.
  public let choices: [String]?
  /// The framework's default; nil for a required parameter.
  public let defaultValue: ParameterValue?
}
