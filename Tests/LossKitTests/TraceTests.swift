import Foundation
import LossKit
import Testing

@Suite("Traced evaluation")
struct TraceTests {
  @Test func everyOperationBelongsToANamedStep() throws {
    let (trace, output) = try TFKeras.BinaryCrossentropy(labelSmoothing: 0.1).trace(
      LossInputs(yTrue: Tensor<Float>([1, 0]), yPred: Tensor<Float>([0.8, 0.3])))
    #expect(trace.nodes.allSatisfy { !$0.step.isEmpty })
    let steps = trace.nodes.map(\.step).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
    #expect(steps.first == "inputs")
    #expect(steps.contains("clip y_pred to [ε, 1 − ε]"))
    #expect(steps.contains { $0.hasPrefix("label smoothing") })
    #expect(steps.last == "reduction=auto (sum / element count)")
    #expect(trace[output].isScalar)
    #expect(trace.differentiableInput != nil)
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
    let result = try Keras.SparseCategoricalCrossentropy(ignoreClass: 0).valueWithGradient(
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
  func recorded(_ framework: String) throws -> Double {
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("\(framework)/BinaryCrossentropy.json"), encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first { $0.contains("\"\(framework)/BinaryCrossentropy/motivating-1\"") })
    let loss = try #require(line.range(of: "\"loss\": {\"shape\": [], \"data\": ["))
    let number = line[loss.upperBound...].prefix { $0 != "]" }
    return try #require(Double(String(number)))
  }

  @Test func kerasAndTFKerasRowsMatchTheFrameworks() throws {
    let results = try CrossFrameworkExample.binaryCrossentropy.evaluate()
    let keras = try #require(results.first { $0.row.framework == .keras })
    let tfKeras = try #require(results.first { $0.row.framework == .tfKeras })
    // Exact: the corpus value is float32, and LossKit reproduces TF's float32 steps.
    #expect(keras.value == (try recorded("keras")))
    #expect(tfKeras.value == (try recorded("tf_keras")))
    #expect(keras.elements.count == 3 && tfKeras.elements.count == 3)
    #expect(results.allSatisfy { !$0.row.reason.isEmpty })
    #expect(Set(results.map(\.row.framework)) == Set(LossRegistry.standard.frameworks))
  }
}
