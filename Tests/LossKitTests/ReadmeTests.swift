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
}
