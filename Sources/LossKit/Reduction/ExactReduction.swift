/// Reductions computed exactly: the per-sample values as the framework computes them
/// (its reduction set to none), then `Σ w·ℓ` and the divisor accumulated exactly
/// (``ExactSum``) and rounded once. This is `losskit compute --exact`, and the way
/// streamed and sharded inputs are reduced (``ReductionState``): exact sums can be
/// accumulated chunk by chunk and merged, where a framework's float32 summation order
/// depends on the whole input.
public enum ExactReduction {
  /// What a loss's reduction does, and the parameters that give its per-sample values.
  public struct Plan: Sendable {
    public var semantics: ReductionSemantics
    /// The request's parameters with the reduction turned off.
    public var perSampleParameters: ParameterList
    /// torch's `ignore_index` when the mean counts only the other targets
    /// (``ReductionSemantics/countedTargetsMean``), or Keras's `ignore_class`.
    public var ignoreIndex: Double? = nil

    /// The per-sample weights the reduction counts with: 1 where a class-index target is
    /// not `ignore_index` (or Keras's `ignore_class`), 0 where it is; nil without one or
    /// for probability targets (more values than the per-sample ones), which all count.
    /// Class indices may carry a trailing axis of 1 (Keras squeezes it). `yTrue` is read
    /// only when there is an `ignoreIndex` (a request holding float32 converts it).
    public func countedTargets(_ yTrue: @autoclosure () -> Tensor<Double>, perSampleShape: [Int]) -> Tensor<Double>? {
      guard let ignoreIndex else { return nil }
      let targets = yTrue()
      guard targets.count == perSampleShape.reduce(1, *) else { return nil }
      return Tensor(shape: perSampleShape, scalars: targets.scalars.map { $0 == ignoreIndex ? 0 : 1 })
    }
  }

  /// The plan for `definition` with `parameters`.
  ///
  /// - Throws: ``LossError/unsupported(argument:message:)`` when the reduction cannot be
  ///   computed from per-sample values (reduction `none` has no single value to make
  ///   exact; class-weighted means divide by the weights of the targets).
  public static func plan(_ definition: LossDefinition, _ parameters: ParameterList) throws -> Plan {
    if definition.couplesSamples {
      throw LossError.unsupported(
        argument: "loss",
        message: "\(definition.qualifiedName) compares samples across the whole batch, so its value is not a reduction of independent per-sample values: it cannot be computed exactly, chunk by chunk or from shards (compute it without --exact/--stream/--partial, in memory)")
    }
    if definition.framework == .sklearn {
      throw LossError.unsupported(
        argument: "loss", message: "scikit-learn's metrics reduce inside the call, so there are no per-sample values to reduce exactly or chunk by chunk")
    }
    // optax's one `reduction` (dice_loss's) is over the class axis: the op stays unreduced.
    guard definition.framework != .optax, let value = reductionName(definition, parameters) else {
      return Plan(semantics: .unreduced, perSampleParameters: parameters)
    }
    // The deprecated flags decide the reduction when given; per sample they must go.
    var perSample = withoutLegacyReductionFlags(parameters, definition)
    let semantics: ReductionSemantics?
    switch (definition.framework, value) {
    case (_, "none"), (_, "NONE"): semantics = nil
    case (.keras, "sum_over_batch_size"), (.keras, "mean"), (.tfKeras, "auto"), (.tfKeras, "sum_over_batch_size"),
      (.torch, "mean"), (.tfV1, "weighted_sum_over_batch_size"), (.tfV1, "SUM_OVER_BATCH_SIZE"):
      semantics = .mean
    case (_, "sum"), (.tfV1, "weighted_sum"), (.tfV1, "SUM"):
      semantics = .sum
    case (.keras, "mean_with_sample_weight"), (.tfV1, "weighted_mean"), (.tfV1, "MEAN"):
      semantics = .weightedMean
    case (.tfV1, "weighted_sum_by_nonzero_weights"), (.tfV1, "SUM_BY_NONZERO_WEIGHTS"), (.tfV1, "SUM_OVER_NONZERO_WEIGHTS"):
      semantics = .nonzeroWeightsMean
    default: semantics = nil
    }
    guard let semantics else {
      throw LossError.unsupported(
        argument: "reduction", message: "an exact or streamed reduction needs a reducing `reduction` (got \"\(value)\")")
    }
    if definition.framework == .torch, parameters["weight"].map({ $0 != .null }) == true, semantics == .mean {
      throw LossError.unsupported(
        argument: "weight", message: "torch's class-weighted mean divides by the weights of the targets; exact and streamed reductions support it without `weight`")
    }
    if definition.qualifiedName == "torch/CTCLoss", semantics == .mean {
      throw LossError.unsupported(
        argument: "reduction", message: "CTCLoss's mean divides each sample's loss by its target length, which a sum of per-sample values does not keep; use reduction=sum for an exact or streamed reduction")
    }
    perSample["reduction"] = .string("none")
    if definition.framework == .keras || definition.framework == .tfKeras, let ignored = parameters["ignore_class"],
      let ignoredClass = ignored.numericValue
    {
      // apply_mask: each kept value weighs total/valid for sum_over_batch_size (and 0/1,
      // dividing by the kept, for mean_with_sample_weight); the ignored values are 0.
      return Plan(
        semantics: semantics == .mean ? .maskWeightedMean : semantics, perSampleParameters: perSample, ignoreIndex: ignoredClass)
    }
    if definition.framework == .torch, semantics == .mean,
      let info = definition.parameters.first(where: { $0.name == "ignore_index" }),
      let ignored = (parameters["ignore_index"] ?? info.defaultValue)?.numericValue
    {
      // torch's mean divides by the targets it did not ignore.
      return Plan(semantics: .countedTargetsMean, perSampleParameters: perSample, ignoreIndex: ignored)
    }
    return Plan(semantics: semantics, perSampleParameters: perSample)
  }

  /// Checks that `definition` can be computed chunk by chunk along axis 0: its samples
  /// must be independent (``LossDefinition/couplesSamples``), and tensor parameters
  /// other than per-class ones would have to be split with the rows.
  public static func requireStreamable(_ definition: LossDefinition, _ parameters: ParameterList) throws {
    _ = try plan(definition, parameters)
    try requireRowParameters(parameters)
  }

  /// Checks that `definition` can be streamed unreduced, each chunk's values written out
  /// as they are (`compute --stream --loss-out`): its samples must be independent and
  /// its loss unreduced (`reduction` none, or a loss without one, such as Optax's).
  public static func requireStreamableUnreduced(_ definition: LossDefinition, _ parameters: ParameterList) throws {
    if let reduction = reductionName(definition, parameters), reduction != "none", reduction != "NONE" {
      throw LossError.unsupported(
        argument: "reduction",
        message: "streaming with --loss-out writes the values of an unreduced loss, and \(definition.qualifiedName) reduces them (reduction=\(reduction)): give --param reduction=none, or leave out --loss-out for the exact streamed reduction")
    }
    if definition.couplesSamples || definition.framework == .sklearn {
      _ = try plan(definition, parameters)  // throws why
    }
    try requireRowParameters(parameters)
  }

  /// `parameters` without torch's deprecated `size_average` and `reduce`, which would
  /// override any `reduction` set afterwards (`legacy_get_string`).
  static func withoutLegacyReductionFlags(_ parameters: ParameterList, _ definition: LossDefinition) -> ParameterList {
    var cleared = parameters
    for flag in ["size_average", "reduce"] where definition.framework == .torch && parameters[flag] != nil {
      cleared[flag] = .null
    }
    return cleared
  }

  /// A sample weight as one weight per per-sample value (`shape`): the same values
  /// with axes of length 1 added or dropped, a scalar for every value, or — as each
  /// framework broadcasts it — a weight per leading index (Keras's
  /// `squeeze_or_expand_to_same_rank` aligns leading axes) or NumPy's trailing-axis
  /// broadcasting (`tf.compat.v1`'s `broadcast_weights`).
  ///
  /// - Throws: ``LossError/shapeMismatch(argument:expected:got:)`` naming `sample_weight`.
  static func perSampleWeights(_ weight: Tensor<Double>, shape: [Int], _ framework: Framework) throws -> Tensor<Double> {
    if weight.shape == shape { return weight }
    if framework == .keras || framework == .tfKeras, let scalars = try? LossFamilies.broadcastWeights(weight, to: shape) {
      return Tensor(shape: shape, scalars: scalars)
    }
    let count = Shape.count(shape)
    if weight.count == count, weight.shape.filter({ $0 != 1 }) == shape.filter({ $0 != 1 }) { return weight.reshaped(to: shape) }
    if Shape.broadcast(weight.shape, shape) == shape { return Kernels.broadcast(weight, to: shape) }
    throw LossError.shapeMismatch(
      argument: "sample_weight", expected: "the per-sample shape \(Shape.describe(shape)) or one that broadcasts to it for an exact or streamed reduction",
      got: Shape.describe(weight.shape))
  }

  /// The `reduction` a request uses (given, or the default), nil for a loss without one.
  static func reductionName(_ definition: LossDefinition, _ parameters: ParameterList) -> String? {
    guard let info = definition.parameters.first(where: { $0.name == "reduction" }) else { return nil }
    if definition.framework == .torch {
      func flag(_ name: String) -> Bool? { if case .bool(let b)? = parameters[name] { b } else { nil } }
      if let legacy = Torch.legacyReduction(sizeAverage: flag("size_average"), reduce: flag("reduce")) { return legacy.rawValue }
    }
    switch parameters["reduction"] ?? info.defaultValue ?? .null {
    case .string(let s): return s
    case .null: return "none"
    case let other: return "\(other)"
    }
  }

  /// Tensor parameters other than per-class ones would have to be split with the rows.
  private static func requireRowParameters(_ parameters: ParameterList) throws {
    for assignment in parameters {
      if case .tensor = assignment.value, !["pos_weight", "weight", "labels", "class_weights"].contains(assignment.name) {
        throw LossError.unsupported(
          argument: assignment.name,
          message: "a tensor parameter given per sample cannot be streamed with the rows; load the inputs in memory (they must fit) or split the run into shards")
      }
    }
  }

  /// The configuration a reduction state of `request` records.
  public static func configuration(_ request: LossRequest, _ definition: LossDefinition, _ plan: Plan, computeDType: DType)
    -> ReductionState.Configuration
  {
    var parameters: [String: ParameterValue] = [:]
    for assignment in request.parameters { parameters[assignment.name] = assignment.value }
    return ReductionState.Configuration(
      framework: definition.framework.rawValue, loss: definition.name, parameters: parameters, dtype: request.dtype.rawValue,
      computeDType: computeDType.rawValue, semantics: plan.semantics)
  }

  /// Adds the per-sample values of one chunk (and its sample weights, shaped like the
  /// values) to `state`.
  public static func accumulate(_ values: Tensor<Double>, weights: Tensor<Double>?, into state: inout ReductionState) throws {
    if let weights, weights.shape != values.shape {
      throw LossError.shapeMismatch(
        argument: "sample_weight", expected: "the per-sample shape \(Shape.describe(values.shape)) for an exact or streamed reduction",
        got: Shape.describe(weights.shape))
    }
    values.scalars.withUnsafeBufferPointer { v in state.sum.add(v) }
    if let weights {
      weights.scalars.withUnsafeBufferPointer { w in state.weightSum.add(w) }
      state.nonzeroWeights += weights.scalars.lazy.filter { $0 != 0 }.count
    } else {
      state.weightSum.add(Double(values.count))
      state.nonzeroWeights += values.count
    }
    state.count += values.count
    state.rows += values.shape.first ?? 1
  }
}

/// A loss whose per-sample values are means of per-element losses (Keras's mean over
/// the last axis) or the per-element losses themselves (torch's pointwise losses,
/// `tf.nn`'s and optax's elementwise ones: groups of one), which can give those
/// per-element losses summed exactly, without forming them as a tensor (its fused
/// kernel).
public protocol ExactlyReducible {
  /// `Σ ℓ` over every element, the element count, and the number of elements per
  /// per-sample value; nil when these inputs (shapes, sample weights) are not covered.
  func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum?
}

/// The exact sum of a loss's per-element values.
public struct ExactElementSum: Sendable {
  public var sum: ExactSum
  public var elements: Int
  public var groupSize: Int
  public var rows: Int
  /// The values a mean counts, when not all of them (torch's targets that are not
  /// `ignore_index`: ``ReductionSemantics/countedTargetsMean``); nil counts every one.
  public var counted: Int? = nil
}

extension LossRegistry {
  /// A request's reduction state: its per-element (or per-sample) values, reduced
  /// exactly.
  ///
  /// A `mergeable` state (a chunk of a stream, a shard) must come from independent
  /// per-sample values: a 1-D `y_pred` whose loss reduces it to one per-sample value (a
  /// Keras loss's mean over the last axis) cannot be merged with other chunks unless the
  /// loss's fused kernel sums its per-element values, and is refused.
  public func reductionState(_ request: LossRequest, mergeable: Bool = true) throws -> ReductionState {
    try reductionState(request, mergeable: mergeable, sumGradient: false).state
  }

  /// ``reductionState(_:mergeable:)`` of a chunk, and the gradient with respect to
  /// `y_pred` of its loss summed over the samples (the `sum` reduction's gradient: a
  /// streamed mean's gradient is it scaled once the count is known).
  ///
  /// One evaluation gives both where the state reduces per-sample values: the gradient
  /// of an unreduced loss is the gradient of its sum, the same float operations as the
  /// `sum` reduction's backward pass (`ExactReductionTests` checks this bit for bit over
  /// the corpus). A loss whose fused kernel sums its per-element values exactly
  /// (``ExactlyReducible``) makes that pass without a gradient, and a second one for it.
  public func reductionStateWithSumGradient(_ request: LossRequest) throws -> (state: ReductionState, gradient: Tensor<Double>) {
    let (state, gradient) = try reductionState(request, mergeable: true, sumGradient: true)
    return (state, gradient!)
  }

  /// The request with its reduction set to the framework's plain sum (unchanged for a
  /// loss without a `reduction`).
  public func sumReduced(_ request: LossRequest, _ definition: LossDefinition) -> LossRequest {
    var sum = request
    if definition.parameters.contains(where: { $0.name == "reduction" }) {
      sum.parameters = ExactReduction.withoutLegacyReductionFlags(request.parameters, definition)
      sum.parameters["reduction"] = .string(definition.framework == .tfV1 ? "weighted_sum" : "sum")
    }
    return sum
  }

  private func reductionState(_ request: LossRequest, mergeable: Bool, sumGradient: Bool) throws -> (
    state: ReductionState, gradient: Tensor<Double>?
  ) {
    let definition = try self.definition(named: request.loss, framework: request.framework)
    var plan = try ExactReduction.plan(definition, request.parameters)
    let loss = try definition.make(request.parameters)
    let computed = loss.computeDType(forInputs: request.dtype)
    if computed == .float32, request.shapes.sampleWeight == nil, let exact = loss as? any ExactlyReducible,
      let elements = try exact.exactElementSum(request.inputs(as: Float.self))  // the arrays rounded to float32, as arrays() would
    {
      let state = ReductionState(
        configuration: ExactReduction.configuration(request, definition, plan, computeDType: computed), elements: elements,
        predictionRank: request.shapes.yPred.count)
      return (state, sumGradient ? try evaluate(sumReduced(request, definition)).gradient : nil)
    }
    var perSample = request
    perSample.parameters = plan.perSampleParameters
    // Weights are applied by the loss itself; for a reduction state they must be
    // per-sample so that their sum is defined.
    let evaluation = try evaluate(perSample, gradient: sumGradient)
    let values = evaluation.loss
    let predictionShape = request.shapes.yPred
    if mergeable, values.isScalar, (predictionShape.first ?? 1) > 1 {
      if plan.semantics == .unreduced {
        throw LossError.unsupported(
          argument: "loss", message: "\(definition.qualifiedName) couples the samples of a batch (it returns one value for \(predictionShape.first!) rows), so it cannot be reduced chunk by chunk")
      }
      throw LossError.unsupported(
        argument: "y_pred",
        message: "\(definition.qualifiedName) reduces a 1-D y_pred of \(predictionShape.reduce(1, *)) elements to one per-sample value (its mean over the last axis), which cannot be merged with other chunks or shards; give y_pred (and y_true) the shape (N, 1) to make each element a sample")
    }
    // Keras 3's reduce_values sums a scalar loss (a 1-D y_pred's one per-sample value)
    // whatever the reduction: Σ w·ℓ, not divided by the weight.
    if definition.framework == .keras, plan.semantics == .weightedMean, values.isScalar { plan.semantics = .sum }
    var state = ReductionState(configuration: ExactReduction.configuration(request, definition, plan, computeDType: computed))
    // The weights give the divisor (the values carry the sample weights already): with
    // ignored targets, the kept ones count — weighted by the sample weights for a
    // weighted mean (Keras's sample_weight · mask), one each for the mask-weighted mean.
    let givenWeights = request.sampleWeight  // converted once when the request holds float32
    var weights = try givenWeights.map { try ExactReduction.perSampleWeights($0, shape: values.shape, definition.framework) }
    if let counted = plan.countedTargets(request.yTrue, perSampleShape: values.shape) {
      if let given = weights, plan.semantics != .maskWeightedMean {
        weights = Tensor(shape: values.shape, scalars: zip(given.scalars, counted.scalars).map { $0 * $1 })
      } else {
        weights = counted
      }
    }
    try ExactReduction.accumulate(values, weights: weights, into: &state)
    if definition.framework == .keras, plan.semantics == .weightedMean, plan.ignoreIndex == nil,
      let given = givenWeights, given.count != values.count
    {
      // Keras 3's mean_with_sample_weight divides by the sum of the weight as given (after
      // squeeze_or_expand_to_same_rank), not as broadcast: a weight per row sums per chunk
      // of rows; a scalar counts once per call, so chunks or shards would count it again.
      if mergeable, given.count == 1 {
        throw LossError.unsupported(
          argument: "sample_weight",
          message: "Keras 3's mean_with_sample_weight divides by a scalar sample_weight once per call, so its value depends on how the rows are split into chunks or shards; give sample_weight one value per sample, or use another reduction")
      }
      state.weightSum = ExactSum()
      given.scalars.withUnsafeBufferPointer { state.weightSum.add($0) }
    }
    return (state, sumGradient ? evaluation.gradient : nil)
  }

  /// Computes a request with an exact reduction: the value is the correctly rounded
  /// reduction of the framework's per-sample values; the gradient is the framework's.
  public func evaluateExactly(_ request: LossRequest, path: EvaluationPath = .automatic, gradient: Bool = true) throws -> LossResult {
    try evaluateExactly(request, state: try reductionState(request, mergeable: false), path: path, gradient: gradient)
  }

  /// ``evaluateExactly(_:path:gradient:)`` with the request's reduction state already
  /// computed (as for a shard file): its value, and the framework's gradient.
  public func evaluateExactly(
    _ request: LossRequest, state: ReductionState, path: EvaluationPath = .automatic, gradient: Bool = true
  ) throws -> LossResult {
    if !gradient, let dtype = DType(rawValue: state.configuration.computeDType) {
      // The state already evaluated the framework's per-sample values; evaluating the
      // request again would only compute the value this replaces.
      return LossResult(
        definition: try definition(named: request.loss, framework: request.framework), dtype: dtype,
        inputDType: request.dtype, loss: Tensor(state.value), gradient: Tensor(shape: [0], scalars: []))
    }
    var result = try evaluate(request, path: path, gradient: gradient)
    result.loss = Tensor(state.value)
    return result
  }
}
