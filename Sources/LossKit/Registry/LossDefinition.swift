/// One loss of one framework, as the registry lists it: its name, what it does, its
/// parameters with defaults, and how to build it.
public struct LossDefinition: Sendable {
  public let framework: Framework
  /// The framework's own class or function name, e.g. `BinaryCrossentropy` or
  /// `sigmoid_cross_entropy_with_logits`.
  public let name: String
  public let summary: String
  public let parameters: [ParameterSpec]
  /// The framework's names for the two inputs, e.g. `("y_true", "y_pred")` or
  /// `("labels", "logits")`.
  public let inputNames: (yTrue: String, yPred: String)
  /// Whether `y_true` holds class indices rather than values shaped like `y_pred`.
  public let takesClassIndices: Bool
  public let acceptsSampleWeight: Bool
  /// Where other runtimes of the same framework (Keras's JAX, torch and numpy
  /// backends, graph mode, other versions) compute something different: the raw
  /// material for `explain` and `diagnose`.
  public let notes: [ConventionNote]
  /// Accepted and ignored because they do not change the numbers (`name`).
  let ignoredParameters: Set<String>
  let build: @Sendable (ResolvedParameters) throws -> any LossFunction

  init(
    _ framework: Framework, _ name: String, summary: String, parameters: [ParameterSpec],
    inputNames: (String, String) = ("y_true", "y_pred"), takesClassIndices: Bool = false,
    acceptsSampleWeight: Bool = true, ignoredParameters: Set<String> = ["name"], notes: [ConventionNote] = [],
    build: @escaping @Sendable (ResolvedParameters) throws -> any LossFunction
  ) {
    self.framework = framework
    self.name = name
    self.summary = summary
    self.parameters = parameters
    self.inputNames = (inputNames.0, inputNames.1)
    self.takesClassIndices = takesClassIndices
    self.acceptsSampleWeight = acceptsSampleWeight
    self.ignoredParameters = ignoredParameters
    self.notes = notes
    self.build = build
  }

  /// `framework/name`, e.g. `keras/BinaryCrossentropy`.
  public var qualifiedName: String { "\(framework.rawValue)/\(name)" }

  /// Validates `parameters` (unknown names, wrong types), fills in defaults, and
  /// builds the loss.
  public func make(_ given: [String: ParameterValue] = [:]) throws -> any LossFunction {
    var resolved: [String: ParameterValue] = [:]
    for (key, value) in given where !ignoredParameters.contains(key) {
      guard let spec = parameters.first(where: { $0.name == key }) else {
        throw LossError.unknownParameter(name: key, loss: qualifiedName, known: parameters.map(\.name))
      }
      resolved[key] = try spec.validate(value)
    }
    for spec in parameters where resolved[spec.name] == nil {
      guard let defaultValue = spec.defaultValue else {
        throw LossError.invalidParameter(name: spec.name, expected: spec.expectation, got: "nothing (it is required)")
      }
      resolved[spec.name] = defaultValue
    }
    return try build(ResolvedParameters(values: resolved))
  }
}

/// A documented difference between the convention LossKit reproduces and a neighbouring
/// one (another backend, graph mode, another version), with the measured effect.
public struct ConventionNote: Sendable, Equatable {
  /// Where the difference applies, e.g. "JAX, torch and numpy backends".
  public let context: String
  /// What differs and by how much.
  public let detail: String

  public init(_ context: String, _ detail: String) {
    self.context = context
    self.detail = detail
  }
}
