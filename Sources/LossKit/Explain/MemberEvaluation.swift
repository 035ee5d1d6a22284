/// The inputs of a family-level question (compare, diagnose, plot), stated once with the
/// class axis last, as Keras states them; each member gets them translated.
public struct FamilyInputs: Sendable {
  public var yTrue: Tensor<Double>
  public var yPred: Tensor<Double>
  public var sampleWeight: Tensor<Double>?
  /// The dtype of the arrays handed to the frameworks.
  public var dtype: DType

  public init(yTrue: Tensor<Double>, yPred: Tensor<Double>, sampleWeight: Tensor<Double>? = nil, dtype: DType = .float32) {
    self.yTrue = yTrue
    self.yPred = yPred
    self.sampleWeight = sampleWeight
    self.dtype = dtype
  }

  /// Scalars as one-element vectors (what a single prediction means to a loss that
  /// averages over the last axis).
  public var atLeastOneDimensional: FamilyInputs {
    guard yPred.isScalar, yTrue.isScalar else { return self }
    return FamilyInputs(yTrue: yTrue.reshaped(to: [1]), yPred: yPred.reshaped(to: [1]), sampleWeight: sampleWeight, dtype: dtype)
  }

  /// The arrays rounded to ``dtype``, as the framework receives them.
  public var rounded: FamilyInputs {
    guard dtype == .float32 else { return self }
    func round(_ t: Tensor<Double>) -> Tensor<Double> { t.map { Double(Float($0)) } }
    return FamilyInputs(yTrue: round(yTrue), yPred: round(yPred), sampleWeight: sampleWeight.map(round), dtype: dtype)
  }
}

/// One member evaluated on family inputs.
public struct MemberEvaluation: Sendable {
  public var member: FamilyMember
  public var definition: LossDefinition
  /// The translated request the framework's loss was called with.
  public var request: LossRequest
  /// What the framework returns.
  public var output: Tensor<Double>
  /// The value shown: the output when it is a scalar, otherwise LossKit's mean (or sum)
  /// of it, see ``reducedByLossKit``.
  public var value: Double
  /// Set when the member returns unreduced values and LossKit reduced them for display.
  public var reducedByLossKit: FamilyReduction?
  /// Whether LossKit applied the sample weights (the member takes none).
  public var weightedByLossKit: Bool
  /// The dtype the loss computed in.
  public var dtype: DType
}

extension LossFamilies {
  /// The request that calls `member` on `inputs`: the member's selecting parameters,
  /// the family parameters in its spelling, the reduction, the class labels it needs,
  /// the class axis moved where it expects it (or the arrays flattened for a 1-D
  /// member), and the sample weight as it takes it.
  ///
  /// - Throws: ``LossError/unsupported(argument:message:)`` when the member does not take
  ///   a given family parameter or reduction.
  public func request(
    for member: FamilyMember, _ inputs: FamilyInputs, reduction: FamilyReduction? = nil, parameters: ParameterList = [:],
    memberParameters: ParameterList = [:]
  ) throws -> LossRequest {
    var translated = member.parameters
    for assignment in memberParameters { translated[assignment.name] = assignment.value }
    for assignment in parameters {
      guard let name = member.parameterNames[assignment.name] else {
        throw LossError.unsupported(argument: assignment.name, message: "\(member.label) takes no \(assignment.name)")
      }
      translated[name] = assignment.value
    }
    if let reduction, let translation = member.reduction {
      guard translation.supports(reduction) else {
        let what = translation.parameter == nil ? "always returns the mean" : "has no reduction '\(reduction.rawValue)'"
        throw LossError.unsupported(argument: "reduction", message: "\(member.label) \(what)")
      }
      if let assignment = translation.assignment(for: reduction) { translated[assignment.name] = assignment.value }
    }
    if let name = member.classLabels, translated[name] == nil {
      let classes = member.targets == .classIndices ? Swift.max(inputs.yPred.shape.last ?? 2, 2) : 2
      translated[name] = .tensor(Tensor((0..<classes).map(Double.init)))
    }
    var yTrue = inputs.yTrue
    var yPred = inputs.yPred
    // The shape of the unreduced losses, class axis last: what weights broadcast to.
    var unitShape = member.perSample == .rows ? Array(yPred.shape.dropLast()) : yPred.shape
    if member.flattensInputs {
      yTrue = yTrue.reshaped(to: [yTrue.count])
      yPred = yPred.reshaped(to: [yPred.count])
      unitShape = [yPred.count]
    } else if member.classAxis == .dim1, yPred.rank >= 3 {
      let order = [0, yPred.rank - 1] + Array(1..<(yPred.rank - 1))
      yPred = yPred.transposed(order)
      if member.targets == .distribution, yTrue.rank == yPred.rank { yTrue = yTrue.transposed(order) }
    }
    var sampleWeight: Tensor<Double>? = nil
    if let weight = inputs.sampleWeight {
      func expanded() throws -> Tensor<Double> {
        let full = member.flattensInputs ? inputs.yPred.shape : unitShape
        return Tensor(shape: unitShape, scalars: try Self.broadcastWeights(weight, to: full))
      }
      switch member.sampleWeight {
      case .sampleWeight: sampleWeight = member.flattensInputs ? try expanded() : weight
      case .expandedSampleWeight: sampleWeight = try expanded()
      case .parameter(let name): translated[name] = .tensor(try expanded())
      case .none: break
      }
    }
    return LossRequest(
      framework: member.framework, loss: member.loss, parameters: translated, yTrue: yTrue, yPred: yPred,
      sampleWeight: sampleWeight, dtype: inputs.dtype)
  }

  /// Calls `member` on `inputs` with the framework's fused kernel where it has one.
  /// A member that returns unreduced values is shown as their mean (their sum for
  /// `reduction: .sum`), weighted by LossKit when it takes no sample weight (a member
  /// that reduces but takes no sample weight is called unreduced for that).
  public func evaluate(
    _ member: FamilyMember, _ inputs: FamilyInputs, reduction: FamilyReduction? = nil, parameters: ParameterList = [:],
    memberParameters: ParameterList = [:], registry: LossRegistry = .standard
  ) throws -> MemberEvaluation {
    var request = try self.request(
      for: member, inputs, reduction: reduction, parameters: parameters, memberParameters: memberParameters)
    let weightedByLossKit = inputs.sampleWeight != nil && member.sampleWeight == .none
    if weightedByLossKit, let unreduced = member.reduction?.assignment(for: .none) {
      // A loss that reduces but takes no sample weight (torch's MSELoss, CrossEntropyLoss):
      // its unreduced values, weighted and reduced below as the user would.
      request.parameters[unreduced.name] = unreduced.value
    }
    let definition = try registry.definition(named: member.loss, framework: member.framework)
    let result = try registry.value(request)
    let output = result.loss
    var value = output.scalars.first ?? .nan
    var reducedByLossKit: FamilyReduction? = nil
    if !output.isScalar || weightedByLossKit {
      let shown: FamilyReduction = reduction == .sum ? .sum : .mean
      reducedByLossKit = shown
      let weights = try inputs.sampleWeight.map { try Self.broadcastWeights($0, to: output.shape) }
      value = Self.frameworkReduction(output, weights: weights, shown, framework: member.framework, dtype: result.dtype)
    }
    return MemberEvaluation(
      member: member, definition: definition, request: request, output: output, value: value,
      reducedByLossKit: reducedByLossKit, weightedByLossKit: weightedByLossKit, dtype: result.dtype)
  }

  /// The unweighted per-element losses (per row for row families) of `member`, in
  /// row-major order, and the dtype they are exact in: the framework's own values,
  /// from its unreduced output (with a trailing axis of 1 added when the member
  /// averages over the last axis, so that its "mean" is the element itself), or, for a
  /// member that cannot return unreduced values, the losses its trace holds before the
  /// reduction. Nil when `allowTraced` is false and the member has no fused kernel for
  /// these inputs.
  public func perUnitLosses(
    _ member: FamilyMember, _ inputs: FamilyInputs, granularity: FamilyGranularity, parameters: ParameterList = [:],
    memberParameters: ParameterList = [:], registry: LossRegistry = .standard, allowTraced: Bool = true
  ) throws -> (values: [Double], dtype: DType)? {
    var unweighted = inputs
    unweighted.sampleWeight = nil
    let expected: Int
    if granularity == .element {
      expected = inputs.yPred.count
      if member.perSample != .elements && member.perSample != .rows {
        unweighted.yTrue = unweighted.yTrue.reshaped(to: unweighted.yTrue.shape + [1])
        unweighted.yPred = unweighted.yPred.reshaped(to: unweighted.yPred.shape + [1])
      }
    } else {
      expected = inputs.yPred.count / Swift.max(inputs.yPred.shape.last ?? 1, 1)
    }
    func check(_ count: Int) throws {
      guard count == expected else {
        throw LossError.unsupported(
          argument: "y_pred", message: "\(member.label) returned \(count) values, expected \(expected) per-unit losses")
      }
    }
    if let translation = member.reduction, translation.none == nil {
      // A metric that only returns its mean or sum (scikit-learn's): the losses its
      // trace holds before the reduction.
      guard allowTraced else { return nil }
      let request = try self.request(for: member, unweighted, parameters: parameters, memberParameters: memberParameters)
      let units = try Explanation.unitLosses(request, registry: registry)
      try check(units.values.count)
      return units
    }
    let request = try self.request(
      for: member, unweighted, reduction: member.reduction == nil ? nil : FamilyReduction.none, parameters: parameters,
      memberParameters: memberParameters)
    guard let result = try registry.value(request, allowTraced: allowTraced) else { return nil }
    try check(result.loss.count)
    return (result.loss.scalars, result.dtype)
  }

  /// The mean (or sum) of unreduced values as the framework's own reduction computes it
  /// in `dtype` — `jnp.mean(loss * w)`, `tf.reduce_mean`, `torch.mean` — with its
  /// summation order: what the user who reduces the values themselves gets.
  static func frameworkReduction(
    _ values: Tensor<Double>, weights: [Double]?, _ reduction: FamilyReduction, framework: Framework, dtype: DType
  ) -> Double {
    let environment = KernelEnvironment(framework.policy)
    func reduce<S: LossScalar>(_ x: Tensor<S>) -> Double {
      var x = x
      if let weights { x = Kernels.apply(.multiply, x, Tensor(shape: x.shape, scalars: weights.map { S($0) })) }
      return Double(Kernels.reduce(reduction == .sum ? .sum : .mean, x, axes: nil, keepDims: false, environment).scalars[0])
    }
    switch dtype {
    case .float32: return reduce(values.converted(to: Float.self))
    case .float64: return reduce(values)
    }
  }

  /// `weight` expanded to `shape`: equal shapes, a scalar, or a prefix of `shape`
  /// (Keras's per-sample weights over trailing axes), or the same element count.
  static func broadcastWeights(_ weight: Tensor<Double>, to shape: [Int]) throws -> [Double] {
    let count = Shape.count(shape)
    if weight.count == count { return weight.scalars }
    if weight.count == 1 { return Array(repeating: weight.scalars[0], count: count) }
    var prefix = weight.shape
    while prefix.last == 1 && prefix.count > 1 { prefix.removeLast() }
    if prefix.count <= shape.count, Array(shape.prefix(prefix.count)) == prefix {
      let inner = count / Swift.max(weight.count, 1)
      return weight.scalars.flatMap { Array(repeating: $0, count: inner) }
    }
    throw LossError.notBroadcastable("sample_weight", shape: weight.shape, to: Shape.describe(shape))
  }
}

extension LossRegistry {
  /// The members of `family` whose loss this registry holds, in
  /// ``LossFamilies/members(of:)``'s order: what compare, diagnose and plot run.
  public func registeredMembers(of family: FamilyID) -> [FamilyMember] {
    families.members(of: family).filter { member in
      definitions.contains { $0.framework == member.framework && $0.name == member.loss }
    }
  }

  /// The loss value of `request` without its gradient, by the fused kernel when the
  /// loss has one for these inputs; nil when it has none and `allowTraced` is false.
  public func value(_ request: LossRequest, allowTraced: Bool = true) throws -> (loss: Tensor<Double>, dtype: DType)? {
    let definition = try self.definition(named: request.loss, framework: request.framework)
    let loss = try definition.make(request.parameters)
    try loss.validate()
    let computed = loss.computeDType(forInputs: request.dtype)
    switch computed {
    case .float32:
      let inputs = request.inputs(as: Float.self)  // the arrays rounded to float32, as arrays() would
      if let fused = try loss.fused(inputs, gradient: false) { return (fused.loss.converted(), .float32) }
      guard allowTraced else { return nil }
      return (try loss.evaluate(inputs, path: .traced, gradient: false).loss.converted(), .float32)
    case .float64:
      let inputs = request.arrays()
      if let fused = try loss.fused(inputs, gradient: false) { return (fused.loss, .float64) }
      guard allowTraced else { return nil }
      return (try loss.evaluate(inputs, path: .traced, gradient: false).loss, .float64)
    }
  }

  /// ``value(_:allowTraced:)`` with the traced engine allowed.
  public func value(_ request: LossRequest) throws -> (loss: Tensor<Double>, dtype: DType) {
    try value(request, allowTraced: true)!
  }
}
