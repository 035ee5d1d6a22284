import LossKit
import LossKitTestSupport
import Testing

/// The fused torch pointwise losses against the traced engine (whose cascade sum matches
/// `torch.sum` bit for bit), to the bit, signed zeros included.
@Suite("Fused torch pointwise kernels against the traced engine")
struct FusedTorchTests {
  static func regressionInputs(_ shape: [Int], seed: UInt64) -> LossInputs<Float> {
    var rng = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    let y = (0..<count).map { _ in Float.random(in: -3...3, using: &rng) }
    let x = (0..<count).map { i -> Float in
      switch i % 19 {
      case 0: y[i]  // zero error: sgn(0)
      case 1: y[i] + 1  // exactly δ = β = 1 (as far as float allows)
      case 2: y[i] - 0.5
      case 3: .nan
      default: y[i] + Float.random(in: -4...4, using: &rng)
      }
    }
    return LossInputs(yTrue: Tensor(shape: shape, scalars: y), yPred: Tensor(shape: shape, scalars: x))
  }

  static func binaryInputs(_ shape: [Int], seed: UInt64, logits: Bool) -> LossInputs<Float> {
    var rng = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    let y = (0..<count).map { i -> Float in i % 4 == 0 ? Float.random(in: 0...1, using: &rng) : Float(i % 2) }
    let specials: [Float] = logits ? [0, -90, 90, -17, 17] : [0, 1, 1e-30, 0.5, 1 - 1e-7]
    let x = (0..<count).map { i -> Float in
      i % 13 == 0 ? specials[(i / 13) % specials.count] : (logits ? Float.random(in: -20...20, using: &rng) : Float.random(in: 0...1, using: &rng))
    }
    return LossInputs(yTrue: Tensor(shape: shape, scalars: y), yPred: Tensor(shape: shape, scalars: x))
  }


  // Sizes around the cascade's boundaries: fewer than 8, one vector, a group of four,
  // one 16-step block (512), level-2 and level-3 carries (2^17 and 2^21 elements).
  static let shapes: [[Int]] = [[], [1], [7], [8], [33], [511], [512], [4109], [3, 7, 5], [70_001], [131_073]]

  @Test(arguments: shapes)
  func bitIdenticalToTheTrace(shape: [Int]) throws {
    let seed = UInt64(shape.reduce(1, *))
    let regression = Self.regressionInputs(shape, seed: seed)
    for reduction in Torch.Reduction.allCases {
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.MSELoss(reduction: reduction), regression, "MSELoss \(shape) \(reduction)")
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.L1Loss(reduction: reduction), regression, "L1Loss \(shape) \(reduction)")
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.HuberLoss(reduction: reduction, delta: 1), regression, "HuberLoss \(shape) \(reduction)")
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.HuberLoss(reduction: reduction, delta: 0.3), regression, "HuberLoss δ 0.3 \(shape) \(reduction)")
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.SmoothL1Loss(reduction: reduction, beta: 1), regression, "SmoothL1Loss \(shape) \(reduction)")
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.SmoothL1Loss(reduction: reduction, beta: 2.5), regression, "SmoothL1Loss β 2.5 \(shape) \(reduction)")
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.BCELoss(reduction: reduction), Self.binaryInputs(shape, seed: seed, logits: false), "BCELoss \(shape) \(reduction)")
      try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.BCEWithLogitsLoss(reduction: reduction), Self.binaryInputs(shape, seed: seed, logits: true), "BCEWithLogitsLoss \(shape) \(reduction)")
    }
  }

  @Test func aLevelThreeCarryMatches() throws {
    // 2^21 + 37 elements: 4096 sixteen-step blocks reach the cascade's top level.
    let input = Self.regressionInputs([(1 << 21) + 37], seed: 21)
    try FusedKernelTests.expectBitIdenticalToTheTrace(Torch.MSELoss(), input, "MSELoss 2^21 + 37")
  }

  @Test func outOfRangeProbabilitiesAndWeightsRunTraced() throws {
    let bad = LossInputs(yTrue: Tensor<Float>([1, 0]), yPred: Tensor<Float>([0.5, 1.5]))
    #expect(try Torch.BCELoss().fused(bad, gradient: true) == nil)
    #expect(throws: LossError.invalidValue(argument: "input", expected: "all elements between 0 and 1", got: "1.5")) {
      try Torch.BCELoss().evaluate(bad)
    }
    let good = LossInputs(yTrue: Tensor<Float>([1, 0]), yPred: Tensor<Float>([0.5, 0.25]))
    #expect(try Torch.BCELoss(weight: Tensor([1, 2])).fused(good, gradient: true) == nil)
    #expect(try Torch.BCEWithLogitsLoss(posWeight: Tensor([2])).fused(good, gradient: true) == nil)
    #expect(try Torch.SmoothL1Loss(beta: 0).fused(good, gradient: true) == nil)
  }

  /// The kernel checks the range as it computes (no pass of its own): one bad value
  /// anywhere — in the vector loop, in a later piece, in the scalar tail, in either
  /// argument — must send every reduction, and the exact sum, to the traced path.
  @Test(arguments: [Float(1.5), -Float.leastNonzeroMagnitude, .nan, -.infinity])
  func oneOutOfRangeValueAnywhereRunsTraced(bad: Float) throws {
    let count = 100_003
    let clean = Self.binaryInputs([count], seed: 8, logits: false)
    for reduction in [Torch.Reduction.none, .mean, .sum] {
      let loss = Torch.BCELoss(reduction: reduction)
      #expect(try loss.fused(clean, gradient: true) != nil, "\(reduction): in-range input")
      for position in [0, 17, 40_000, 98_304, count - 1] {
        for argument in ["input", "target"] {
          var x = clean.yPred.scalars, y = clean.yTrue.scalars
          if argument == "input" { x[position] = bad } else { y[position] = bad }
          let inputs = LossInputs(yTrue: Tensor(shape: [count], scalars: y), yPred: Tensor(shape: [count], scalars: x))
          #expect(try loss.fused(inputs, gradient: false) == nil, "\(reduction) \(argument)[\(position)] = \(bad)")
          var buffer = [Float](repeating: 0, count: count)
          let viaBuffer = try buffer.withUnsafeMutableBufferPointer { try loss.fused(inputs, gradientInto: $0) }
          #expect(viaBuffer == nil, "\(reduction) \(argument)[\(position)] = \(bad), gradient buffer")
          #expect(loss.exactElementSum(inputs) == nil, "\(reduction) \(argument)[\(position)] = \(bad), exact sum")
          let error = #expect(throws: LossError.self) { try loss.evaluate(inputs) }
          #expect(error?.kind == .invalidValue && error?.argument == argument, "\(String(describing: error))")
        }
      }
    }
  }

  @Test func theResultDoesNotDependOnTheThreadCount() throws {
    let input = Self.binaryInputs([300_001], seed: 5, logits: true)
    let saved = FusedExecution.threads
    defer { FusedExecution.threads = saved }
    var results: [LossEvaluation<Float>] = []
    for threads in [1, 2, 7] {
      FusedExecution.threads = threads
      results.append(try #require(try Torch.BCEWithLogitsLoss().fused(input, gradient: true)))
    }
    #expect(FusedKernelTests.differences(results[0].loss, results[1].loss) == 0)
    #expect(FusedKernelTests.differences(results[0].loss, results[2].loss) == 0)
    #expect(FusedKernelTests.differences(results[0].gradient, results[2].gradient) == 0)
  }
}

@Suite("Fused torch cross-entropy against the traced engine")
struct FusedTorchCrossEntropyTests {
  @Test(arguments: [(1, 1), (3, 7), (5, 16), (9, 17), (64, 1000), (2, 9000), (300, 5)])
  func bitIdenticalToTheTrace(rows: Int, classes: Int) throws {
    var rng = SplitMix64(seed: UInt64(rows * 131 + classes))
    var logits = (0..<(rows * classes)).map { _ in Float.random(in: -30...30, using: &rng) }
    if rows * classes > 4 { logits[4] = -.infinity }
    if rows > 2 { logits[2 * classes] = .nan }
    // A row whose maximum is a zero of either sign, the rest far below (log_sum is 0).
    if rows > 3 {
      for j in 0..<classes { logits[3 * classes + j] = j == 0 ? -0.0 : (j == classes - 1 ? 0 : -200) }
      if classes > 2 { logits[3 * classes + 1] = -0.0 }
    }
    // Every fifth row ignored (the default ignore_index, and a custom one).
    let labels = (0..<rows).map { r in r % 5 == 4 ? Float(-100) : Float(Int.random(in: 0..<classes, using: &rng)) }
    let input = LossInputs(yTrue: Tensor(labels), yPred: Tensor(shape: [rows, classes], scalars: logits))
    for reduction in Torch.Reduction.allCases {
      let loss = Torch.CrossEntropyLoss(reduction: reduction)
      try FusedKernelTests.expectBitIdenticalToTheTrace(loss, input, "\(rows)×\(classes) \(reduction)")
    }
  }

  @Test func weightsSmoothingAndBadLabelsRunTraced() throws {
    let input = LossInputs(yTrue: Tensor<Float>([0, 2]), yPred: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
    #expect(try Torch.CrossEntropyLoss(weight: Tensor([1, 2, 3])).fused(input, gradient: true) == nil)
    #expect(try Torch.CrossEntropyLoss(labelSmoothing: 0.1).fused(input, gradient: true) == nil)
    let outOfRange = LossInputs(yTrue: Tensor<Float>([0, 3]), yPred: input.yPred)
    #expect(try Torch.CrossEntropyLoss().fused(outOfRange, gradient: true) == nil)
    #expect(throws: LossError.labelOutOfRange(argument: "target", label: 3, classes: 3)) {
      try Torch.CrossEntropyLoss().evaluate(outOfRange)
    }
  }
}
