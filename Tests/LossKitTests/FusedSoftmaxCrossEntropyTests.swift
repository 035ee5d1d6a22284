import LossKit
import LossKitTestSupport
import Testing

/// The fused dense softmax cross-entropy (tf.nn and Keras `CategoricalCrossentropy`
/// from logits) against the traced engine, to the bit.
@Suite("Fused softmax cross-entropy against the traced engine")
struct FusedSoftmaxCrossEntropyTests {
  static func inputs(rows: Int, classes: Int, seed: UInt64) -> LossInputs<Float> {
    var rng = SplitMix64(seed: seed)
    var logits = (0..<(rows * classes)).map { _ in Float.random(in: -30...30, using: &rng) }
    // One-hot rows, soft rows, and rows that do not sum to one (the kernel's gradient is
    // softmax − y regardless); a -inf logit, and a NaN row when there are enough rows.
    var labels = [Float](repeating: 0, count: rows * classes)
    for r in 0..<rows {
      switch r % 3 {
      case 0: labels[r * classes + Int.random(in: 0..<classes, using: &rng)] = 1
      case 1: for j in 0..<classes { labels[r * classes + j] = 1 / Float(classes) }
      default: for j in 0..<classes { labels[r * classes + j] = Float.random(in: 0...1, using: &rng) }
      }
    }
    if rows * classes > 3 { logits[3] = -.infinity }
    if rows > 5 { logits[5 * classes] = .nan }
    return LossInputs(yTrue: Tensor(shape: [rows, classes], scalars: labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
  }

  @Test(arguments: [(1, 1), (3, 7), (5, 16), (9, 10), (64, 1000), (2, 9000), (17, 5)])
  func bitIdenticalToTheTrace(rows: Int, classes: Int) throws {
    let input = Self.inputs(rows: rows, classes: classes, seed: UInt64(rows * 31 + classes))
    let tf = TF.SoftmaxCrossEntropyWithLogits()
    try FusedKernelTests.expectBitIdenticalToTheTrace(tf, input, "tf \(rows)×\(classes)")
    for reduction in Keras.Reduction.allCases {
      let keras = Keras.CategoricalCrossentropy(fromLogits: true, reduction: reduction)
      try FusedKernelTests.expectBitIdenticalToTheTrace(keras, input, "\(reduction)")
    }
    for reduction in TFKeras.Reduction.allCases {
      let legacy = TFKeras.CategoricalCrossentropy(fromLogits: true, reduction: reduction)
      try FusedKernelTests.expectBitIdenticalToTheTrace(legacy, input, "tf_keras \(reduction)")
    }
  }

  @Test func labelSmoothingAndOtherAxesRunTraced() throws {
    let input = Self.inputs(rows: 4, classes: 3, seed: 2)
    #expect(try Keras.CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1).fused(input, gradient: true) == nil)
    #expect(try Keras.CategoricalCrossentropy(fromLogits: true, axis: 0).fused(input, gradient: true) == nil)
    #expect(try Keras.CategoricalCrossentropy().fused(input, gradient: true) == nil)
  }
}
