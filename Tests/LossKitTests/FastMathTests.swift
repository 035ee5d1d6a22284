import CLossKitKernels
import Foundation
import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

/// The fast-math kernels (``EvaluationPath/fastMath``: LossKit's own `exp` and `log1p`)
/// against the traced engine (the framework's functions, Eigen's here): within the
/// conformance suite's float32 loss tolerance (1e-6 relative; 1e-7 absolute below
/// magnitude 1), which the functions' 1- and 2-ulp bounds leave room for; the same bits
/// on every CPU variant; and not the default kernel's bits, so that the fast code is what
/// ran. The inputs are the value-only kernel tests': in-range blocks, blocks with a value
/// out of range (|x| > 87, NaN, ±∞: those blocks take Eigen's functions) and every
/// boundary.
// Serialized: the variant test switches the process-wide kernel variant. Skipped, not
// passed, on a CPU that runs no fast-math kernel.
@Suite(
  "Fast-math kernels against the traced engine", .serialized,
  .enabled(if: FastMath.isSupported, "the fast-math kernels need AVX2 with FMA, AVX-512 or aarch64"))
struct FastMathTests {
  /// Each loss's fast-math value against its traced value; returns how many values
  /// differ from the default path's bits (the fast functions ran where that is > 0).
  @discardableResult
  static func expectWithinTolerance(
    _ losses: [(label: String, loss: any LossFunction)], _ input: LossInputs<Float>,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Int {
    var changed = 0
    for entry in losses {
      let traced = try entry.loss.evaluate(input, path: .traced, gradient: false).loss
      let fast = try #require(try FastMath.value(entry.loss, input), "\(entry.label): no fast-math value", sourceLocation: sourceLocation)
      let viaPath = try entry.loss.evaluate(input, path: .fastMath, gradient: false).loss
      #expect(FusedKernelTests.differences(fast, viaPath) == 0, "\(entry.label): the path is not the kernel", sourceLocation: sourceLocation)
      let problem = CaseRunner.compare(fast.converted(), traced.converted(), Tolerance.loss(.float32), what: entry.label)
      #expect(problem == nil, "\(problem ?? "")", sourceLocation: sourceLocation)
      changed += FusedKernelTests.differences(fast, try entry.loss.evaluate(input, gradient: false).loss)
    }
    return changed
  }

  @Test(arguments: [[1], [63], [64], [65], [4093], [70_001], [3, 700]])
  func sigmoidAndKerasFromLogits(shape: [Int]) throws {
    let input = FusedValueOnlyTests.fromLogitsInput(shape)
    let changed = try Self.expectWithinTolerance(FusedValueOnlyTests.fromLogitsLosses(shape), input)
    if input.yPred.count >= 4093 { #expect(changed > 0, "the fast-math values are the default kernel's bits") }
  }

  @Test(arguments: [1, 7, 16, 33, 64, 65, 1000, 1001, 9000])
  func sparseSoftmaxCrossEntropy(classes: Int) throws {
    let rows = classes > 5000 ? 9 : 24
    var rng = SplitMix64(seed: UInt64(classes) + 200)
    let logits = FusedValueOnlyTests.softmaxLogits(rows: rows, classes: classes, using: &rng)
    let labels = (0..<rows).map { _ in Float(Int.random(in: 0..<classes, using: &rng)) }
    let input = LossInputs(yTrue: Tensor(shape: [rows], scalars: labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    var losses: [(label: String, loss: any LossFunction)] = [("tf \(classes)", TF.SparseSoftmaxCrossEntropyWithLogits())]
    for reduction in Keras.Reduction.allCases {
      losses.append(("keras \(classes) \(reduction)", Keras.SparseCategoricalCrossentropy(fromLogits: true, reduction: reduction)))
    }
    try Self.expectWithinTolerance(losses, input)
  }

  /// Sparse softmax's fast-math losses are mostly TensorFlow's bits (each row's sum is at
  /// least 1, and an exponential one ulp off seldom moves its rounding): rows built to
  /// show the `exp` that ran. Each has its label's logit 0, the maximum, and 63 copies of
  /// one v in [−1, −0.5] whose LossKit and Eigen exponentials differ; 63 such ulps move
  /// the sum by about one of its ulps, and many rows' log Σ by one.
  @Test func sparseSoftmaxRunsLossKitsExp() throws {
    var candidates = (0..<4096).map { -0.5 - Float($0) / 8192 }
    var fast = [Float](repeating: 0, count: candidates.count)
    lk_fast_math_f32(0, candidates, &fast, candidates.count)
    candidates = zip(candidates, fast).filter { lk_eigen_expf($0).bitPattern != $1.bitPattern }.map(\.0)
    #expect(candidates.count > 100)
    let (rows, classes) = (min(candidates.count, 256), 64)
    var logits: [Float] = []
    for r in 0..<rows { logits += [0] + [Float](repeating: candidates[r], count: classes - 1) }
    let labels = [Float](repeating: 0, count: rows)
    let input = LossInputs<Float>(yTrue: Tensor(shape: [rows], scalars: labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    let loss = TF.SparseSoftmaxCrossEntropyWithLogits()
    let changed = try Self.expectWithinTolerance([("tf", loss)], input)
    #expect(changed > 0, "the fast-math values are the default kernel's bits")
  }

  /// AVX2 and AVX-512 (where the CPU has them) give the same bits, and the portable
  /// variant too (through fmaf calls): the operations are exactly rounded.
  @Test func everyVariantGivesTheSameBits() throws {
    let count = 70_001
    var rng = SplitMix64(seed: 9)
    let labels = (0..<count).map { _ in Float(Int.random(in: 0...1, using: &rng)) }
    let bce = LossInputs(
      yTrue: Tensor(shape: [count], scalars: labels), yPred: Tensor(shape: [count], scalars: FusedValueOnlyTests.logits(count, seed: 3)))
    let (rows, classes) = (40, 1000)
    let logits = FusedValueOnlyTests.softmaxLogits(rows: rows, classes: classes, using: &rng)
    let sparse = LossInputs(
      yTrue: Tensor(shape: [rows], scalars: (0..<rows).map { Float($0 * 37 % classes) }),
      yPred: Tensor(shape: [rows, classes], scalars: logits))
    let cases: [(String, any LossFunction, LossInputs<Float>)] = [
      ("keras BCE", Keras.BinaryCrossentropy(fromLogits: true, reduction: .none), bce),
      ("tf sigmoid", TF.SigmoidCrossEntropyWithLogits(), bce),
      ("tf sparse", TF.SparseSoftmaxCrossEntropyWithLogits(), sparse),
    ]
    var results: [String: [Tensor<Float>]] = [:]
    try FusedValueOnlyTests.onEachVariant { variant in
      for (label, loss, input) in cases {
        results[label, default: []].append(try #require(try FastMath.value(loss, input), "\(variant) \(label)"))
      }
    }
    for (label, values) in results {
      #expect(values.count == FusedValueOnlyTests.variants.count)
      for other in values.dropFirst() { #expect(FusedKernelTests.differences(values[0], other) == 0, "\(label)") }
    }
  }

  /// The path leaves every other loss, and any request with a gradient, to the default.
  @Test func otherLossesAndGradientsTakeTheDefaultPath() throws {
    let input = LossInputs(yTrue: Tensor(shape: [4], scalars: [1, 0, 1, 1]), yPred: Tensor(shape: [4], scalars: [0.9, 0.2, 0.6, 0.3]))
    let probabilities = Keras.BinaryCrossentropy()
    #expect(!FastMath.hasVariant(probabilities))
    #expect(try FastMath.value(probabilities, input) == nil)
    let logits = Keras.BinaryCrossentropy(fromLogits: true)
    let withGradient = try logits.evaluate(input, path: .fastMath)
    let standard = try logits.evaluate(input)
    #expect(FusedKernelTests.differences(withGradient.loss, standard.loss) == 0)
    #expect(FusedKernelTests.differences(withGradient.gradient, standard.gradient) == 0)
  }
}
