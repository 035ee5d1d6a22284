import LossKit
import Testing

/// README.md's library example, as written there, against the frameworks' own values for
/// this input (recorded in the corpus: keras/BinaryCrossentropy/motivating-1,
/// tf_keras/BinaryCrossentropy/motivating-1, torch/BCELoss/motivating-mean-1,
/// torch/BCEWithLogitsLoss/motivating-1, sklearn/log_loss/motivating-1).
@Suite("The README's library example")
struct ReadmeExampleTests {
  @Test func theExampleComputesTheFrameworksNumbers() throws {
    let yTrue = Tensor<Float>([1, 1, 1])
    let yPred = Tensor<Float>([1, 1, 0])
    let keras = try Keras.BinaryCrossentropy()(yTrue, yPred)
    let legacy = try TFKeras.BinaryCrossentropy()(yTrue, yPred)
    let torch = try Torch.BCELoss()(yTrue, yPred)
    let logits = try Torch.BCEWithLogitsLoss(reduction: .sum).valueWithGradient(yTrue, yPred)
    let optax = try Optax.SigmoidBinaryCrossEntropy()(yTrue, yPred)
    let sklearn = try SKLearn.LogLoss(labels: Tensor([0, 1]))(yTrue, yPred)
    var gradient = [Float](repeating: 0, count: yPred.count)
    let value = try gradient.withUnsafeMutableBufferPointer {
      try Torch.BCEWithLogitsLoss().evaluate(LossInputs(yTrue: yTrue, yPred: yPred), gradientInto: $0)
    }
    #expect(keras.scalars == [5.3726983])
    #expect(legacy.scalars == [5.1416497])
    #expect(torch.scalars == [33.333332])
    #expect(sklearn.scalars == [5.3141284])
    #expect(optax.shape == [3] && logits.gradient.shape == [3])
    #expect(value.scalars == [0.43989018])
    // torch's autograd on the same call (torch/BCEWithLogitsLoss/motivating-1).
    #expect(gradient == [-0.08964713662862778, -0.08964713662862778, -0.1666666716337204].map { Float($0) })
  }
}
