@testable import LossKit
import Testing

@Suite("Kernels: broadcasting, reductions and layout")
struct KernelTests {
  let tf = KernelEnvironment(.tensorFlow)

  @Test func broadcastingFollowsNumPy() {
    let a = Tensor<Double>(shape: [2, 1], scalars: [10, 20])
    let b = Tensor<Double>([1, 2, 3])
    let sum = Kernels.apply(.add, a, b)
    #expect(sum.shape == [2, 3])
    #expect(sum.scalars == [11, 12, 13, 21, 22, 23])
    #expect(Shape.broadcast([2, 3], [4, 3]) == nil)
    #expect(Shape.broadcast([3, 1, 2], [4, 1]) == [3, 4, 2])
  }

  @Test func unbroadcastSumsTheStretchedAxes() {
    let g = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(Kernels.unbroadcast(g, to: [3], tf).scalars == [5, 7, 9])
    #expect(Kernels.unbroadcast(g, to: [2, 1], tf).scalars == [6, 15])
    #expect(Kernels.unbroadcast(g, to: [], tf).scalars == [21])
  }

  @Test func reductionsOverEveryAxisPattern() {
    // Small integers: every order of addition gives the exact answer.
    let x = Tensor<Float>(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
    #expect(Kernels.reduce(.sum, x, axes: nil, keepDims: false, tf).scalars == [276])
    #expect(Kernels.reduce(.sum, x, axes: [2], keepDims: false, tf).scalars == [6, 22, 38, 54, 70, 86])
    #expect(Kernels.reduce(.sum, x, axes: [0], keepDims: false, tf).scalars == (0..<12).map { Float(2 * $0 + 12) })
    let middle = Kernels.reduce(.sum, x, axes: [1], keepDims: true, tf)
    #expect(middle.shape == [2, 1, 4])
    #expect(middle.scalars == [12, 15, 18, 21, 48, 51, 54, 57])
    let outer = Kernels.reduce(.sum, x, axes: [0, 2], keepDims: false, tf)
    #expect(outer.scalars == [60, 92, 124])
    #expect(Kernels.reduce(.mean, x, axes: [2], keepDims: false, tf).scalars == [1.5, 5.5, 9.5, 13.5, 17.5, 21.5])
    #expect(Kernels.reduce(.max, x, axes: [1], keepDims: false, tf).scalars == [8, 9, 10, 11, 20, 21, 22, 23])
  }

  @Test func emptyReductionsGiveTheIdentity() {
    let empty = Tensor<Double>(shape: [0, 3], scalars: [])
    #expect(Kernels.reduce(.sum, empty, axes: [0], keepDims: false, tf).scalars == [0, 0, 0])
    #expect(Kernels.reduce(.sum, empty, axes: nil, keepDims: false, tf).scalars == [0])
  }

  @Test(arguments: [0, 1, 7, 8, 9, 31, 32, 33, 100, 4096, 4097, 8192, 8193, 20_000])
  func eigenSumIsExactOnIntegers(count: Int) {
    // Every partial sum is an integer below 2^24, so any order is exact; this checks that
    // the packet loop, the tail and the tree split visit every element exactly once.
    let values = (0..<count).map { Float($0 % 7) }
    let expected = Float(values.reduce(0, +))
    let total = values.withUnsafeBufferPointer { EigenSummation.innerSum($0, start: 0, count: count, first: 0, packet: 8) }
    #expect(total == expected)
    let doubles = values.map(Double.init)
    let totalDouble = doubles.withUnsafeBufferPointer { EigenSummation.innerSum($0, start: 0, count: count, first: 0, packet: 4) }
    #expect(totalDouble == Double(expected))
  }

  @Test func eigenSumAddsInPacketOrder() {
    // float32 spacing at 1e8 is 8, so 1e8 absorbs any addend below 4. Sixteen values
    // [1e8, 1, 1, …] fill two 8-lane packets: lanes become [1e8, 2, 2, 2, 2, 2, 2, 2].
    // Eigen's pairwise lane sum then gives (1e8 + 2) + (2 + 2) → 1e8 + 4 → 1e8 (ties to
    // even) on one side and 8 on the other, so the total is 1e8 + 8 — what
    // `tf.reduce_sum` returns for this input in TensorFlow 2.21 (100000008.0). A
    // left-to-right sum loses every 1.
    var values = [Float](repeating: 1, count: 16)
    values[0] = 1e8
    let eigen = values.withUnsafeBufferPointer { EigenSummation.innerSum($0, start: 0, count: 16, first: 0, packet: 8) }
    #expect(values.reduce(Float(0), +) == 1e8)
    #expect(eigen == 1e8 + 8)
  }

  @Test func transposeAndItsInverse() {
    let x = Tensor<Int>(shape: [2, 3, 4], scalars: Array(0..<24))
    let permutation = [2, 0, 1]
    let y = x.transposed(permutation)
    #expect(y.shape == [4, 2, 3])
    #expect(y.scalars[0..<6] == [0, 4, 8, 12, 16, 20])
    #expect(y.transposed(Kernels.inverse(permutation)) == x)
  }

  @Test func softmaxRowsSumToOneAndSurviveLargeLogits() {
    let x = Tensor<Float>(shape: [2, 3], scalars: [1000, 1000, 1000, -1, 0, 1])
    let y = Kernels.softmax(x, tf)
    #expect(y.scalars[0..<3].allSatisfy { Swift.abs($0 - 1.0 / 3) < 1e-6 })
    #expect(Swift.abs(y.scalars[3...].reduce(0, +) - 1) < 1e-6)
  }
}
