import Foundation
import Testing

@testable import LossKit

/// NumPy's summation order (``PairwiseSummation``) against sums NumPy 2.4.6 computed,
/// bit for bit: `Tests/Fixtures/numpy/sums.json`, written by
/// `Tools/fixtures/make_numpy_sums.py` (the inputs are a formula both sides evaluate
/// exactly).
@Suite("NumPy's pairwise summation")
struct PairwiseSummationTests {
  struct Fixture: Decodable {
    struct Case: Decodable {
      var dtype: String
      var shape: [Int]
      var axis: Int?
      var op: String
      var result: [Double]
    }
    var numpy: String
    var cases: [Case]
  }

  static func fixture() throws -> Fixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/numpy/sums.json")
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  /// Element `i` of the fixture's inputs: `((i·7919) mod 1009 − 504) / 7 · 2^(i mod 13 − 6)`.
  static func values<S: LossScalar>(_ count: Int, as _: S.Type) -> [S] {
    (0..<count).map { i in
      let base = Double((i * 7919) % 1009 - 504) / 7
      return S(base * Double(sign: .plus, exponent: i % 13 - 6, significand: 1))
    }
  }

  func reduce<S: LossScalar>(_ c: Fixture.Case, as _: S.Type, _ environment: KernelEnvironment) -> [Double] {
    let x = Tensor<S>(shape: c.shape, scalars: Self.values(c.shape.reduce(1, *), as: S.self))
    let op: ReduceOp = c.op == "mean" ? .mean : .sum
    return Kernels.reduce(op, x, axes: c.axis.map { [$0] }, keepDims: false, environment).scalars.map(Double.init)
  }

  @Test func sumsAreBitIdenticalToNumPy() throws {
    let fixture = try Self.fixture()
    #expect(fixture.numpy == "2.4.6")
    #expect(fixture.cases.count >= 200)
    let numpy = KernelEnvironment(.numpy)
    var sequential = KernelEnvironment(.numpy)
    sequential.summation = .sequential
    var differentInOrder = 0
    for c in fixture.cases {
      let got = c.dtype == "float32" ? reduce(c, as: Float.self, numpy) : reduce(c, as: Double.self, numpy)
      #expect(got == c.result, "\(c.op) \(c.dtype) \(c.shape) axis \(String(describing: c.axis))")
      let naive = c.dtype == "float32" ? reduce(c, as: Float.self, sequential) : reduce(c, as: Double.self, sequential)
      if naive != c.result { differentInOrder += 1 }
    }
    // The inputs are order-sensitive: adding left to right misses most of NumPy's sums.
    #expect(differentInOrder >= 60)
  }

  @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 1000, 8193])
  func everyElementIsAddedOnce(count: Int) {
    let values = (0..<count).map { Float($0 % 5) }
    let total = values.withUnsafeBufferPointer { PairwiseSummation.reduce($0, start: 0, count: count) }
    #expect(total == Float(values.reduce(0, +)))
  }

  @Test func aNegativeZeroSumIsPositiveZero() {
    // np.sum(np.array([-0.0], np.float32)) is 0.0: the reduction starts from +0.
    let total = [Float(-0.0)].withUnsafeBufferPointer { PairwiseSummation.reduce($0, start: 0, count: 1) }
    #expect(total == 0 && total.sign == .plus)
  }
}
