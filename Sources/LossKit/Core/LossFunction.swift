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
}

/// The per-sample loss a framework's loss function returns, with the mask it may attach
/// (`SparseCategoricalCrossentropy(ignore_class=…)` masks ignored positions), before the
/// framework weights and reduces it.
struct PerSampleLoss<S: LossScalar> {
  var value: LossTrace<S>.Value
  var mask: Tensor<Bool>? = nil
}

/// A configured loss: one framework's loss with its options fixed.
///
/// A conforming type describes the loss once, as a generic function that records its
/// steps on a ``LossTrace``; the two requirements below are both satisfied by that one
/// generic method, so each loss is compiled for `Float` and for `Double`:
///
/// ```swift
/// func record<S: LossScalar>(on trace: inout LossTrace<S>, _ inputs: LossInputs<S>) throws
///   -> LossTrace<S>.Value
/// ```
///
/// The recorded value is the framework's output (a scalar after a reduction, the
/// per-sample tensor for reduction `none`).
public protocol LossFunction: Sendable {
  func record(on trace: inout LossTrace<Float>, _ inputs: LossInputs<Float>) throws -> LossTrace<Float>.Value
  func record(on trace: inout LossTrace<Double>, _ inputs: LossInputs<Double>) throws -> LossTrace<Double>.Value
}

/// A loss value together with the gradient of its sum with respect to `y_pred`.
public struct LossEvaluation<Scalar: LossScalar>: Sendable {
  /// The framework's output.
  public var loss: Tensor<Scalar>
  /// `∂ sum(loss) / ∂ y_pred`, shaped like `y_pred`.
  public var gradient: Tensor<Scalar>
}

extension LossFunction {
  /// Records this loss on a fresh trace and returns the trace with its output.
  public func trace<S: LossScalar>(_ inputs: LossInputs<S>) throws -> (trace: LossTrace<S>, output: LossTrace<S>.Value) {
    var trace = LossTrace<S>()
    let output = try S.record(self, on: &trace, inputs)
    return (trace, output)
  }

  /// The loss of `yPred` against `yTrue`, exactly as the framework returns it.
  ///
  /// - Throws: ``LossError`` when the inputs are invalid for this loss (the framework
  ///   would raise) — mismatched shapes, labels out of range.
  public func callAsFunction<S: LossScalar>(
    _ yTrue: Tensor<S>, _ yPred: Tensor<S>, sampleWeight: Tensor<S>? = nil
  ) throws -> Tensor<S> {
    let (trace, output) = try trace(LossInputs(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight))
    return trace[output]
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

  /// The loss and its gradient for prepared inputs.
  public func evaluate<S: LossScalar>(_ inputs: LossInputs<S>) throws -> LossEvaluation<S> {
    let (trace, output) = try trace(inputs)
    guard let input = trace.differentiableInput else {
      preconditionFailure("\(Self.self) did not record y_pred as its differentiable input")
    }
    return LossEvaluation(loss: trace[output], gradient: trace.gradient(of: output, withRespectTo: input))
  }
}
