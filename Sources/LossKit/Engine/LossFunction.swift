/// The inputs of one loss evaluation, in the framework's terms.
public struct LossInputs<Scalar: LossScalar>: Sendable {
  /// Targets or labels (Keras `y_true`, TF `labels`/`targets`, torch `target`). Class
  /// indices are carried as values of `Scalar`, as Keras itself converts them.
  public var yTrue: Tensor<Scalar>
  /// Predictions: probabilities or logits (Keras `y_pred`, TF `logits`, torch `input`).
  public var yPred: Tensor<Scalar>
  /// Per-sample weights, or nil.
  public var sampleWeight: Tensor<Scalar>?

  public init(yTrue: Tensor<Scalar>, yPred: Tensor<Scalar>, sampleWeight: Tensor<Scalar>? = nil) {
    self.yTrue = yTrue
    self.yPred = yPred
    self.sampleWeight = sampleWeight
  }

  /// The inputs rounded to another dtype, as a framework casts them.
  public func converted<T: LossScalar>(to _: T.Type = T.self) -> LossInputs<T> {
    LossInputs<T>(yTrue: yTrue.converted(), yPred: yPred.converted(), sampleWeight: sampleWeight?.converted())
  }
}

/// A loss value together with the gradient of its sum with respect to `y_pred`.
public struct LossEvaluation<Scalar: LossScalar>: Sendable {
  /// The framework's output.
  public var loss: Tensor<Scalar>
  /// `∂ sum(loss) / ∂ y_pred`, shaped like `y_pred`.
  public var gradient: Tensor<Scalar>

  public init(loss: Tensor<Scalar>, gradient: Tensor<Scalar>) {
    self.loss = loss
    self.gradient = gradient
  }

  /// The same values in another dtype (exact from float32 to float64).
  public func converted<T: LossScalar>(to _: T.Type = T.self) -> LossEvaluation<T> {
    LossEvaluation<T>(loss: loss.converted(), gradient: gradient.converted())
  }
}

/// Which implementation computes a loss.
public enum EvaluationPath: String, Sendable, CaseIterable {
  /// The loss's fused kernel when it has one for these inputs, otherwise the trace.
  case automatic
  /// Always the traced engine: the reference that fused kernels are tested against.
  case traced
  /// Opt-in speed over the framework's bits: for a loss value without the gradient, the
  /// fused kernel with LossKit's own float32 `exp` and `log1p` where it has such a
  /// variant (``FastMathLoss``: binary cross-entropy from logits and sparse softmax
  /// cross-entropy in Keras 3, tf-keras and `tf.nn`, on CPUs with FMA), otherwise as
  /// ``automatic``. The framework's formula, clipping and summation order stay; the
  /// values move by a few float32 ulps from the framework's (docs/elementary-functions.md
  /// states the functions' error bounds), within the conformance tolerances.
  case fastMath = "fast-math"
}

/// A configured loss: one framework's loss with its options fixed.
///
/// A conforming type describes the loss once, as a generic function that records its
/// steps on a ``LossTrace``; the two `record` requirements are both satisfied by that
/// one generic method, so each loss is compiled for `Float` and for `Double`:
///
/// ```swift
/// func record<S: LossScalar>(on trace: inout LossTrace<S>, _ inputs: LossInputs<S>) throws
///   -> LossTrace<S>.Value
/// ```
///
/// The recorded value is the framework's output (a scalar after a reduction, the
/// per-sample tensor for reduction `none`). Optionally, a loss supplies a fused kernel
/// (the `fused` requirements) that computes the same values in one pass; evaluation
/// picks it automatically and the conformance suite checks it against the trace.
public protocol LossFunction: Sendable {
  func record(on trace: inout LossTrace<Float>, _ inputs: LossInputs<Float>) throws -> LossTrace<Float>.Value
  func record(on trace: inout LossTrace<Double>, _ inputs: LossInputs<Double>) throws -> LossTrace<Double>.Value

  /// How the framework's runtime computes (gradient rules, summation order, ...).
  var policy: FrameworkPolicy { get }
  /// The dtype the framework computes in when given arrays of `inputs` (Keras 3 casts
  /// to its `dtype`, float32 by default; most frameworks keep the input dtype).
  func computeDType(forInputs inputs: DType) -> DType
  /// The dtype the framework computes in for these particular arrays of dtype `dtype`
  /// (held in `S`). Defaults to ``computeDType(forInputs:)``; a framework whose type
  /// promotion depends on the values overrides it (scikit-learn's binary `hinge_loss`
  /// multiplies int64 labels by the decisions, which NumPy promotes to float64).
  func computeDType<S: LossScalar>(forInputs dtype: DType, values inputs: LossInputs<S>) -> DType
  /// Checks the parameter values; throws ``LossError/invalidParameter(name:expected:got:)``.
  func validate() throws

  /// The fused kernel's result for these inputs, or nil when this configuration (or
  /// these shapes) has no fused kernel. It must equal the traced result within the
  /// conformance tolerances. Without `gradient`, the returned gradient may be empty.
  func fused(_ inputs: LossInputs<Float>, gradient: Bool) throws -> LossEvaluation<Float>?
  func fused(_ inputs: LossInputs<Double>, gradient: Bool) throws -> LossEvaluation<Double>?
  /// The fused kernel writing the gradient into `gradientInto` (one element per `y_pred`
  /// element) instead of allocating it, or nil when there is no fused kernel.
  func fused(_ inputs: LossInputs<Float>, gradientInto: UnsafeMutableBufferPointer<Float>) throws -> Tensor<Float>?
}

extension LossFunction {
  public func computeDType(forInputs inputs: DType) -> DType { inputs }
  public func computeDType<S: LossScalar>(forInputs dtype: DType, values inputs: LossInputs<S>) -> DType {
    computeDType(forInputs: dtype)
  }
  public func validate() throws {}
  public func fused(_ inputs: LossInputs<Float>, gradient: Bool) throws -> LossEvaluation<Float>? { nil }
  public func fused(_ inputs: LossInputs<Double>, gradient: Bool) throws -> LossEvaluation<Double>? { nil }
  public func fused(_ inputs: LossInputs<Float>, gradientInto: UnsafeMutableBufferPointer<Float>) throws -> Tensor<Float>? {
    nil
  }
}

/// A recorded trace in the dtype the loss computed in.
public enum RecordedTrace: Sendable {
  case float32(LossTrace<Float>, output: LossTrace<Float>.Value)
  case float64(LossTrace<Double>, output: LossTrace<Double>.Value)

  /// The dtype the loss computed in.
  public var dtype: DType {
    switch self {
    case .float32: .float32
    case .float64: .float64
    }
  }
}

extension LossFunction {
  /// Records this loss on a fresh trace in exactly `S` (no dtype conversion) and
  /// returns the trace with its output.
  public func trace<S: LossScalar>(_ inputs: LossInputs<S>) throws -> (trace: LossTrace<S>, output: LossTrace<S>.Value) {
    try validate()
    return try recordValidated(inputs)
  }

  /// Records this loss on a fresh trace, its parameters already validated.
  private func recordValidated<S: LossScalar>(_ inputs: LossInputs<S>) throws -> (trace: LossTrace<S>, output: LossTrace<S>.Value) {
    var trace = LossTrace<S>(policy: policy)
    let output = try S.record(self, on: &trace, inputs)
    return (trace, output)
  }

  /// Records this loss in the dtype the framework computes in for inputs of `S`.
  public func recordedTrace<S: LossScalar>(_ inputs: LossInputs<S>) throws -> RecordedTrace {
    try recordedTrace(inputs, arrays: S.dtype)
  }

  /// Records this loss in the dtype the framework computes in for arrays of dtype
  /// `arrays` (held exactly in `S`).
  public func recordedTrace<S: LossScalar>(_ inputs: LossInputs<S>, arrays: DType) throws -> RecordedTrace {
    switch computeDType(forInputs: arrays, values: inputs) {
    case .float32:
      let (trace, output) = try trace(inputs.converted(to: Float.self))
      return .float32(trace, output: output)
    case .float64:
      let (trace, output) = try trace(inputs.converted(to: Double.self))
      return .float64(trace, output: output)
    }
  }

  /// The loss of `yPred` against `yTrue`, exactly as the framework returns it (in the
  /// framework's compute dtype, converted back to `S`).
  ///
  /// - Throws: ``LossError`` when the inputs are invalid for this loss (the framework
  ///   would raise) — mismatched shapes, labels out of range, invalid parameters.
  public func callAsFunction<S: LossScalar>(
    _ yTrue: Tensor<S>, _ yPred: Tensor<S>, sampleWeight: Tensor<S>? = nil
  ) throws -> Tensor<S> {
    try evaluate(LossInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight), gradient: false).loss
  }

  /// The loss and the gradient of its sum with respect to `yPred`, as the framework's
  /// autodiff computes it.
  public func valueWithGradient<S: LossScalar>(
    _ yTrue: Tensor<S>, _ yPred: Tensor<S>, sampleWeight: Tensor<S>? = nil
  ) throws -> LossEvaluation<S> {
    try evaluate(LossInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight))
  }

  /// The loss for integer class labels (sparse losses), converted to `S` the way Keras
  /// converts `y_true` to the loss dtype (exact up to 2²⁴ in float32).
  public func callAsFunction<S: LossScalar>(
    _ labels: Tensor<Int>, _ yPred: Tensor<S>, sampleWeight: Tensor<S>? = nil
  ) throws -> Tensor<S> {
    try self(labels.map { S($0) }, yPred, sampleWeight: sampleWeight)
  }

  /// The loss and its gradient for integer class labels.
  public func valueWithGradient<S: LossScalar>(
    _ labels: Tensor<Int>, _ yPred: Tensor<S>, sampleWeight: Tensor<S>? = nil
  ) throws -> LossEvaluation<S> {
    try valueWithGradient(labels.map { S($0) }, yPred, sampleWeight: sampleWeight)
  }

  /// The loss and (unless `gradient` is false) its gradient for prepared inputs,
  /// computed in the framework's dtype, by the fused kernel when there is one and
  /// `path` allows it.
  public func evaluate<S: LossScalar>(
    _ inputs: LossInputs<S>, path: EvaluationPath = .automatic, gradient: Bool = true
  ) throws -> LossEvaluation<S> {
    switch computeDType(forInputs: S.dtype, values: inputs) {
    case S.dtype:
      return try evaluateInOwnDType(inputs, path: path, gradient: gradient)
    case .float32:
      return try evaluateInOwnDType(inputs.converted(to: Float.self), path: path, gradient: gradient).converted()
    case .float64:
      return try evaluateInOwnDType(inputs.converted(to: Double.self), path: path, gradient: gradient).converted()
    }
  }

  /// The loss, with the gradient written into `gradient` rather than allocated: the form
  /// for training loops that reuse one buffer. Fused kernels write the buffer directly;
  /// other losses compute traced and copy. Float32 inputs only (the dtype of the buffer);
  /// a loss whose framework computes float32 arrays in another dtype rounds the gradient
  /// to float32.
  ///
  /// - Precondition: `gradient.count == inputs.yPred.count`.
  public func evaluate(_ inputs: LossInputs<Float>, gradientInto gradient: UnsafeMutableBufferPointer<Float>) throws -> Tensor<Float> {
    precondition(gradient.count == inputs.yPred.count, "gradient buffer of \(gradient.count) elements for a y_pred of \(inputs.yPred.count)")
    if computeDType(forInputs: .float32, values: inputs) == .float32 {
      try validate()
      if let loss = try fused(inputs, gradientInto: gradient) { return loss }
    }
    let result = try evaluate(inputs)
    result.gradient.scalars.withUnsafeBufferPointer { source in
      _ = gradient.initialize(from: source)
    }
    return result.loss
  }

  private func evaluateInOwnDType<S: LossScalar>(
    _ inputs: LossInputs<S>, path: EvaluationPath, gradient: Bool
  ) throws -> LossEvaluation<S> {
    try validate()
    if path == .fastMath, !gradient, let value = try FastMath.value(self, inputs) {
      return LossEvaluation(loss: value, gradient: Tensor(shape: [0], scalars: []))
    }
    if path != .traced, let result = try S.fused(self, inputs, gradient: gradient) {
      return result
    }
    let (trace, output) = try recordValidated(inputs)
    guard gradient else { return LossEvaluation(loss: trace[output], gradient: Tensor(shape: [0], scalars: [])) }
    guard let input = trace.differentiableInput else {
      preconditionFailure("\(Self.self) did not record y_pred as its differentiable input")
    }
    return LossEvaluation(loss: trace[output], gradient: trace.gradient(of: output, withRespectTo: input))
  }
}
