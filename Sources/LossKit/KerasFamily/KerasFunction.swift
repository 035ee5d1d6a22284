/// A Keras loss class whose per-sample computation the framework also exports as a
/// function: `keras.losses.mean_squared_error` for `MeanSquaredError`,
/// `tf_keras.losses.binary_crossentropy` for `BinaryCrossentropy`, ...
///
/// The function is the class without `Loss.__call__`: no cast to the loss dtype (it
/// computes in `y_pred`'s dtype), no rank alignment unless the function does it itself,
/// no sample weight and no reduction — it returns the per-sample loss.
public protocol KerasFunctionalForm: Sendable {
  associatedtype Convention: KerasConvention
  init()
  /// The function's Python name, e.g. `mean_squared_error`.
  static var functionName: String { get }
  /// Other names the framework exports the function under (tf-keras's `MSE`, `mse`).
  static var functionAliases: [String] { get }
  /// One line for `losskit list`.
  static var functionSummary: String { get }
  /// The function's keyword arguments (the class's, without `reduction` and `dtype`),
  /// declared on the class's properties.
  static var functionParameters: [LossParameter<KerasFunction<Self>>] { get }
  /// Whether `y_true` holds class indices.
  static var functionTakesClassIndices: Bool { get }
  /// Where other versions or backends differ, for `list --notes`.
  static var functionNotes: [ConventionNote] { get }
  /// The dtype the function computes in for arrays of dtype `inputs` (`y_pred`'s dtype
  /// unless the function casts).
  static func functionComputeDType(forInputs inputs: DType) -> DType
  /// The loss function itself: the per-sample loss (and the mask it attaches).
  func perSample<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) throws -> PerSampleLoss<S>
}

extension KerasFunctionalForm {
  public static var functionAliases: [String] { [] }
  public static var functionTakesClassIndices: Bool { false }
  public static var functionNotes: [ConventionNote] { [] }
  public static func functionComputeDType(forInputs inputs: DType) -> DType { inputs }
}

/// The function form of a Keras loss class (``KerasFunctionalForm``):
/// `KerasFunction(Keras.Huber(delta: 2))` is `keras.losses.huber(y_true, y_pred, delta=2)`.
/// It returns the per-sample loss, unweighted and unreduced.
public struct KerasFunction<Loss: KerasFunctionalForm>: DeclaredLoss {
  /// The class whose parameters the function takes.
  public var loss: Loss

  public init() { loss = Loss() }
  public init(_ loss: Loss) { self.loss = loss }

  public static var declaration: LossDeclaration<Self> {
    LossDeclaration(
      Loss.Convention.framework, Loss.functionName, summary: Loss.functionSummary + " (per sample, no reduction)",
      parameters: Loss.functionParameters, takesClassIndices: Loss.functionTakesClassIndices,
      acceptsSampleWeight: false, notes: Loss.functionNotes, ignoredParameters: [], aliases: Loss.functionAliases)
  }

  public func computeDType(forInputs inputs: DType) -> DType { Loss.functionComputeDType(forInputs: inputs) }

  public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    guard inputs.sampleWeight == nil else {
      throw LossError.invalidValue(
        argument: "sample_weight", expected: "none (the loss functions take no sample weight; use the class)",
        got: "a tensor")
    }
    let (yTrue, yPred) = t.recordInputs(inputs)
    return try loss.perSample(&t, yTrue, yPred).value
  }
}

extension KerasFunction {
  /// The class's own declarations of the arguments it shares with its function, read
  /// and written through ``loss``: each is declared once, on the class.
  static func parameters(_ classParameters: [LossParameter<Loss>]) -> [LossParameter<Self>] {
    classParameters.map { LossParameter($0, through: \.loss) }
  }
}

extension LossParameter {
  /// `parameter` of the value at `path`, as a parameter of the enclosing `Loss`.
  init<Inner>(_ parameter: LossParameter<Inner>, through path: WritableKeyPath<Loss, Inner> & Sendable) {
    name = parameter.name
    summary = parameter.summary
    expectation = parameter.expectation
    choices = parameter.choices
    isRequired = parameter.isRequired
    read = { loss in parameter.read(loss[keyPath: path]) }
    write = { loss, value in try parameter.write(&loss[keyPath: path], value) }
    check = { loss in try parameter.check(loss[keyPath: path]) }
  }
}

extension KerasFamilyLoss where Self: KerasFunctionalForm {
  /// `Loss.__call__` around the loss function.
  func callClass<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
    try Convention.call(on: &t, inputs, reduction: reduction) { t, yTrue, yPred in try perSample(&t, yTrue, yPred) }
  }
}
