import Foundation
import LossKit
import LossKitTestSupport
import Testing

/// The traced gradients against central finite differences, in float64, for every
/// loss in the registry, on inputs where the loss is smooth (no clipping, no ties, no
/// kinks, labels that sum to one where a fused kernel assumes it). The conformance
/// corpus checks the framework quirks; this checks the backward pass itself.
/// The scenarios, one list per framework family.
enum GradientScenarios {}

@Suite("Gradients agree with finite differences where the loss is smooth")
struct GradientTests {
  enum Inputs: Sendable {
    case binary(probabilities: Bool)
    case categorical(probabilities: Bool)
    case sparse(probabilities: Bool)
    case poisson
    /// Any other inputs, drawn from the seeded generator: `(y_true, y_pred)`.
    case custom(@Sendable (inout SplitMix64) -> (Tensor<Double>, Tensor<Double>))
  }

  struct Scenario: Sendable, CustomTestStringConvertible {
    var framework: Framework
    var loss: String
    var parameters: ParameterList
    var inputs: Inputs
    var weighted = false
    /// Finite differences compare within 1e-6 relative + `absoluteTolerance`.
    var absoluteTolerance = 1e-8
    /// The loss's gradient is with respect to logits that `y_pred` is the log_softmax of
    /// (torch's CTC): `y_pred` holds those logits, the loss sees their log_softmax over
    /// the last axis, and the finite differences perturb the logits.
    var throughLogSoftmax = false
    /// For losses whose float64 computation is rounded to float32 on purpose (the
    /// `tf.compat.v1` cross-entropies reduce in float32): differences in float32, step
    /// 1e-3, within 1e-3 relative + 1e-3 absolute.
    var singlePrecision = false
    var testDescription: String { "\(framework.rawValue)/\(loss) \(parameters)" + (weighted ? " weighted" : "") }
  }

  /// Each framework family's scenarios live in its own file (`GradientScenarios+*.swift`).
  static let scenarios: [Scenario] =
    GradientScenarios.tensorFlow + GradientScenarios.torch + GradientScenarios.optax + GradientScenarios.sklearn

  static func makeInputs(_ kind: Inputs, rng: inout SplitMix64) -> (Tensor<Double>, Tensor<Double>) {
    let (batch, classes) = (4, 3)
    switch kind {
    case .binary(let probabilities):
      let labels = (0..<(batch * classes)).map { _ in Double.random(in: 0...1, using: &rng).rounded() }
      let predictions = (0..<(batch * classes)).map { _ in
        probabilities ? Double.random(in: 0.05...0.95, using: &rng) : Double.random(in: -4...4, using: &rng)
      }
      return (Tensor(shape: [batch, classes], scalars: labels), Tensor(shape: [batch, classes], scalars: predictions))
    case .categorical(let probabilities):
      var labels: [Double] = []
      var predictions: [Double] = []
      for _ in 0..<batch {
        let raw = (0..<classes).map { _ in Double.random(in: 0.1...1, using: &rng) }
        labels += raw.map { $0 / raw.reduce(0, +) }  // soft labels summing to one
        let p = (0..<classes).map { _ in Double.random(in: 0.1...1, using: &rng) }
        predictions += probabilities ? p.map { $0 / p.reduce(0, +) * 0.9 } : p.map { 6 * $0 - 3 }
      }
      return (Tensor(shape: [batch, classes], scalars: labels), Tensor(shape: [batch, classes], scalars: predictions))
    case .sparse(let probabilities):
      let labels = (0..<batch).map { Double($0 % classes) }
      let predictions = (0..<(batch * classes)).map { _ in
        probabilities ? Double.random(in: 0.1...0.6, using: &rng) : Double.random(in: -3...3, using: &rng)
      }
      return (Tensor(shape: [batch], scalars: labels), Tensor(shape: [batch, classes], scalars: predictions))
    case .custom(let make):
      return make(&rng)
    case .poisson:
      let targets = (0..<(batch * classes)).map { Double($0 % 5) + 0.5 }
      let logInput = (0..<(batch * classes)).map { _ in Double.random(in: -2...2, using: &rng) }
      return (Tensor(shape: [batch, classes], scalars: targets), Tensor(shape: [batch, classes], scalars: logInput))
    }
  }

  /// log_softmax over the last axis.
  static func logSoftmax(_ x: Tensor<Double>) -> Tensor<Double> {
    let c = x.shape.last ?? 1
    var out = x.scalars
    for row in 0..<(x.count / max(c, 1)) {
      let slice = x.scalars[(row * c)..<((row + 1) * c)]
      let m = slice.max() ?? 0
      let logSum = Foundation.log(slice.reduce(0) { $0 + Foundation.exp($1 - m) }) + m
      for j in 0..<c { out[row * c + j] = x.scalars[row * c + j] - logSum }
    }
    return Tensor(shape: x.shape, scalars: out)
  }

  @Test func everyRegisteredLossHasAScenario() {
    let covered = Set(Self.scenarios.map { "\($0.framework.rawValue)/\($0.loss)" })
    let missing = LossRegistry.standard.definitions.map(\.qualifiedName).filter { !covered.contains($0) }
    #expect(missing.isEmpty, "losses without a finite-difference scenario: \(missing)")
  }

  @Test(arguments: scenarios)
  func gradientMatchesCentralDifferences(_ scenario: Scenario) throws {
    var rng = SplitMix64(seed: 0x105_5_C17)
    let (yTrue, yPred) = Self.makeInputs(scenario.inputs, rng: &rng)
    let weight = scenario.weighted ? Tensor<Double>(shape: [4], scalars: [1, 0.5, 2, 0.25]) : nil
    let definition = try LossRegistry.standard.definition(named: scenario.loss, framework: scenario.framework)
    var parameters = scenario.parameters
    // Keras 3 computes in float32 unless its `dtype` says otherwise.
    if definition.parameters.contains(where: { $0.name == "dtype" }) { parameters["dtype"] = .string("float64") }
    let loss = try definition.make(parameters)
    if scenario.singlePrecision {
      try checkInSinglePrecision(loss, yTrue.converted(), yPred.converted(), weight?.converted())
      return
    }
    func prepared(_ x: Tensor<Double>) -> Tensor<Double> { scenario.throughLogSoftmax ? Self.logSoftmax(x) : x }
    // Losses that always compute in float32 (tf.compat.v1, CTC) are recorded in float64
    // directly, bypassing their compute dtype, so that the differences are precise.
    let direct = loss.computeDType(forInputs: .float64) == .float32
    let analytic: Tensor<Double>
    if direct {
      let (trace, output) = try loss.trace(LossInputs(yTrue: yTrue, yPred: prepared(yPred), sampleWeight: weight))
      analytic = trace.gradient(of: output, withRespectTo: try #require(trace.differentiableInput))
    } else {
      analytic = try loss.valueWithGradient(yTrue, prepared(yPred), sampleWeight: weight).gradient
    }

    func total(_ x: Tensor<Double>) throws -> Double {
      if direct {
        let (trace, output) = try loss.trace(LossInputs(yTrue: yTrue, yPred: prepared(x), sampleWeight: weight))
        return trace[output].scalars.reduce(0, +)
      }
      return try loss(yTrue, prepared(x), sampleWeight: weight).scalars.reduce(0, +)
    }
    for i in 0..<yPred.count {
      // Central differences: truncation error ~h², rounding ~ε/h; h = 1e-5 balances both
      // near 1e-10, so 1e-6 relative (+1e-8 absolute for zero gradients) is a safe bound.
      let h = 1e-5 * max(1, Swift.abs(yPred.scalars[i]))
      var plus = yPred
      plus[flat: i] += h
      var minus = yPred
      minus[flat: i] -= h
      let numeric = (try total(plus) - total(minus)) / (2 * h)
      let error = Swift.abs(analytic.scalars[i] - numeric)
      #expect(
        error <= 1e-6 * Swift.abs(numeric) + scenario.absoluteTolerance,
        "element \(i): traced \(analytic.scalars[i]), finite difference \(numeric)")
    }
  }

  /// Central differences in float32 (step 1e-3), for losses rounded to float32.
  func checkInSinglePrecision(
    _ loss: any LossFunction, _ yTrue: Tensor<Float>, _ yPred: Tensor<Float>, _ weight: Tensor<Float>?
  ) throws {
    let analytic = try loss.valueWithGradient(yTrue, yPred, sampleWeight: weight).gradient
    func total(_ x: Tensor<Float>) throws -> Double {
      try loss(yTrue, x, sampleWeight: weight).scalars.reduce(0) { $0 + Double($1) }
    }
    for i in 0..<yPred.count {
      let h = Float(1e-3) * max(1, Swift.abs(yPred.scalars[i]))
      var plus = yPred
      plus[flat: i] += h
      var minus = yPred
      minus[flat: i] -= h
      let step = Double(plus.scalars[i]) - Double(minus.scalars[i])
      let numeric = (try total(plus) - total(minus)) / step
      let error = Swift.abs(Double(analytic.scalars[i]) - numeric)
      #expect(error <= 1e-3 * Swift.abs(numeric) + 1e-3, "element \(i): traced \(analytic.scalars[i]), finite difference \(numeric)")
    }
  }
}
