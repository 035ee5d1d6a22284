/// A stable identifier of a kind of step, shared across frameworks so that `compare`
/// can line up "the clip step" of Keras 3 with that of tf-keras.
///
/// Identifiers are lowercase words joined by hyphens. The common ones are listed below;
/// a loss may use its own for a step no other loss has.
public struct StepID: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
  CustomStringConvertible
{
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }

  /// Recording the inputs (and converting them to the loss dtype).
  public static let inputs: StepID = "inputs"
  /// Squeezing or expanding `y_true`/`y_pred` to the same rank.
  public static let alignRanks: StepID = "align-ranks"
  /// Label smoothing.
  public static let labelSmoothing: StepID = "label-smoothing"
  /// Clipping predictions into a window such as `[ε, 1 − ε]`.
  public static let clip: StepID = "clip"
  /// Normalising probabilities to sum to one.
  public static let normalize: StepID = "normalize"
  /// A logistic sigmoid or a softmax applied to logits.
  public static let activation: StepID = "activation"
  /// The elementwise (or per-row) loss formula.
  public static let elementwiseLoss: StepID = "elementwise-loss"
  /// A framework kernel that fuses several steps (e.g. TF's softmax cross-entropy op).
  public static let fusedKernel: StepID = "fused-kernel"
  /// The focal modulating factor `(1 − p_t)^γ`.
  public static let focalFactor: StepID = "focal-factor"
  /// Class-balancing or class weights.
  public static let classWeights: StepID = "class-weights"
  /// Masking ignored positions.
  public static let mask: StepID = "mask"
  /// A reduction over one axis inside the loss (e.g. Keras's mean over the last axis).
  public static let axisReduction: StepID = "axis-reduction"
  /// Multiplying by the sample weights.
  public static let sampleWeight: StepID = "sample-weight"
  /// The final reduction (`sum_over_batch_size`, `mean`, `sum`, ...).
  public static let reduction: StepID = "reduction"
}

/// One named step of a loss: a stable identifier, a human title, and the step's
/// parameters as data (`lower: 1e-07`, `classes: 3`, ...).
public struct Step: Sendable, Hashable {
  public var id: StepID
  public var title: String
  public var parameters: [StepParameter]

  public init(_ id: StepID, _ title: String, _ parameters: [StepParameter] = []) {
    self.id = id
    self.title = title
    self.parameters = parameters
  }

  /// The value of the parameter named `name`, if the step has it.
  public subscript(parameter name: String) -> ParameterValue? {
    parameters.first { $0.name == name }?.value
  }
}

/// A named value that describes a step (a bound, an axis, a divisor).
public typealias StepParameter = ParameterAssignment

extension LossTrace {
  /// A step as recorded: the step, the step it is nested in, and its position.
  public struct RecordedStep: Sendable {
    public let step: Step
    /// The index (in ``LossTrace/steps``) of the enclosing step, or nil at the top level.
    public let parent: Int?
    /// The nesting depth, 0 at the top level.
    public let depth: Int
  }

  /// Records the operations of `body` under `step`, nested inside the step that is open
  /// now (if any). Steps are scopes: when `body` returns, the enclosing step is open
  /// again, so a step can never leak into unrelated operations.
  public mutating func step<R>(
    _ id: StepID, _ title: String, _ parameters: [StepParameter] = [],
    _ body: (inout LossTrace) throws -> R
  ) rethrows -> R {
    let depth = openStep.map { steps[$0].depth + 1 } ?? 0
    steps.append(RecordedStep(step: Step(id, title, parameters), parent: openStep, depth: depth))
    let saved = openStep
    openStep = steps.count - 1
    defer { openStep = saved }
    return try body(&self)
  }

  /// The innermost step that `node` was recorded under, or nil.
  public func step(of node: Node) -> RecordedStep? { node.step.map { steps[$0] } }

  /// The steps with the indices of the nodes recorded directly under each.
  public func nodes(inStep index: Int) -> [Int] {
    nodes.indices.filter { nodes[$0].step == index }
  }
}
