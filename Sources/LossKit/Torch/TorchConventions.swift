/// What every `torch.nn` loss class shares: the `reduction` argument with its
/// deprecated `size_average` / `reduce` spellings, the inputs' names, tensor-valued
/// constructor and forward arguments, and class-dimension checks.
extension Torch {
  /// `reduction` of the `torch.nn` loss classes (`'elementwise_mean'`, deprecated, is
  /// accepted for `'mean'` as `_Reduction.get_enum` does).
  public enum Reduction: String, Sendable, Hashable, ParameterChoice {
    case none, mean, sum
    public static var aliases: [String: Reduction] { ["elementwise_mean": .mean] }
  }

  /// `_Reduction.legacy_get_string(size_average, reduce)`: when either deprecated flag is
  /// given (not None), it decides the reduction and `reduction` is ignored. A missing
  /// flag counts as True: `mean` if both are true, `sum` if only `reduce` is, else `none`.
  /// (torch also warns; LossKit does not.)
  public static func legacyReduction(sizeAverage: Bool?, reduce: Bool?) -> Reduction? {
    guard sizeAverage != nil || reduce != nil else { return nil }
    let (average, reduced) = (sizeAverage ?? true, reduce ?? true)
    return average && reduced ? .mean : (reduced ? .sum : Reduction.none)
  }

  /// torch's `input` and `target`.
  static let inputAndTarget = InputNames(yTrue: "target", yPred: "input")

  /// Records `input` and `target`; torch's losses take no `sample_weight`.
  static func recordInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, _ names: InputNames = Torch.inputAndTarget
  ) throws -> (target: LossTrace<S>.Value, input: LossTrace<S>.Value) {
    guard inputs.sampleWeight == nil else {
      throw LossError.invalidValue(
        argument: "sample_weight", expected: "none (torch.nn losses take no sample weight; use weight)", got: "a tensor")
    }
    let (yTrue, yPred) = t.recordInputs(inputs, yTrueName: names.yTrue, yPredName: names.yPred)
    return (yTrue, yPred)
  }

  /// A tensor argument (`weight`, `var`, `input2`, ...) in the compute dtype.
  static func tensor<S: LossScalar>(_ value: Tensor<Double>) -> Tensor<S> { value.converted() }

  /// A required tensor argument of `forward` (`input2`, `positive`, `var`, ...).
  static func required(_ value: Tensor<Double>?, _ name: String) throws -> Tensor<Double> {
    guard let value else {
      throw LossError.invalidParameter(name: name, expected: "a tensor", got: "nothing (forward requires it)")
    }
    return value
  }

  /// Throws unless `shape` broadcasts to `reference` itself, naming `name`: what an
  /// in-place `mul_` by a weight or `target.expand_as(input)` requires.
  static func requireBroadcastable(_ shape: [Int], _ name: String, to reference: [Int], _ referenceName: String) throws {
    guard Shape.broadcast(reference, shape) != reference else { return }
    throw LossError.notBroadcastable(name, shape: shape, to: "\(referenceName) \(Shape.describe(reference))")
  }

  /// `loss.mean()` / `loss.sum()` / `loss` (ATen's `apply_loss_reduction`), as a step.
  static func applyReduction<S: LossScalar>(
    _ t: inout LossTrace<S>, _ loss: LossTrace<S>.Value, _ reduction: Reduction
  ) -> LossTrace<S>.Value {
    switch reduction {
    case .none: return loss
    case .mean: return t.step(.reduction, "mean over all elements") { t in t.mean(loss) }
    case .sum: return t.step(.reduction, "sum") { t in t.sum(loss) }
    }
  }

  /// Describes the class layout of `input` for messages: `(N, C, ...) = (3, 5) with C = 5
  /// classes along dim 1`.
  static func classLayout(_ shape: [Int]) -> String {
    if shape.count == 1 { return "input (C,) = \(Shape.describe(shape)) with C = \(shape[0]) classes along dim 0" }
    let c = shape.count > 1 ? shape[1] : 0
    return "input (N, C, ...) = \(Shape.describe(shape)) with C = \(c) classes along dim 1"
  }

  /// The class dimension: 0 for an unbatched `(C,)` input, otherwise 1.
  static func classDimension(_ shape: [Int]) -> Int { shape.count == 1 ? 0 : 1 }

  /// Class indices from `target` (integers), or the error naming it.
  static func classIndices<S: LossScalar>(_ target: Tensor<S>, argument: String = "target") throws -> Tensor<Int> {
    try ClassLabels.exact(target, argument: argument)
  }

  /// Checks a per-class `weight` against the class count.
  static func checkClassWeight(_ weight: Tensor<Double>?, inputShape: [Int], classes: Int) throws {
    guard let weight else { return }
    guard weight.rank == 1, weight.count == classes else {
      throw LossError.shapeMismatch(
        argument: "weight", expected: "one weight per class: (\(classes),) for \(classLayout(inputShape))",
        got: Shape.describe(weight.shape))
    }
  }
}

/// A `torch.nn` loss class deriving from `_Loss`: `reduction` and the deprecated
/// `size_average` / `reduce`, which override it when given.
public protocol TorchReducedLoss: DeclaredLoss {
  var reduction: Torch.Reduction { get set }
  var sizeAverage: Bool? { get set }
  var reduce: Bool? { get set }
}

extension TorchReducedLoss {
  /// The reduction torch applies: `legacy_get_string(size_average, reduce)` when either
  /// is given, otherwise `reduction`.
  public var effectiveReduction: Torch.Reduction {
    Torch.legacyReduction(sizeAverage: sizeAverage, reduce: reduce) ?? reduction
  }

  /// `size_average`, `reduce` and `reduction`, as `_Loss.__init__` takes them.
  static var reductionParameters: [LossParameter<Self>] {
    [
      LossParameter("reduction", \.reduction, "'mean' (over all elements unless stated), 'sum' or 'none'"),
      LossParameter("size_average", \.sizeAverage, "deprecated; with reduce, overrides reduction (legacy_get_string)"),
      LossParameter("reduce", \.reduce, "deprecated; with size_average, overrides reduction (legacy_get_string)"),
    ]
  }
}

/// A loss class whose `__init__` takes only `reduction` (`HuberLoss`, `GaussianNLLLoss`,
/// `TripletMarginWithDistanceLoss`, `CTCLoss`).
extension Torch {
  static func reductionOnly<Loss>(_ keyPath: WritableKeyPath<Loss, Reduction> & Sendable) -> LossParameter<Loss> {
    LossParameter("reduction", keyPath, "'mean', 'sum' or 'none'")
  }
}
