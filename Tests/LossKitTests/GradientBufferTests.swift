import LossKit
import LossKitTestSupport
import Testing

/// `evaluate(_:gradientInto:)` writes the same gradient as `evaluate(_:)` returns, for
/// fused kernels (which write the buffer directly) and traced losses (copied).
@Suite("Gradients into a caller-provided buffer")
struct GradientBufferTests {
  static func check(_ loss: some LossFunction, _ inputs: LossInputs<Float>, _ label: String) throws {
    let reference = try loss.evaluate(inputs)
    var buffer = [Float](repeating: .nan, count: inputs.yPred.count)
    let value = try buffer.withUnsafeMutableBufferPointer { try loss.evaluate(inputs, gradientInto: $0) }
    #expect(FusedKernelTests.differences(value, reference.loss) == 0, "\(label)")
    #expect(FusedKernelTests.differences(Tensor(shape: inputs.yPred.shape, scalars: buffer), reference.gradient) == 0, "\(label) gradient")
  }

  @Test func everyKindOfKernelFillsTheBuffer() throws {
    var rng = SplitMix64(seed: 77)
    let (rows, classes) = (300, 17)
    let logits = Tensor(shape: [rows, classes], scalars: (0..<(rows * classes)).map { _ in Float.random(in: -9...9, using: &rng) })
    let labels = Tensor<Float>(shape: [rows], scalars: (0..<rows).map { _ in Float(Int.random(in: 0..<classes, using: &rng)) })
    var oneHot = [Float](repeating: 0, count: rows * classes)
    for (r, label) in labels.scalars.enumerated() { oneHot[r * classes + Int(label)] = 1 }
    let dense = Tensor(shape: [rows, classes], scalars: oneHot)
    let binary = Tensor(shape: [rows, classes], scalars: (0..<(rows * classes)).map { _ in Float(Int.random(in: 0...1, using: &rng)) })
    let probabilities = Tensor(shape: [rows, classes], scalars: (0..<(rows * classes)).map { _ in Float.random(in: 0.01...0.99, using: &rng) })
    try Self.check(TF.SigmoidCrossEntropyWithLogits(), LossInputs(yTrue: binary, yPred: logits), "tf sigmoid")
    try Self.check(TF.SoftmaxCrossEntropyWithLogits(), LossInputs(yTrue: dense, yPred: logits), "tf softmax")
    try Self.check(TF.SparseSoftmaxCrossEntropyWithLogits(), LossInputs(yTrue: labels, yPred: logits), "tf sparse")
    try Self.check(Keras.SparseCategoricalCrossentropy(fromLogits: true), LossInputs(yTrue: labels, yPred: logits), "keras sparse")
    try Self.check(Keras.CategoricalCrossentropy(fromLogits: true), LossInputs(yTrue: dense, yPred: logits), "keras categorical")
    try Self.check(Keras.BinaryCrossentropy(), LossInputs(yTrue: binary, yPred: probabilities), "keras binary")
    try Self.check(TFKeras.MeanSquaredError(), LossInputs(yTrue: probabilities, yPred: logits), "tf_keras mse")
    try Self.check(Torch.CrossEntropyLoss(), LossInputs(yTrue: labels, yPred: logits), "torch cross-entropy")
    try Self.check(Torch.BCELoss(), LossInputs(yTrue: binary, yPred: probabilities), "torch bce")
    // Traced losses: the gradient is computed, then copied.
    try Self.check(Keras.Poisson(), LossInputs(yTrue: probabilities, yPred: probabilities), "keras poisson (traced)")
    try Self.check(Torch.SoftMarginLoss(), LossInputs(yTrue: binary, yPred: logits), "torch soft margin (traced)")
  }
}
