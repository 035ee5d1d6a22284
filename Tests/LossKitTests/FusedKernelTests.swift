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
    let fused = try #require(try loss.fused(float, gradient: true))
    let traced = try loss.evaluate(float, path: .traced)
    #expect(Self.differences(fused.loss, traced.loss) == 0)
    #expect(Self.differences(fused.gradient, traced.gradient) == 0)
    let double = Self.randomInputs(Double.self, count: 4093, seed: 0x51D)
    let fused64 = try #require(try loss.fused(double, gradient: true))
    let traced64 = try loss.evaluate(double, path: .traced)
    #expect(Self.differences(fused64.loss, traced64.loss) == 0)
    #expect(Self.differences(fused64.gradient, traced64.gradient) == 0)
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
