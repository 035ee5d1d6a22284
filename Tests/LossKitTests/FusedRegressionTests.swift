import LossKit
import LossKitTestSupport
import Testing

/// The fused Keras 3 / tf-keras regression losses against the traced engine, to the bit
/// (signed zeros included): the kernels perform the trace's float operations in its order.
@Suite("Fused regression kernels against the traced engine")
struct FusedRegressionTests {
  static func inputs(_ shape: [Int], seed: UInt64) -> LossInputs<Float> {
    var rng = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    let y = (0..<count).map { _ in Float.random(in: -3...3, using: &rng) }
    // Equal values (a zero error, sign(0)), errors exactly ±δ, tiny errors whose squares
    // are subnormal (flushed by TensorFlow), NaN and infinities.
    let p = (0..<count).map { i -> Float in
      switch i % 23 {
      case 0: y[i]
      case 1: y[i] + 1
      case 2: y[i] - 1
      case 3: y[i] + 1e-21
      case 4: .nan
      case 5: i % 2 == 0 ? .infinity : -.infinity
      default: y[i] + Float.random(in: -4...4, using: &rng)
      }
    }
    return LossInputs(yTrue: Tensor(shape: shape, scalars: y), yPred: Tensor(shape: shape, scalars: p))
  }

  static let shapes: [[Int]] = [[1], [7], [33], [20_001], [3, 5], [64, 1], [5, 9000], [3, 2, 7]]

  func check(_ loss: some LossFunction, _ input: LossInputs<Float>, _ label: String) throws {
    let traced = try FusedKernelTests.expectBitIdenticalToTheTrace(loss, input, label)
    // The caller's buffer receives the same gradient.
    var buffer = [Float](repeating: .nan, count: input.yPred.count)
    let loss = try buffer.withUnsafeMutableBufferPointer { try loss.evaluate(input, gradientInto: $0) }
    #expect(FusedKernelTests.differences(loss, traced.loss) == 0, "\(label) into")
    #expect(FusedKernelTests.differences(Tensor(shape: input.yPred.shape, scalars: buffer), traced.gradient) == 0, "\(label) into gradient")
  }

  @Test(arguments: shapes)
  func bitIdenticalToTheTrace(shape: [Int]) throws {
    let input = Self.inputs(shape, seed: UInt64(shape.reduce(1, *)))
    for reduction in Keras.Reduction.allCases {
      try check(Keras.MeanSquaredError(reduction: reduction), input, "keras mse \(shape) \(reduction)")
      try check(Keras.MeanAbsoluteError(reduction: reduction), input, "keras mae \(shape) \(reduction)")
      for delta in [1.0, 0.3] {
        try check(Keras.Huber(delta: delta, reduction: reduction), input, "keras huber \(delta) \(shape) \(reduction)")
      }
    }
    for reduction in TFKeras.Reduction.allCases {
      try check(TFKeras.MeanSquaredError(reduction: reduction), input, "tf_keras mse \(shape) \(reduction)")
      try check(TFKeras.MeanAbsoluteError(reduction: reduction), input, "tf_keras mae \(shape) \(reduction)")
      try check(TFKeras.Huber(delta: 2.5, reduction: reduction), input, "tf_keras huber \(shape) \(reduction)")
    }
  }

  @Test func weightedOrMismatchedInputsRunTraced() throws {
    let input = Self.inputs([4, 3], seed: 1)
    var weighted = input
    weighted.sampleWeight = Tensor([1, 2, 3, 4])
    #expect(try Keras.MeanSquaredError().fused(weighted, gradient: true) == nil)
    let broadcast = LossInputs(yTrue: Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]), yPred: input.yPred)
    #expect(try Keras.Huber().fused(broadcast, gradient: true) == nil)
  }
}
