import Foundation
import LossKit
import Testing

@Suite("Traced evaluation")
struct TraceTests {
  static func steps(_ trace: LossTrace<Float>) -> [StepID] { trace.steps.map(\.step.id) }

  @Test func everyOperationBelongsToATypedStep() throws {
    let (trace, output) = try TFKeras.BinaryCrossentropy(labelSmoothing: 0.1).trace(
      LossInputs(yTrue: Tensor<Float>([1, 0]), yPred: Tensor<Float>([0.8, 0.3])))
    #expect(trace.nodes.allSatisfy { $0.step != nil })
    #expect(Self.steps(trace) == [.inputs, .alignRanks, .labelSmoothing, .clip, .elementwiseLoss, .axisReduction, .reduction])
    // Steps carry their parameters as data: the clip bounds in float32, tf-keras's ε in
    // the logs, the reduction's divisor.
    let clip = try #require(trace.steps.first { $0.step.id == .clip }?.step)
    #expect(clip[parameter: "lower"] == .float(Double(Float(1e-7))))
    #expect(clip[parameter: "upper"] == .float(Double(Float(1 - 1e-7))))
    let logs = try #require(trace.steps.first { $0.step.id == .elementwiseLoss }?.step)
    #expect(logs[parameter: "epsilon_in_log"] == .float(Double(Float(1e-7))))
    let reduction = try #require(trace.steps.last?.step)
    #expect(reduction[parameter: "divisor"] == .string("element count"))
    #expect(trace[output].isScalar)
    #expect(trace.differentiableInput != nil)
  }

  @Test func stepsNestAndCloseWhenTheirScopeEnds() throws {
    let (trace, _) = try TF.LogPoissonLoss(computeFullLoss: true).trace(
      LossInputs(yTrue: Tensor<Double>([0, 2, 5]), yPred: Tensor<Double>([0.1, 0.2, 0.3])))
    let stirling = try #require(trace.steps.firstIndex { $0.step.id == "stirling-term" })
    let parent = try #require(trace.steps[stirling].parent)
    #expect(trace.steps[parent].step.id == .elementwiseLoss)
    #expect(trace.steps[stirling].depth == 1)

    // Operations after a nested step belong to the enclosing one again; outside every
    // step they belong to none.
    var t = LossTrace<Double>(policy: .tensorFlow)
    let x = t.input(Tensor([1, 2]), name: "x")
    t.step("outer", "outer") { t in
      _ = t.step("inner", "inner") { t in t.exp(x) }
      _ = t.log(x)
    }
    _ = t.negate(x)
    #expect(t.nodes.map(\.step) == [nil, 1, 0, nil] as [Int?])
  }

  /// The export names each policy's summation order as docs/trace-format.md shows it.
  @Test func exportsNameTheSummationOrder() {
    let expected: [(Framework, String)] = [
      (.keras, "eigen(float: 8, double: 4)"), (.torch, "cascade(float: 8, double: 4)"),
      (.optax, "xla(window: 32, large-reduction: 4096)"), (.sklearn, "pairwise(numpy)"),
    ]
    for (framework, summation) in expected {
      var t = LossTrace<Float>(policy: framework.policy)
      let output = t.input(Tensor([1, 2]), name: "y_pred")
      #expect(t.document(framework: framework, loss: "x", output: output).policy.summation == summation, "\(framework)")
    }
  }

  @Test func maskedPositionsGetNoGradient() throws {
    // Keras 3 ignore_class: ignored rows are replaced with zeros before the loss, so even
    // a NaN prediction there neither reaches the loss nor its gradient.
    let loss = Keras.SparseCategoricalCrossentropy(ignoreClass: 2)
    let result = try loss.valueWithGradient(
      Tensor<Float>([0, 2]), Tensor<Float>(shape: [2, 3], scalars: [0.7, 0.2, 0.1, .nan, 0.5, 0.5]))
    #expect(result.loss.scalars[0].isFinite)
    #expect(result.gradient.scalars[3...].allSatisfy { $0 == 0 })
    #expect(result.gradient.scalars[..<3].contains { $0 != 0 })
  }

  @Test func gradientIsZeroWhenTheOutputIgnoresTheInput() throws {
    // Every label ignored: Keras 3's masked mean divides by no valid entries and is 0.
    let result = try Keras.SparseCategoricalCrossentropy(ignoreClass: 0, dtype: .float64).valueWithGradient(
      Tensor<Double>([0, 0]), Tensor<Double>(shape: [2, 2], scalars: [0.3, 0.7, 0.6, 0.4]))
    #expect(result.loss.scalars == [0])
    #expect(result.gradient.scalars == [0, 0, 0, 0])
  }
}

/// The table `losskit` prints must agree with what the frameworks printed for the same
/// input (recorded by the generator in the conformance corpus).
@Suite("The cross-framework example")
struct ExampleTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/conformance")

  /// The float32 loss the framework recorded for `motivating-1`.
  func recorded(_ framework: String, _ loss: String = "BinaryCrossentropy") throws -> Double {
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("\(framework)/\(loss).json"), encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first { $0.contains("\"\(framework)/\(loss)/motivating-1\"") })
    let loss = try #require(line.range(of: "\"loss\": {\"shape\": [], \"data\": ["))
    let number = line[loss.upperBound...].prefix { $0 != "]" }
    return try #require(Double(String(number)))
  }

  @Test func kerasAndTFKerasRowsMatchTheFrameworks() throws {
    let comparison = try Comparison.compare(.binaryCrossentropy, Comparison.seedExample)
    let keras = try #require(comparison.rows.first { $0.framework == "keras" })
    let tfKeras = try #require(comparison.rows.first { $0.framework == "tf_keras" })
    // Exact: the corpus value is float32, and LossKit reproduces TF's float32 steps.
    #expect(keras.value == (try recorded("keras")))
    #expect(tfKeras.value == (try recorded("tf_keras")))
    #expect(keras.perElement.count == 3 && tfKeras.perElement.count == 3)
    // scikit-learn's log_loss (float32 y_proba, labels=[0, 1]): sklearn/log_loss/motivating-1.
    let sklearn = try #require(comparison.rows.first { $0.framework == "sklearn" })
    #expect(sklearn.value == (try recorded("sklearn", "log_loss")))
    #expect(sklearn.perElement.count == 3)
    #expect(comparison.rows.allSatisfy { !$0.convention.isEmpty })
    // Every framework with losses has a row: a framework joins the default table by
    // declaring its binary cross-entropy in its family table.
    #expect(Set(comparison.rows.map(\.framework)) == Set(LossRegistry.standard.frameworks.map(\.rawValue)))
  }
}
