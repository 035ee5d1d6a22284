import Foundation
import LossKit
import LossKitTestSupport
import Testing

/// The exact reduction against an independent exact computation: the same float32
/// per-element losses summed in `Decimal` (38 significant digits, enough to hold these
/// sums exactly), the mean then compared in ulps of the result.
@Suite("Exact reductions")
struct ExactReductionTests {
  /// |result − exact| in ulps of the result, computed in Decimal.
  static func ulpError(_ result: Float, exact: Decimal) -> Double {
    let difference = abs(Decimal(Double(result)) - exact)
    let ulp = Decimal(Double(result.ulp))
    return NSDecimalNumber(decimal: difference / ulp).doubleValue
  }

  static func inputs(_ count: Int, seed: UInt64) -> (yTrue: Tensor<Double>, yPred: Tensor<Double>) {
    var rng = SplitMix64(seed: seed)
    let p = (0..<count).map { _ in Double(Float(Double.random(in: 0.0001...0.9999, using: &rng))) }
    let y = (0..<count).map { i in i % 7 == 0 ? Double(Float(Double.random(in: 0...1, using: &rng))) : Double(i % 2) }
    return (Tensor(y), Tensor(p))
  }

  @Test(arguments: [1, 3, 1000, 65_537, 200_003])
  func kerasMeanIsCorrectlyRounded(count: Int) throws {
    let (y, p) = Self.inputs(count, seed: UInt64(count))
    let request = LossRequest(framework: .keras, loss: "BinaryCrossentropy", yTrue: y, yPred: p)
    let exact = try LossRegistry.standard.evaluateExactly(request).loss.scalars[0]
    // The per-element float32 losses, as Keras computes them: reduction none on (N, 1).
    var perElement = request
    perElement.yTrue = y.reshaped(to: [count, 1])
    perElement.yPred = p.reshaped(to: [count, 1])
    perElement.parameters["reduction"] = .string("none")
    let losses = try LossRegistry.standard.evaluate(perElement).loss.scalars
    var sum = Decimal(0)
    for loss in losses { sum += Decimal(loss) }  // each a float32 value: exact in Decimal
    let error = Self.ulpError(Float(exact), exact: sum / Decimal(count))
    #expect(error <= 0.5, "\(count) elements: \(error) ulp")
  }

  /// Without a gradient the exact value comes from the reduction state alone: the same
  /// value, dtypes and definition as with one.
  @Test(arguments: [(Framework.keras, "BinaryCrossentropy"), (.torch, "BCELoss"), (.tfV1, "log_loss")])
  func theValueWithoutAGradientIsTheSame(framework: Framework, loss: String) throws {
    let (y, p) = Self.inputs(4099, seed: 7)
    let request = LossRequest(framework: framework, loss: loss, yTrue: y.reshaped(to: [4099, 1]), yPred: p.reshaped(to: [4099, 1]))
    let full = try LossRegistry.standard.evaluateExactly(request)
    let valueOnly = try LossRegistry.standard.evaluateExactly(request, gradient: false)
    #expect(valueOnly.loss.scalars == full.loss.scalars)
    #expect(valueOnly.dtype == full.dtype && valueOnly.inputDType == full.inputDType)
    #expect(valueOnly.definition.qualifiedName == full.definition.qualifiedName)
    #expect(valueOnly.gradient.count == 0 && full.gradient.count == 4099)
  }

  /// A mean of shards equals the mean of the whole: states merge.
  @Test func shardsMergeIntoTheWholeInputsValue() throws {
    let (y, p) = Self.inputs(100_000, seed: 42)
    func request(_ range: Range<Int>) -> LossRequest {
      LossRequest(
        framework: .keras, loss: "BinaryCrossentropy", yTrue: Tensor(Array(y.scalars[range])),
        yPred: Tensor(Array(p.scalars[range])))
    }
    // 1-D inputs make Keras's per-sample value the mean of the row: the shards are rows
    // of different lengths, so use (N, 1) rows instead.
    func rows(_ range: Range<Int>) -> LossRequest {
      var r = request(range)
      r.yTrue = r.yTrue.reshaped(to: [range.count, 1])
      r.yPred = r.yPred.reshaped(to: [range.count, 1])
      return r
    }
    let whole = try LossRegistry.standard.reductionState(rows(0..<100_000))
    var merged = try LossRegistry.standard.reductionState(rows(0..<33_333))
    try merged.merge(LossRegistry.standard.reductionState(rows(33_333..<70_000)))
    try merged.merge(LossRegistry.standard.reductionState(rows(70_000..<100_000)))
    #expect(merged.value == whole.value)
    #expect(merged.count == whole.count && merged.rows == whole.rows)
    // Shards of another configuration are refused, naming what differs.
    var other = rows(0..<10)
    other.parameters["label_smoothing"] = .float(0.1)
    var mixed = whole
    let refused = try #require(throws: LossError.self) { try mixed.merge(LossRegistry.standard.reductionState(other)) }
    #expect(refused.kind == .unsupported && refused.argument == "partial")
    #expect(refused.description.contains("different parameters"), "\(refused)")
  }

  @Test func exactSumRoundsHalfwayCasesByTheLowPart() {
    // 1 + 2^-24 is halfway between two floats: the low part decides the rounding.
    #expect(ExactSum(hi: 1 + 0x1p-24, lo: 1e-30).roundedFloat == 1 + 0x1p-23)
    #expect(ExactSum(hi: 1 + 0x1p-24, lo: -1e-30).roundedFloat == 1)
    var sum = ExactSum()
    for _ in 0..<10 { sum.add(0.1) }
    #expect(sum.rounded == 1.0)  // a plain double sum gives 0.9999999999999999
  }

  /// Losses whose samples are not independent are refused by name, not reduced wrongly.
  @Test func batchCoupledLossesAreRefused() throws {
    for name in ["keras/Circle", "optax/ntxent"] {
      let definition = try #require(LossRegistry.standard.definitions.first { $0.qualifiedName == name })
      #expect(definition.couplesSamples)
      #expect {
        try ExactReduction.requireStreamable(definition, [:])
      } throws: { error in
        guard case LossError.unsupported(let argument, let message) = error else { return false }
        return argument == "loss" && message.contains("\(name) compares samples across the whole batch")
      }
    }
    let independent = try LossRegistry.standard.definition(named: "BinaryCrossentropy", framework: .keras)
    #expect(!independent.couplesSamples)
    try ExactReduction.requireStreamable(independent, [:])
  }
}
