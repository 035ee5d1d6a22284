/// Every loss LossKit knows, looked up by framework and name. The CLI, `eval`, and
/// (later) `compare`, `explain` and `diagnose` all read this one list, so adding a loss
/// means adding its type to its framework's list.
public struct LossRegistry: Sendable {
  public let definitions: [LossDefinition]

  public init(definitions: [LossDefinition]) { self.definitions = definitions }

  /// All built-in losses.
  public static let standard = LossRegistry(
    definitions: Keras.definitions + TFKeras.definitions + TF.definitions + TFV1.definitions + Torch.definitions
      + Optax.definitions + SKLearn.definitions)

  /// The frameworks with at least one loss, in registry order.
  public var frameworks: [Framework] {
    Framework.allCases.filter { f in definitions.contains { $0.framework == f } }
  }

  /// The loss named `name`, in `framework` if given.
  ///
  /// - Throws: ``LossError/unknownLoss(name:framework:suggestions:)`` or, when no
  ///   framework is given and several have the name,
  ///   ``LossError/ambiguousLoss(name:frameworks:)``.
  public func definition(named name: String, framework: Framework? = nil) throws -> LossDefinition {
    let candidates = definitions.filter {
      ($0.name == name || $0.aliases.contains(name)) && (framework == nil || $0.framework == framework)
    }
    if candidates.count == 1 { return candidates[0] }
    if candidates.count > 1 {
      throw LossError.ambiguousLoss(name: name, frameworks: candidates.map(\.framework.rawValue))
    }
    throw LossError.unknownLoss(name: name, framework: framework?.rawValue, suggestions: suggestions(for: name, in: framework))
  }

  /// Names close to `name` in `framework`, or the same name in other frameworks.
  func suggestions(for name: String, in framework: Framework?) -> [String] {
    let pool = definitions.filter { framework == nil || $0.framework == framework }.flatMap { [$0.name] + $0.aliases }
    let close = Suggestions.close(to: name, in: pool)
    if close.isEmpty, framework != nil {
      return definitions.filter { $0.name == name || $0.aliases.contains(name) }.map { "\($0.name) (--framework \($0.framework.rawValue))" }
    }
    return close
  }

  /// Computes one loss and (unless `gradient` is false) its gradient; without the
  /// gradient the result's gradient is empty (shape [0]).
  public func evaluate(_ request: LossRequest, path: EvaluationPath = .automatic, gradient: Bool = true) throws -> LossResult {
    let definition = try self.definition(named: request.loss, framework: request.framework)
    let loss = try definition.make(request.parameters)
    // The arrays are rounded to their dtype and stay in it until the loss's compute dtype
    // needs another (so a float32 loss of float32 arrays converts them once, from the
    // request). The gradient is with respect to the arrays as given, so it is rounded to
    // their dtype (a float32 y_pred cast up to float64 gets a float32 gradient).
    func inComputeDType<S: LossScalar>(_ arrays: LossInputs<S>) throws -> (DType, LossEvaluation<Double>) {
      let dtype = loss.computeDType(forInputs: S.dtype, values: arrays)
      switch dtype {
      case .float32: return (dtype, try loss.evaluate(arrays.converted(to: Float.self), path: path, gradient: gradient).converted())
      case .float64: return (dtype, try loss.evaluate(arrays.converted(to: Double.self), path: path, gradient: gradient))
      }
    }
    let (computed, result) =
      request.dtype == .float32
      ? try inComputeDType(request.inputs(as: Float.self)) : try inComputeDType(request.inputs(as: Double.self))
    let roundedGradient =
      request.dtype == .float32 && computed == .float64
      ? result.gradient.converted(to: Float.self).converted(to: Double.self) : result.gradient
    return LossResult(definition: definition, dtype: computed, inputDType: request.dtype, loss: result.loss, gradient: roundedGradient)
  }

  /// Records the trace of a request, in the dtype the loss computes in.
  public func trace(_ request: LossRequest) throws -> (definition: LossDefinition, trace: RecordedTrace) {
    let definition = try self.definition(named: request.loss, framework: request.framework)
    let loss = try definition.make(request.parameters)
    return (definition, try loss.recordedTrace(request.arrays(), arrays: request.dtype))
  }
}

/// One loss evaluation requested by name: its inputs and the dtype of the arrays handed to
/// the framework. The inputs are held in `Double` (exact for float32 data), or, for
/// float32 arrays, as the float32 values themselves (``init(framework:loss:parameters:float32:)``:
/// half the memory, and no conversion before a float32 kernel reads them).
public struct LossRequest: Sendable {
  public var framework: Framework?
  public var loss: String
  /// Parameters in the order given.
  public var parameters: ParameterList
  /// The dtype of the input arrays. The loss may compute in another (Keras 3 casts to
  /// its `dtype` parameter, float32 by default).
  public var dtype: DType
  private var storage: Storage

  /// The inputs in the form they were given: either converts exactly to `Double`.
  private enum Storage: Sendable {
    case float64(LossInputs<Double>)
    case float32(LossInputs<Float>)
  }

  public init(
    framework: Framework?, loss: String, parameters: ParameterList = [:], yTrue: Tensor<Double>,
    yPred: Tensor<Double>, sampleWeight: Tensor<Double>? = nil, dtype: DType = .float32
  ) {
    self.framework = framework
    self.loss = loss
    self.parameters = parameters
    self.storage = .float64(LossInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight))
    self.dtype = dtype
  }

  /// A request on float32 arrays, held as they are.
  public init(framework: Framework?, loss: String, parameters: ParameterList = [:], float32 inputs: LossInputs<Float>) {
    self.framework = framework
    self.loss = loss
    self.parameters = parameters
    self.storage = .float32(inputs)
    self.dtype = .float32
  }

  /// Targets or labels, in `Double` (converted on each read when held as float32).
  public var yTrue: Tensor<Double> {
    get {
      switch storage {
      case .float64(let inputs): inputs.yTrue
      case .float32(let inputs): inputs.yTrue.converted()
      }
    }
    set { storage = .float64(LossInputs(yTrue: newValue, yPred: yPred, sampleWeight: sampleWeight)) }
  }

  /// Predictions, in `Double` (converted on each read when held as float32).
  public var yPred: Tensor<Double> {
    get {
      switch storage {
      case .float64(let inputs): inputs.yPred
      case .float32(let inputs): inputs.yPred.converted()
      }
    }
    set { storage = .float64(LossInputs(yTrue: yTrue, yPred: newValue, sampleWeight: sampleWeight)) }
  }

  /// Sample weights, in `Double` (converted on each read when held as float32).
  public var sampleWeight: Tensor<Double>? {
    get {
      switch storage {
      case .float64(let inputs): inputs.sampleWeight
      case .float32(let inputs): inputs.sampleWeight?.converted()
      }
    }
    set { storage = .float64(LossInputs(yTrue: yTrue, yPred: yPred, sampleWeight: newValue)) }
  }

  /// The shapes of the inputs, without converting them.
  public var shapes: (yTrue: [Int], yPred: [Int], sampleWeight: [Int]?) {
    switch storage {
    case .float64(let i): (i.yTrue.shape, i.yPred.shape, i.sampleWeight?.shape)
    case .float32(let i): (i.yTrue.shape, i.yPred.shape, i.sampleWeight?.shape)
    }
  }

  /// The inputs rounded to `S` (the same storage when they are held in `S`).
  public func inputs<S: LossScalar>(as _: S.Type) -> LossInputs<S> {
    switch storage {
    case .float64(let inputs): inputs.converted()
    case .float32(let inputs): inputs.converted()
    }
  }

  /// The input arrays as the framework receives them: rounded to ``dtype``, held in
  /// `Double` (exactly).
  public func arrays() -> LossInputs<Double> {
    dtype == .float32 ? inputs(as: Float.self).converted() : inputs(as: Double.self)
  }
}

/// The result of a ``LossRequest``; values are exact conversions of the computed `dtype`.
public struct LossResult: Sendable {
  public var definition: LossDefinition
  /// The dtype the loss computed in: the loss's values are exact in it.
  public var dtype: DType
  /// The dtype of the input arrays: the gradient (with respect to them) is exact in it.
  public var inputDType: DType
  public var loss: Tensor<Double>
  public var gradient: Tensor<Double>

  /// The dtype the gradient is exact in: the narrower of the two (a float64 gradient
  /// of float32 arrays is rounded to float32; a float32 computation's gradient has
  /// float32 precision whatever the arrays' dtype).
  public var gradientDType: DType { dtype == .float32 || inputDType == .float32 ? .float32 : .float64 }
}
