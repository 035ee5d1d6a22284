/// What Keras 3 and tf-keras do differently in the loss classes they share
/// (`BinaryCrossentropy`, `BinaryFocalCrossentropy`, `CategoricalCrossentropy`,
/// `CategoricalFocalCrossentropy`). Each of those is one generic type
/// (``KerasBinaryCrossentropy`` and friends) over a convention; ``Keras`` and
/// ``TFKeras`` are the two conventions, and `Keras.BinaryCrossentropy` /
/// `TFKeras.BinaryCrossentropy` name the two instances.
public protocol KerasConvention: Sendable {
  /// The framework's `reduction` values.
  associatedtype Reduction: ParameterChoice & Hashable & Sendable
  static var framework: Framework { get }
  /// The default `reduction` of the framework's loss classes.
  static var defaultReduction: Reduction { get }
  /// Whether the loss classes take a `dtype` argument (Keras 3 does, tf-keras does not).
  static var takesDType: Bool { get }
  /// The dtype a loss computes in, given its `dtype` argument and the inputs' dtype.
  static func computeDType(requested: DType?, inputs: DType) -> DType

  /// `Loss.__call__`: records the inputs, aligns their ranks, runs `perSample`, then
  /// weights and reduces.
  static func call<S: LossScalar>(
    on t: inout LossTrace<S>, _ inputs: LossInputs<S>, reduction: Reduction,
    _ perSample: (inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value) throws -> PerSampleLoss<S>
  ) throws -> LossTrace<S>.Value

  /// `(1 − ls, 0.5·ls)`: Keras 3 computes them as Python floats and then rounds to the
  /// dtype; tf-keras converts `ls` to the dtype first and computes in it.
  static func labelSmoothingFactors<S: LossScalar>(_ labelSmoothing: Double) -> (keep: S, half: S)
  /// The `C` of categorical label smoothing `y·(1 − ls) + ls/C`.
  static func smoothingClasses(yTrueShape: [Int], axis: Int) throws -> Int
  /// The elementwise binary cross-entropy of the framework's backend.
  static func binaryCrossentropy<S: LossScalar>(
    _ t: inout LossTrace<S>, target: LossTrace<S>.Value, output: LossTrace<S>.Value, fromLogits: Bool
  ) throws -> LossTrace<S>.Value
  /// Whether `categorical_focal_crossentropy` checks that the shapes agree (tf-keras)
  /// or lets them broadcast (Keras 3).
  static var checksCategoricalFocalShapes: Bool { get }

  /// What the loss functions that align ranks themselves do first (Keras 3's
  /// `mean_squared_error`, `huber`, `cosine_similarity`, ... call
  /// `squeeze_or_expand_to_same_rank`; tf-keras's functions do not).
  static func alignFunctionInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, _ yTrue: LossTrace<S>.Value, _ yPred: LossTrace<S>.Value
  ) -> (LossTrace<S>.Value, LossTrace<S>.Value)
  /// The ε of `maximum(x, ε)` in `mean_squared_logarithmic_error`: Keras 3 makes it a
  /// float32 tensor (so float64 inputs get float32's 1e-7), tf-keras a Python float.
  static func msleEpsilon<S: LossScalar>() -> S
  /// `normalize(x, axis)` of `cosine_similarity`: Keras 3's
  /// `x · min(rsqrt(Σx²), 1/ε)`, tf-keras's `tf.linalg.l2_normalize`,
  /// `x · rsqrt(max(Σx², 1e-12))`.
  static func l2Normalize<S: LossScalar>(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, axis: Int) throws
    -> LossTrace<S>.Value
  /// Whether `huber` casts its inputs to `floatx()` (tf-keras: float64 arrays are
  /// computed in float32) instead of computing in the loss dtype.
  static var huberComputesInFloatx: Bool { get }
}

/// The per-sample loss a framework's loss function returns, with the mask it may attach
/// (`SparseCategoricalCrossentropy(ignore_class=…)` masks ignored positions), before the
/// framework weights and reduces it.
public struct PerSampleLoss<S: LossScalar>: Sendable {
  public var value: LossTrace<S>.Value
  public var mask: Tensor<Bool>?

  public init(value: LossTrace<S>.Value, mask: Tensor<Bool>? = nil) {
    self.value = value
    self.mask = mask
  }
}

/// A loss class that both Keras 3 and tf-keras ship: the constructor arguments that
/// `Loss.__init__` adds to every loss (`reduction`, Keras 3's `dtype`) and the
/// framework's call protocol.
public protocol KerasFamilyLoss: DeclaredLoss {
  associatedtype Convention: KerasConvention
  var reduction: Convention.Reduction { get set }
  /// The dtype the inputs are cast to before the loss (Keras 3's `dtype`: nil is the
  /// backend's floatx, float32). tf-keras has no such argument and computes in the
  /// inputs' dtype; there a value casts the inputs the same way.
  var dtype: DType? { get set }
}

extension KerasFamilyLoss {
  public func computeDType(forInputs inputs: DType) -> DType {
    Convention.computeDType(requested: dtype, inputs: inputs)
  }

  /// `reduction` and, for Keras 3, `dtype`: the arguments of `Loss.__init__`.
  static var callParameters: [LossParameter<Self>] {
    var parameters = [LossParameter<Self>("reduction", \.reduction, "how the weighted per-sample losses are reduced")]
    if Convention.takesDType {
      parameters.append(
        LossParameter(
          "dtype", \.dtype, "dtype the inputs are cast to and computed in (null: floatx, float32 — float64 arrays are cast down)"))
    }
    return parameters
  }
}
