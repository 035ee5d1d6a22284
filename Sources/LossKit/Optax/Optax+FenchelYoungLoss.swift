extension Optax {
  /// The `max_fun` of `make_fenchel_young_loss` LossKit supports.
  public enum MaxFunction: String, Sendable, ParameterChoice {
    /// `jax.scipy.special.logsumexp` (the docstring's example): the multinomial
    /// logistic loss.
    case logsumexp
  }

  /// `optax.losses.make_fenchel_young_loss(max_fun)(scores, targets)`: per last-axis
  /// vector, `max_fun(scores) − ⟨targets, scores⟩`. With `max_fun=logsumexp` this is
  /// softmax cross-entropy against `targets` (for targets summing to one).
  public struct FenchelYoungLoss: DeclaredLoss {
    public var maxFun: MaxFunction = .logsumexp

    public init() {}
    public init(maxFun: MaxFunction) { self.maxFun = maxFun }

    public static let declaration = LossDeclaration<Self>(
      .optax, "make_fenchel_young_loss", summary: "max_fun(scores) − ⟨targets, scores⟩ over the last axis",
      parameters: [LossParameter("max_fun", \.maxFun, "the max function (logsumexp)")],
      inputNames: InputNames(yTrue: "targets", yPred: "scores"), acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("factory", "optax returns a function of (scores, targets); LossKit names it by its max_fun")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, scores) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let rank = t.shape(scores).count
      guard rank >= 1 else { throw LossError.shapeMismatch(argument: "scores", expected: "rank at least 1", got: "a scalar") }
      guard t.shape(targets).last == t.shape(scores).last else {
        throw LossError.shapeMismatch(
          argument: "targets", expected: "the last dimension of scores, \(t.shape(scores)[rank - 1])",
          got: Shape.describe(t.shape(targets)))
      }
      let maxValue = try t.step(.activation, "logsumexp(scores)") { t in try JAXOps.logsumexp(&t, scores, axes: [rank - 1]) }
      return try t.step(.elementwiseLoss, "max_fun(scores) − ⟨targets, scores⟩") { t in
        let product = try t.multiply(targets, scores, argument: "targets")
        return try t.subtract(maxValue, t.sum(product, axis: t.shape(product).count - 1), argument: "targets")
      }
    }
  }
}
