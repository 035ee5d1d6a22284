import LossKit
import Testing

/// The library snippet in README.md, kept compiling and running.
@Suite("README examples")
struct ReadmeTests {
  @Test func librarySnippetRuns() throws {
    let yTrue = Tensor<Float>([1, 1, 1])
    let yPred = Tensor<Float>([1, 1, 0])
    let keras = try Keras.BinaryCrossentropy()(yTrue, yPred)
    let legacy = try TFKeras.BinaryCrossentropy()(yTrue, yPred)
    let focal = Keras.BinaryFocalCrossentropy(gamma: 2, fromLogits: true, reduction: .none)
    let result = try focal.valueWithGradient(yTrue, yPred)
    let logits = try TF.SigmoidCrossEntropyWithLogits()(yTrue, yPred)
    #expect(keras.isScalar && legacy.isScalar)
    #expect(keras != legacy)  // the double-ε difference the README describes
    #expect(result.loss.shape == [] && result.gradient.shape == [3])
    #expect(logits.shape == [3])
  }

  @Test func integerLabelsForSparseLosses() throws {
    let probabilities = Tensor<Float>(shape: [2, 3], scalars: [0.7, 0.2, 0.1, 0.1, 0.3, 0.6])
    let fromInts = try Keras.SparseCategoricalCrossentropy(reduction: .none)(Tensor<Int>([0, 2]), probabilities)
    let fromFloats = try Keras.SparseCategoricalCrossentropy(reduction: .none)(Tensor<Float>([0, 2]), probabilities)
    #expect(fromInts == fromFloats)
    let gradient = try TF.SparseSoftmaxCrossEntropyWithLogits().valueWithGradient(Tensor<Int>([1, 0]), probabilities).gradient
    #expect(gradient.shape == [2, 3])
  }
}
