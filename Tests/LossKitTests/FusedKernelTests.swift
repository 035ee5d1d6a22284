import LossKit
import LossKitTestSupport
import Testing

/// Fused kernels are the default path; the traced engine is their reference. Where a
/// kernel performs the same float operations in the same order, the two agree to the
/// bit (the conformance suite additionally runs every case through both paths, within
/// its tolerances).
@Suite("Fused kernels against the traced engine")
struct FusedKernelTests {
  /// The number of elements that differ (a zero's sign counts; NaN matches NaN).
  static func differences<S: LossScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Int {
    guard a.shape == b.shape else { return max(a.count, b.count) }
    var count = 0
    for i in 0..<a.count {
      let (x, y) = (a.scalars[i], b.scalars[i])
      let identical = x == y ? x.sign == y.sign : (x.isNaN && y.isNaN)
      if !identical { count += 1 }
    }
    return count
  }

  /// `loss`'s fused result against its traced one, bit for bit, loss and gradient;
  /// returns the traced result.
  @discardableResult
  static func expectBitIdenticalToTheTrace<S: LossScalar>(
    _ loss: some LossFunction, _ input: LossInputs<S>, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> LossEvaluation<S> {
    let fused = try #require(try S.fused(loss, input, gradient: true), "no fused kernel: \(label)", sourceLocation: sourceLocation)
    let traced = try loss.evaluate(input, path: .traced)
    #expect(
      differences(fused.loss, traced.loss) == 0, "\(label): \(fused.loss.scalars.prefix(3)) vs \(traced.loss.scalars.prefix(3))",
      sourceLocation: sourceLocation)
    #expect(differences(fused.gradient, traced.gradient) == 0, "\(label) gradient", sourceLocation: sourceLocation)
    return traced
  }

  static func randomInputs<S: LossScalar>(_: S.Type, count: Int, seed: UInt64) -> LossInputs<S> {
    var rng = SplitMix64(seed: seed)
    // Logits over ±100 (saturation, subnormal exp), exact zeros, labels in [0, 1].
    let logits = (0..<count).map { i -> S in i % 17 == 0 ? 0 : S(Double.random(in: -100...100, using: &rng)) }
    let labels = (0..<count).map { i -> S in i % 3 == 0 ? S(Double.random(in: 0...1, using: &rng)) : S(i % 2) }
    return LossInputs(yTrue: Tensor(shape: [count], scalars: labels), yPred: Tensor(shape: [count], scalars: logits))
  }

  @Test func sigmoidCrossEntropyIsBitIdenticalToTheTrace() throws {
    let loss = TF.SigmoidCrossEntropyWithLogits()
    // 4093 elements: the last partial packet takes the scalar path.
    let float = Self.randomInputs(Float.self, count: 4093, seed: 0x51C)
    try Self.expectBitIdenticalToTheTrace(loss, float, "float32")
    let double = Self.randomInputs(Double.self, count: 4093, seed: 0x51D)
    try Self.expectBitIdenticalToTheTrace(loss, double, "float64")
  }

  @Test func theFusedKernelIsTheDefaultAndDeclinesWhatItDoesNotCover() throws {
    let loss = TF.SigmoidCrossEntropyWithLogits()
    let inputs = LossInputs(yTrue: Tensor<Float>([1, 0]), yPred: Tensor<Float>([-1.5, 2]))
    #expect(try loss.fused(inputs, gradient: false) != nil)
    #expect(try loss.evaluate(inputs).loss == loss.evaluate(inputs, path: .traced).loss)
    // Mismatched shapes are left to the traced path, which names the argument.
    let bad = LossInputs(yTrue: Tensor<Float>([1, 0, 1]), yPred: Tensor<Float>([-1.5, 2]))
    #expect(try loss.fused(bad, gradient: true) == nil)
    #expect(throws: LossError.shapeMismatch(argument: "labels", expected: "the same shape as logits (2,)", got: "(3,)")) {
      try loss.evaluate(bad)
    }
  }
}

@Suite("Fused binary cross-entropy against the traced engine")
struct FusedBinaryCrossentropyTests {
  static func inputs(_ shape: [Int], seed: UInt64) -> LossInputs<Float> {
    var rng = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    // Probabilities including exact 0 and 1, the clip bounds and NaN; soft and hard labels.
    let specials: [Float] = [0, 1, Float(1e-7), Float(1 - 1e-7), .nan, 1e-12, 0.5]
    let p = (0..<count).map { i -> Float in i % 11 == 0 ? specials[(i / 11) % specials.count] : Float.random(in: 0.001...0.999, using: &rng) }
    let y = (0..<count).map { i -> Float in i % 5 == 0 ? Float.random(in: 0...1, using: &rng) : Float(i % 2) }
    return LossInputs(yTrue: Tensor(shape: shape, scalars: y), yPred: Tensor(shape: shape, scalars: p))
  }

  static let shapes: [[Int]] = [[1], [7], [9], [33], [20_001], [3, 5], [64, 1], [9000, 1], [5, 9000], [2, 20_000], [3, 2, 7]]

  @Test(arguments: shapes)
  func bitIdenticalToTheTrace(shape: [Int]) throws {
    let input = Self.inputs(shape, seed: UInt64(shape.reduce(1, *)))
    for smoothing in [0.0, 0.1] {
      for reduction in Keras.Reduction.allCases {
        let keras = Keras.BinaryCrossentropy(labelSmoothing: smoothing, reduction: reduction)
        try FusedKernelTests.expectBitIdenticalToTheTrace(keras, input, "keras \(shape) \(reduction) ls \(smoothing)")
      }
      for reduction in TFKeras.Reduction.allCases {
        let legacy = TFKeras.BinaryCrossentropy(labelSmoothing: smoothing, reduction: reduction)
        try FusedKernelTests.expectBitIdenticalToTheTrace(legacy, input, "tf_keras \(shape) \(reduction) ls \(smoothing)")
      }
    }
  }

  @Test func theResultDoesNotDependOnTheThreadCount() throws {
    let input = Self.inputs([300_001], seed: 7)
    let loss = Keras.BinaryCrossentropy()
    let saved = FusedExecution.threads
    defer { FusedExecution.threads = saved }
    FusedExecution.threads = 1
    let one = try #require(try loss.fused(input, gradient: true))
    FusedExecution.threads = 2
    let two = try #require(try loss.fused(input, gradient: true))
    FusedExecution.threads = 7
    let seven = try #require(try loss.fused(input, gradient: true))
    #expect(FusedKernelTests.differences(one.loss, two.loss) == 0 && FusedKernelTests.differences(one.loss, seven.loss) == 0)
    #expect(FusedKernelTests.differences(one.gradient, two.gradient) == 0)
  }
}

@Suite("Fused logits kernels against the traced engine")
struct FusedLogitsTests {
  static func logits(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    let specials: [Float] = [0, -90, 90, -17, 17, .nan, -.infinity, .infinity]
    return (0..<count).map { i in i % 13 == 0 ? specials[(i / 13) % specials.count] : Float.random(in: -20...20, using: &rng) }
  }

  @Test(arguments: [[1], [9], [4093], [70_001], [3, 40]])
  func sigmoidCrossEntropyAndKerasFromLogits(shape: [Int]) throws {
    let count = shape.reduce(1, *)
    var rng = SplitMix64(seed: 3)
    let labels = (0..<count).map { i in i % 3 == 0 ? Float.random(in: 0...1, using: &rng) : Float(i % 2) }
    let input = LossInputs(yTrue: Tensor(shape: shape, scalars: labels), yPred: Tensor(shape: shape, scalars: Self.logits(count, seed: 9)))
    let tf = TF.SigmoidCrossEntropyWithLogits()
    try FusedKernelTests.expectBitIdenticalToTheTrace(tf, input, "tf \(shape)")
    for reduction in Keras.Reduction.allCases {
      for smoothing in [0.0, 0.2] {
        let keras = Keras.BinaryCrossentropy(fromLogits: true, labelSmoothing: smoothing, reduction: reduction)
        try FusedKernelTests.expectBitIdenticalToTheTrace(keras, input, "\(shape) \(reduction) \(smoothing)")
      }
    }
  }

  @Test(arguments: [(1, 1), (3, 7), (5, 16), (64, 1000), (2, 9000), (7, 5)])
  func sparseSoftmaxCrossEntropy(rows: Int, classes: Int) throws {
    var rng = SplitMix64(seed: UInt64(rows * 31 + classes))
    let logits = (0..<(rows * classes)).map { _ in Float.random(in: -30...30, using: &rng) }
    let labels = (0..<rows).map { _ in Float(Int.random(in: 0..<classes, using: &rng)) }
    let input = LossInputs(yTrue: Tensor(labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    let tf = TF.SparseSoftmaxCrossEntropyWithLogits()
    try FusedKernelTests.expectBitIdenticalToTheTrace(tf, input, "tf \(rows)×\(classes)")
    for reduction in Keras.Reduction.allCases {
      let keras = Keras.SparseCategoricalCrossentropy(fromLogits: true, reduction: reduction)
      try FusedKernelTests.expectBitIdenticalToTheTrace(keras, input, "\(reduction)")
    }
  }
}
