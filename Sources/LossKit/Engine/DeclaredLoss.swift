/// A loss whose parameters and registry metadata are declared once, next to it.
///
/// `init()` gives the framework's defaults; ``declaration`` names the loss, its
/// framework, its inputs and each parameter (``LossParameter``) by key path. The
/// registry builds its entry, the CLI's options and `losskit list` from that
/// declaration, so adding a loss means writing its type and listing it in its
/// framework's registry file.
public protocol DeclaredLoss: LossFunction {
  /// The loss with the framework's default for every parameter.
  init()
  static var declaration: LossDeclaration<Self> { get }
}

extension DeclaredLoss {
  public var policy: FrameworkPolicy { Self.declaration.framework.policy }
  public func validate() throws { try Self.declaration.validate(self) }
}

/// Everything the registry knows about a loss type.
public struct LossDeclaration<Loss>: Sendable {
  public var framework: Framework
  /// The framework's own class or function name, e.g. `BinaryCrossentropy`.
  public var name: String
  /// Other names the framework exports the same loss under (tf-keras's `MSE`, `mse`
  /// for `mean_squared_error`); the registry finds the loss by any of them.
  public var aliases: [String]
  /// One line: what the loss computes and its distinguishing convention.
  public var summary: String
  /// The constructor arguments, in the framework's order.
  public var parameters: [LossParameter<Loss>]
  /// The framework's names for `y_true` and `y_pred` (`labels`, `logits`, `input`, ...).
  public var inputNames: InputNames
  /// Whether `y_true` holds class indices rather than values shaped like `y_pred`.
  public var takesClassIndices: Bool
  /// Whether the loss takes a `sample_weight`.
  public var acceptsSampleWeight: Bool
  /// Where other runtimes or versions of the framework compute something different.
  public var notes: [ConventionNote]
  /// Accepted and ignored because they do not change the numbers (`name`).
  public var ignoredParameters: [String]
  /// Whether a sample's value depends on the other samples of the batch (Keras's
  /// `Circle` compares every pair of samples): such a loss cannot be computed chunk by
  /// chunk or merged from shards.
  public var couplesSamples: Bool
  /// Checks across parameters, after each parameter's own rule.
  public var check: (@Sendable (Loss) throws -> Void)?

  public init(
    _ framework: Framework, _ name: String, summary: String, parameters: [LossParameter<Loss>],
    inputNames: InputNames = .standard, takesClassIndices: Bool = false, acceptsSampleWeight: Bool = true,
    notes: [ConventionNote] = [], ignoredParameters: [String] = ["name"], aliases: [String] = [],
    couplesSamples: Bool = false, check: (@Sendable (Loss) throws -> Void)? = nil
  ) {
    self.couplesSamples = couplesSamples
    self.framework = framework
    self.name = name
    self.aliases = aliases
    self.summary = summary
    self.parameters = parameters
    self.inputNames = inputNames
    self.takesClassIndices = takesClassIndices
    self.acceptsSampleWeight = acceptsSampleWeight
    self.notes = notes
    self.ignoredParameters = ignoredParameters
    self.check = check
  }

  /// Runs every parameter's rule, then the cross-parameter check.
  public func validate(_ loss: Loss) throws {
    for parameter in parameters { try parameter.check(loss) }
    try check?(loss)
  }
}

/// The framework's names for the two inputs.
public struct InputNames: Sendable, Hashable {
  public var yTrue: String
  public var yPred: String

  public init(yTrue: String, yPred: String) {
    self.yTrue = yTrue
    self.yPred = yPred
  }

  /// Keras's `y_true`, `y_pred`.
  public static let standard = InputNames(yTrue: "y_true", yPred: "y_pred")
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
