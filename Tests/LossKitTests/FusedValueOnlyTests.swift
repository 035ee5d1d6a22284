import CLossKitKernels
import Foundation
import LossKit
import LossKitTestSupport
import Testing

/// The value-only kernels (no gradient asked for) take shortcuts the gradient kernels do
/// not: where every input of a block is in a known range, `exp` and `log1p` run without
/// the range checks that cannot bind, on wide vectors, and sparse softmax rows sum
/// their exponentials as they are computed. These tests hold them to the trace, bit for
/// bit, on inputs that straddle every range boundary.
// Serialized: the tests switch the process-wide kernel variant (other suites are
// unaffected, since every variant gives the same bits).
@Suite("Value-only fused kernels against the traced engine", .serialized)
struct FusedValueOnlyTests {
  /// Every CPU variant this machine runs: the widest, AVX2 (32-lane wide vectors) and
  /// portable code.
  static let variants: [(name: String, features: Int32)] = {
    let all = lk_cpu_features()
    var list: [(String, Int32)] = [("portable", 0)]
    if all & Int32(LK_CPU_AVX2) != 0 { list.append(("avx2", Int32(LK_CPU_AVX2))) }
    if all & Int32(LK_CPU_AVX512) != 0 { list.append(("avx512", all)) }
    return list
  }()

  static func onEachVariant(_ body: (String) throws -> Void) rethrows {
    let saved = lk_cpu_features()
    defer { lk_set_cpu_features(saved) }
    for variant in variants {
      lk_set_cpu_features(variant.features)
      try body(variant.name)
    }
  }

  /// Each loss's value-only fused result against its traced loss (computed once), on
  /// every variant.
  static func expectValueOnlyMatchesTheTrace(
    _ losses: [(label: String, loss: any LossFunction)], _ input: LossInputs<Float>,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let traced = try losses.map { try $0.loss.evaluate(input, path: .traced).loss }
    try onEachVariant { variant in
      for (entry, expected) in zip(losses, traced) {
        let fused = try #require(try entry.loss.fused(input, gradient: false), "\(entry.label)", sourceLocation: sourceLocation)
        #expect(
          FusedKernelTests.differences(fused.loss, expected) == 0, "\(variant) \(entry.label)", sourceLocation: sourceLocation)
      }
    }
  }

  /// The range-limited functions against the general ones on every 61st float32 of their
  /// ranges (`LOSSKIT_RANGE_STRIDE=1` checks all 2.1 billion).
  @Test func rangeLimitedFunctionsAreTheGeneralOnesBitForBit() {
    let stride = UInt32(ProcessInfo.processInfo.environment["LOSSKIT_RANGE_STRIDE"].flatMap { UInt32($0) } ?? 61)
    Self.onEachVariant { name in
      #expect(lk_check_range_limited_functions(stride) == 0, "\(name)")
    }
  }

  /// BCELoss's vector `logf` and `log1pf` (glibc_math.h) against the C library this
  /// process runs, which the trace calls: every 97th float x in [0, 1] (about 11 million,
  /// 1.0 and −0 included; `LOSSKIT_GLIBC_STRIDE=1` checks all of them), logf(x) and
  /// log1pf(−x), on each variant. They reproduce x86-64 glibc (2.27 or later); on other
  /// platforms the kernels keep the scalar calls, and the test checks only that the
  /// guard's verdict is the check's.
  @Test func glibcVectorLogsAreTheCLibrarysBitForBit() {
    let stride = UInt32(ProcessInfo.processInfo.environment["LOSSKIT_GLIBC_STRIDE"].flatMap { UInt32($0) } ?? 97)
    Self.onEachVariant { name in
      let mismatches = lk_check_glibc_logs(stride)
      #if os(Linux) && arch(x86_64)
        #expect(mismatches == 0, "\(name)")
        #expect(lk_glibc_logs_agree() == 1, "\(name)")
      #else
        #expect(lk_glibc_logs_agree() == (lk_check_glibc_logs(1021) == 0 ? 1 : 0), "\(name): \(mismatches)")
      #endif
    }
  }

  /// The short softmax rows' vector `expf` (glibc_math.h) against the C library this
  /// process runs, which the trace calls for a row's last classes − classes mod 8 values:
  /// every 97th float x in [−87, 0] (about 11 million, −0 and −87 included;
  /// `LOSSKIT_GLIBC_STRIDE=1` checks all of them), on each variant. Elsewhere than x86-64
  /// glibc the kernels keep the scalar calls, and the test checks the guard's verdict.
  @Test func glibcVectorExpIsTheCLibrarysBitForBit() {
    let stride = UInt32(ProcessInfo.processInfo.environment["LOSSKIT_GLIBC_STRIDE"].flatMap { UInt32($0) } ?? 97)
    Self.onEachVariant { name in
      let mismatches = lk_check_glibc_expf(stride)
      #if os(Linux) && arch(x86_64)
        #expect(mismatches == 0, "\(name)")
        #expect(lk_glibc_expf_agrees() == 1, "\(name)")
      #else
        #expect(lk_glibc_expf_agrees() == (lk_check_glibc_expf(1021) == 0 ? 1 : 0), "\(name): \(mismatches)")
      #endif
    }
  }

  /// BCELoss (its vector logs) against the trace on each variant, loss and gradient, on
  /// probabilities at the C functions' branch points: −0, 0, 1, subnormals, |x| near 2^-29
  /// and 2^-54 (log1pf's tiny cases), 0.2929 (its k = 0 range), 1 − 2^-24, and values
  /// whose 1 − x is a power of two (its f = 0 case).
  @Test func bceLossOnEachVariantIsTheTrace() throws {
    let specials: [Float] = [
      -0.0, 0, 1, 1e-40, .leastNonzeroMagnitude, 0x1p-29, 0x1.fffffep-30, 0x1p-54, 0x1.fffffep-55, 0.29289, 0.2929,
      0x1.2bec3p-2, 0x1.2bec4p-2, 1 - 0x1p-24, 0.5, 0.75, 0.875, 1 - 0x1p-20, 1e-30, 0.41421,
    ]
    var rng = SplitMix64(seed: 2929)
    let count = 4109
    let x = (0..<count).map { i in i % 3 == 0 ? specials[(i / 3) % specials.count] : Float.random(in: 0...1, using: &rng) }
    let y = (0..<count).map { i -> Float in i % 5 == 0 ? Float.random(in: 0...1, using: &rng) : Float(i % 2) }
    let input = LossInputs(yTrue: Tensor(shape: [count], scalars: y), yPred: Tensor(shape: [count], scalars: x))
    try Self.onEachVariant { name in
      for reduction in Torch.Reduction.allCases {
        try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.BCELoss(reduction: reduction), input, "\(name) BCELoss \(reduction)")
      }
    }
  }

  /// The 16-lane SLEEF functions (AVX-512's getexp/getmant/fixupimm sequences) against
  /// the one-lane port the trace calls, on every 251st float32 bit pattern (NaNs, ±∞,
  /// subnormals included; `LOSSKIT_SLEEF_STRIDE=1` checks all 2^32). Only the AVX-512
  /// variant has code of its own (the others run the one-lane port lane by lane), so
  /// the test is skipped, not passed, on a CPU without it.
  @Test(.enabled(if: lk_cpu_features() & Int32(LK_CPU_AVX512) != 0, "the 16-lane forms differ only on AVX-512"))
  func sleefVectorFunctionsAreTheScalarOnesBitForBit() {
    let stride = UInt32(ProcessInfo.processInfo.environment["LOSSKIT_SLEEF_STRIDE"].flatMap { UInt32($0) } ?? 251)
    let saved = lk_cpu_features()
    defer { lk_set_cpu_features(saved) }
    lk_set_cpu_features(Self.variants.last!.features)
    #expect(lk_check_sleef_functions(stride) == 0)
  }

  /// Logits around each boundary of the fast blocks: |x| = 87 (exp's fast branch), where
  /// 1 + e(−|x|) crosses √2 (log's mantissa split) and 1 (log1p's `xp1 == 1`), zeros of
  /// both signs, subnormals, NaN and infinities.
  static let boundaries: [Float] = {
    var values: [Float] = [0, -0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .nan, .infinity, -.infinity]
    for center: Float in [87, 0.8813736, 16.635532, 17.328680, 103.97, 1e-6] {
      var up = center, down = center
      for _ in 0..<3 {
        values += [up, -up, down, -down]
        up = up.nextUp
        down = down.nextDown
      }
    }
    return values
  }()

  /// `count` logits: 64-element blocks that are all in range (so the wide path runs),
  /// and blocks with one boundary value each (so it falls back) in between.
  static func logits(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    var values = (0..<count).map { _ in Float.random(in: -20...20, using: &rng) }
    var block = 1
    while block * 64 < count {
      let b = boundaries[(block / 2) % boundaries.count]
      values[block * 64 + Int.random(in: 0..<64, using: &rng) % (count - block * 64)] = b
      block += 2
    }
    // And a run of in-range boundary values (|x| ≤ 87) packed together.
    for (i, b) in boundaries.filter({ abs($0) <= 87 }).enumerated() where i < count { values[count - 1 - i] = b }
    return values
  }

  /// tf.nn.sigmoid_cross_entropy_with_logits, and Keras's BinaryCrossentropy from logits
  /// with each reduction, with and without label smoothing.
  static func fromLogitsLosses(_ shape: [Int]) -> [(label: String, loss: any LossFunction)] {
    var losses: [(label: String, loss: any LossFunction)] = [("tf \(shape)", TF.SigmoidCrossEntropyWithLogits())]
    for reduction in Keras.Reduction.allCases {
      for smoothing in [0.0, 0.2] {
        losses.append(
          ("keras \(shape) \(reduction) \(smoothing)",
           Keras.BinaryCrossentropy(fromLogits: true, labelSmoothing: smoothing, reduction: reduction)))
      }
    }
    return losses
  }

  /// Labels (every third soft) and `logits(_:seed:)` of `shape`, for the from-logits losses.
  static func fromLogitsInput(_ shape: [Int]) -> LossInputs<Float> {
    let count = shape.reduce(1, *)
    var rng = SplitMix64(seed: 5)
    let labels = (0..<count).map { i in i % 3 == 0 ? Float.random(in: 0...1, using: &rng) : Float(i % 2) }
    return LossInputs(yTrue: Tensor(shape: shape, scalars: labels), yPred: Tensor(shape: shape, scalars: Self.logits(count, seed: 11)))
  }

  @Test(arguments: [[1], [63], [64], [65], [4093], [70_001], [3, 700]])
  func sigmoidAndKerasFromLogits(shape: [Int]) throws {
    try Self.expectValueOnlyMatchesTheTrace(Self.fromLogitsLosses(shape), Self.fromLogitsInput(shape))
  }

  /// The in-range blocks (every |x| ≤ 87, no NaN), which the test above seldom reaches:
  /// its specials put an out-of-range value in most 64-value blocks. Here only every
  /// 700th block has one. Logits include ±0, ±87 and the floats next to them; labels
  /// include negative ones and ones above 1 (z·x then takes either sign at x = ±0).
  @Test(arguments: [[4093], [70_001], [3, 700]])
  func sigmoidAndKerasFromLogitsInRange(shape: [Int]) throws {
    let count = shape.reduce(1, *)
    var rng = SplitMix64(seed: 6)
    let specials: [Float] = [0, -0.0, 87, -87, Float(87).nextDown, Float(-87).nextUp, 1e-30, -1e-30]
    let logits = (0..<count).map { i -> Float in
      if i % 44_800 == 44_799 { return 90 }  // one out-of-range value in every 700th 64-value block
      return i % 7 == 0 ? specials[(i / 7) % specials.count] : Float.random(in: -20...20, using: &rng)
    }
    let labels = (0..<count).map { i in i % 5 == 0 ? Float.random(in: -1...2, using: &rng) : Float(i % 2) }
    let input = LossInputs(yTrue: Tensor(shape: shape, scalars: labels), yPred: Tensor(shape: shape, scalars: logits))
    try Self.expectValueOnlyMatchesTheTrace(Self.fromLogitsLosses(shape), input)
  }

  /// Softmax logits: rows on the fast path (a spread under 87) and rows off it (a spread
  /// over 87, NaN, ±∞). The tests take row lengths around the 16-, 32- and 64-value
  /// blocks and the 8,192-value leaf.
  static func softmaxLogits(rows: Int, classes: Int, using rng: inout SplitMix64) -> [Float] {
    var logits = [Float]()
    for r in 0..<rows {
      let spread: Float = r % 4 == 3 ? 60 : (r % 4 == 2 ? 43.4 : 30)  // ±60: some differences below −87
      var row = (0..<classes).map { _ in Float.random(in: -spread...spread, using: &rng) }
      switch r % 8 {
      case 1: row[Int.random(in: 0..<classes, using: &rng)] = .nan
      case 5: row[Int.random(in: 0..<classes, using: &rng)] = -.infinity
      case 6: row[Int.random(in: 0..<classes, using: &rng)] = .infinity
      case 7 where classes > 1: row[0] = 50; row[classes - 1] = -37.0001  // min − m just under −87
      default: break
      }
      logits += row
    }
    return logits
  }

  @Test(arguments: [1, 7, 16, 33, 64, 65, 1000, 9000])
  func softmaxCrossEntropy(classes: Int) throws {
    let rows = classes > 5000 ? 9 : 24
    var rng = SplitMix64(seed: UInt64(classes) + 100)
    let logits = Self.softmaxLogits(rows: rows, classes: classes, using: &rng)
    let labels = (0..<(rows * classes)).map { _ in Float.random(in: 0...1, using: &rng) }
    let input = LossInputs(yTrue: Tensor(shape: [rows, classes], scalars: labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    try Self.expectValueOnlyMatchesTheTrace(
      [("tf \(classes)", TF.SoftmaxCrossEntropyWithLogits()), ("keras \(classes)", Keras.CategoricalCrossentropy(fromLogits: true))],
      input)
  }

  @Test(arguments: [1, 7, 8, 16, 31, 32, 63, 64, 65, 127, 1000, 1001, 9000, 20_000])
  func sparseSoftmaxCrossEntropy(classes: Int) throws {
    let rows = classes > 5000 ? 9 : 24
    var rng = SplitMix64(seed: UInt64(classes))
    let logits = Self.softmaxLogits(rows: rows, classes: classes, using: &rng)
    let labels = (0..<rows).map { _ in Float(Int.random(in: 0..<classes, using: &rng)) }
    let input = LossInputs(yTrue: Tensor(labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    try Self.expectValueOnlyMatchesTheTrace(
      [("tf \(classes)", TF.SparseSoftmaxCrossEntropyWithLogits()),
       ("keras \(classes)", Keras.SparseCategoricalCrossentropy(fromLogits: true))],
      input)
  }

  /// Rows shorter than 32 classes take their own path (one or two masked vectors, then
  /// Eigen's order). Random rows hide an exponential's last bit under the max's e^0, so
  /// these show it: the label's logit is 0, the maximum, and the other n − 1 are one v in
  /// [−1, −0.5] whose Eigen exponential differs from LossKit's fast one and from the C
  /// library's, so that a row summed from the wrong function moves its loss.
  @Test(arguments: [2, 7, 8, 9, 10, 15, 16, 17, 24, 31])
  func shortRowsOfSparseSoftmaxAreTheTrace(classes: Int) throws {
    var candidates = (0..<8192).map { -0.5 - Float($0) / 16384 }
    var fast = [Float](repeating: 0, count: candidates.count)
    lk_fast_math_f32(0, candidates, &fast, candidates.count)
    candidates = zip(candidates, fast).filter { v, f in
      lk_eigen_expf(v).bitPattern != f.bitPattern && lk_eigen_expf(v).bitPattern != expf(v).bitPattern
    }.map(\.0)
    #expect(candidates.count >= 64)
    let rows = min(candidates.count, 256)
    var logits: [Float] = []
    for r in 0..<rows { logits += [0] + [Float](repeating: candidates[r], count: classes - 1) }
    let input = LossInputs(yTrue: Tensor(shape: [rows], scalars: [Float](repeating: 0, count: rows)), yPred: Tensor(shape: [rows, classes], scalars: logits))
    try Self.expectValueOnlyMatchesTheTrace(
      [("tf \(classes)", TF.SparseSoftmaxCrossEntropyWithLogits()),
       ("keras \(classes)", Keras.SparseCategoricalCrossentropy(fromLogits: true))],
      input)
  }

  /// TensorFlow's executor takes a row's last classes mod 8 exponentials from the C
  /// library, not Eigen; the two differ by an ulp on 10–20% of these inputs, which a
  /// loss hides unless those values carry it. Here they do: the row's max and label are
  /// the tail's first value (0, so the loss is log Σ exp), the tail's others lie in
  /// [−3, 0] and the rest 60 or more below. Rows of 64 + 7, 96 + 7 (a 32-value block
  /// before the tail) and 1,007 classes (32- and 8-value blocks before it).
  @Test(arguments: [71, 103, 1007])
  func sparseSoftmaxCrossEntropyCLibraryTail(classes: Int) throws {
    let rows = 400
    let tailStart = classes - classes % 8
    var rng = SplitMix64(seed: UInt64(classes) + 300)
    var logits = [Float]()
    for _ in 0..<rows {
      logits += (0..<classes).map { j in
        j < tailStart ? Float.random(in: -80 ... -60, using: &rng) : (j == tailStart ? 0 : Float.random(in: -3...0, using: &rng))
      }
    }
    let labels = [Float](repeating: Float(tailStart), count: rows)
    let input = LossInputs(yTrue: Tensor(labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    try Self.expectValueOnlyMatchesTheTrace([("tf \(classes)", TF.SparseSoftmaxCrossEntropyWithLogits())], input)
  }

  /// optax's softmax_cross_entropy_with_integer_labels (XLA's exp and log, YNNPACK's row
  /// sums): rows around YNNPACK's 16-lane, 64-value block, 256-value group and
  /// 1,024-value Kahan step, one 32,768-value tile and rows of two (summed tile by tile,
  /// then the tiles' sums); rows on and off the fast path
  /// (NaN, ±∞, differences below −87.8, a subnormal maximum); negative labels. Values
  /// alone and with the gradient, on every variant.
  @Test(arguments: [1, 5, 16, 63, 64, 65, 255, 256, 257, 1000, 1023, 1025, 4096, 20_000, 32_768, 32_769, 50_000, 65_537])
  func optaxSoftmaxCrossEntropyWithIntegerLabels(classes: Int) throws {
    let rows = max(9, 4096 / classes + 1)
    var rng = SplitMix64(seed: UInt64(classes) + 700)
    var logits = Self.softmaxLogits(rows: rows, classes: classes, using: &rng)
    // A row whose maximum is subnormal, and one with subnormals below a tiny maximum.
    for j in 0..<classes { logits[j] = j == 0 ? Float.leastNonzeroMagnitude * 3 : -Float(j) }
    if rows > 2 { for j in 0..<classes { logits[2 * classes + j] = j % 2 == 0 ? Float.leastNormalMagnitude * 2 : -Float.leastNonzeroMagnitude } }
    let labels = (0..<rows).map { r in Float(Int.random(in: 0..<classes, using: &rng) - (r % 3 == 0 ? classes : 0)) }
    let input = LossInputs(yTrue: Tensor(labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    let loss = Optax.SoftmaxCrossEntropyWithIntegerLabels()
    try Self.expectValueOnlyMatchesTheTrace([("optax \(classes)", loss)], input)
    try Self.onEachVariant { variant in
      _ = try FusedKernelTests.expectBitIdenticalToTheTrace(loss, input, "optax \(classes) \(variant)")
    }
  }

  /// optax's softmax_cross_entropy (dense labels: one-hot, soft, negative, subnormal and
  /// NaN ones), on the same rows as the integer-label kernel.
  @Test(arguments: [1, 5, 16, 63, 64, 65, 255, 257, 1000, 1025, 4096, 20_000, 32_768, 50_000, 65_537])
  func optaxSoftmaxCrossEntropy(classes: Int) throws {
    let rows = max(9, 4096 / classes + 1)
    var rng = SplitMix64(seed: UInt64(classes) + 900)
    var logits = Self.softmaxLogits(rows: rows, classes: classes, using: &rng)
    for j in 0..<classes { logits[j] = j == 0 ? Float.leastNonzeroMagnitude * 3 : -Float(j) }
    var labels = [Float](repeating: 0, count: rows * classes)
    for r in 0..<rows {
      switch r % 4 {
      case 0: labels[r * classes + Int.random(in: 0..<classes, using: &rng)] = 1
      case 1: for j in 0..<classes { labels[r * classes + j] = Float.random(in: 0...1, using: &rng) }
      case 2: for j in 0..<classes { labels[r * classes + j] = Float.random(in: -1...1, using: &rng) }
      default:
        for j in 0..<classes { labels[r * classes + j] = j % 3 == 0 ? Float.leastNonzeroMagnitude : (j % 3 == 1 ? -0.0 : 0.25) }
      }
    }
    if rows > 5 { labels[5 * classes] = .nan }
    let input = LossInputs(yTrue: Tensor(shape: [rows, classes], scalars: labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    let loss = Optax.SoftmaxCrossEntropy()
    try Self.expectValueOnlyMatchesTheTrace([("optax dense \(classes)", loss)], input)
    try Self.onEachVariant { variant in
      _ = try FusedKernelTests.expectBitIdenticalToTheTrace(loss, input, "optax dense \(classes) \(variant)")
    }
    // Labels that broadcast, and small inputs, run traced.
    let small = LossInputs(yTrue: Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 0]), yPred: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
    #expect(try loss.fused(small, gradient: false) == nil)
  }

  /// What the optax kernel leaves to the trace: fewer than 4,096 logits (XLA's own tree
  /// sums), rows of more than 64 YNNPACK tiles of 32,768 classes, a `where` mask, a label
  /// out of range (it gathers NaN).
  @Test func optaxSoftmaxCrossEntropyDeclines() throws {
    let loss = Optax.SoftmaxCrossEntropyWithIntegerLabels()
    func input(rows: Int, classes: Int, label: Float = 1) -> LossInputs<Float> {
      LossInputs(
        yTrue: Tensor(shape: [rows], scalars: [Float](repeating: label, count: rows)),
        yPred: Tensor(shape: [rows, classes], scalars: (0..<(rows * classes)).map { Float($0 % 7) }))
    }
    #expect(try loss.fused(input(rows: 4, classes: 1000), gradient: false) == nil)
    #expect(try loss.fused(input(rows: 5, classes: 1000), gradient: false) != nil)
    #expect(try loss.fused(input(rows: 1, classes: 40_000), gradient: false) != nil)
    #expect(try loss.fused(input(rows: 1, classes: 64 * 32_768 + 1), gradient: false) == nil)
    #expect(try loss.fused(input(rows: 5, classes: 1000, label: 1000), gradient: false) == nil)
    #expect(try loss.fused(input(rows: 5, classes: 1000, label: -1001), gradient: false) == nil)
    #expect(try loss.fused(input(rows: 5, classes: 1000, label: -1000), gradient: false) != nil)
    var masked = loss
    masked.where = Tensor(shape: [5, 1000], scalars: [Double](repeating: 1, count: 5000))
    #expect(try masked.fused(input(rows: 5, classes: 1000), gradient: false) == nil)
  }

  /// optax's sigmoid binary cross-entropy (XLA's functions): logits over ±120 with
  /// exact zeros, ±0, subnormals (flushed), the values where XLA's `exp` clamps and
  /// `log1p` changes branch, ±inf and NaN; hard and soft labels, subnormal labels; and
  /// 200,003 elements so that the parallel pieces and a ragged tail are covered. Values
  /// alone and with the gradient.
  @Test func optaxSigmoidBinaryCrossEntropy() throws {
    var rng = SplitMix64(seed: 0x0BCE)
    let edges: [Float] = [
      0, -0, Float.leastNonzeroMagnitude, -Float.leastNormalMagnitude.nextDown, 1e-30, -87.34, -87.8, 88.72, 88.8, 103.9,
      0.41421357, -0.41421357, 16.6, -16.6, 17, .infinity, -.infinity, .nan,
    ]
    for count in [1, 7, 100, 200_003] {
      var logits = [Float](repeating: 0, count: count)
      for i in 0..<count {
        logits[i] = i % 5 == 0 ? edges[(i / 5) % edges.count] : Float(Double.random(in: -120...120, using: &rng))
      }
      var labels = [Float](repeating: 0, count: count)
      for i in 0..<count {
        if i % 7 == 0 {
          labels[i] = Float.leastNonzeroMagnitude
        } else if i % 3 == 0 {
          labels[i] = Float(Double.random(in: 0...1, using: &rng))
        } else {
          labels[i] = Float(i % 2)
        }
      }
      let input = LossInputs(yTrue: Tensor(shape: [count], scalars: labels), yPred: Tensor(shape: [count], scalars: logits))
      try Self.expectValueOnlyMatchesTheTrace([("optax \(count)", Optax.SigmoidBinaryCrossEntropy())], input)
      // With the gradient (JAX's logaddexp JVP), loss and gradient, on every variant.
      try Self.onEachVariant { variant in
        try FusedKernelTests.expectBitIdenticalToTheTrace(Optax.SigmoidBinaryCrossEntropy(), input, "optax \(count) \(variant)")
      }
    }
    // Labels that broadcast run traced.
    let broadcast = LossInputs(yTrue: Tensor<Float>(shape: [1], scalars: [1]), yPred: Tensor<Float>([0.5, -2]))
    #expect(try Optax.SigmoidBinaryCrossEntropy().fused(broadcast, gradient: false) == nil)
  }
  /// optax's squared_error, l2_loss and huber_loss (δ = 1 and 0.7): errors of exactly
  /// ±0, ±δ (minimum's tie), subnormal inputs and results (flushed), values whose double
  /// overflows, ±inf and NaN, and 100,003 random pairs; values alone and with the
  /// gradient, on every variant.
  @Test func optaxRegressionLosses() throws {
    var rng = SplitMix64(seed: 0x0E55)
    let edges: [(Float, Float)] = [
      (0, 0), (-0, 0), (1, 0), (0, 1), (1.7, 0.7), (0.7, 1.4), (Float.leastNonzeroMagnitude, 0), (1e-20, 0),
      (3e38, -3e38), (2e38, 0), (.infinity, 0), (0, .infinity), (.nan, 0), (1, .nan), (-1, 0), (0.35, -0.35),
    ]
    for count in [1, 16, 100_003] {
      var predictions = [Float](), targets = [Float]()
      for i in 0..<count {
        let (p, t) = i % 4 == 0 ? edges[(i / 4) % edges.count] : (Float(Double.random(in: -5...5, using: &rng)), Float(Double.random(in: -5...5, using: &rng)))
        predictions.append(p)
        targets.append(t)
      }
      let input = LossInputs(yTrue: Tensor(shape: [count], scalars: targets), yPred: Tensor(shape: [count], scalars: predictions))
      let losses: [(label: String, loss: any LossFunction)] = [
        ("squared_error", Optax.SquaredError()), ("l2_loss", Optax.L2Loss()), ("huber_loss", Optax.HuberLoss()),
        ("huber_loss δ 0.7", Optax.HuberLoss(delta: 0.7)),
      ]
      try Self.expectValueOnlyMatchesTheTrace(losses, input)
      try Self.onEachVariant { variant in
        for (label, loss) in losses {
          try FusedKernelTests.expectBitIdenticalToTheTrace(loss, input, "\(label) \(count) \(variant)")
        }
      }
    }
  }
}
