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

  /// Elementwise losses with a fused kernel (torch's pointwise losses, `tf.nn`'s sigmoid,
  /// optax's) sum their per-element losses inside the kernel (``ExactlyReducible``)
  /// instead of forming the per-sample tensor. The state must be the one those per-sample
  /// values give — one value per element, the rows of axis 0 — and its value within
  /// 0.5 ulp of the Decimal sum of the float32 losses of `reduction='none'` (or the
  /// unreduced op), divided as the reduction divides.
  @Test(arguments: [
    (Framework.torch, "MSELoss"), (.torch, "L1Loss"), (.torch, "HuberLoss"), (.torch, "SmoothL1Loss"), (.torch, "BCELoss"),
    (.torch, "BCEWithLogitsLoss"), (.tf, "sigmoid_cross_entropy_with_logits"), (.optax, "sigmoid_binary_cross_entropy"),
    (.optax, "squared_error"), (.optax, "l2_loss"), (.optax, "huber_loss"),
  ])
  func elementwiseKernelsSumTheirLossesExactly(framework: Framework, loss: String) throws {
    let probabilities = loss == "BCELoss"
    for (shape, reduction) in [([1], "mean"), ([3], "sum"), ([65_537], "mean"), ([300, 7], "sum"), ([200_003], "mean")] {
      let count = shape.reduce(1, *)
      let (y, p) = Self.inputs(count, seed: UInt64(count) &+ 11)
      // Logits and regression predictions over [−10, 10]; float32 values exactly.
      let x = probabilities ? p : Tensor(p.scalars.map { Double(Float(20 * $0 - 10)) })
      var request = LossRequest(framework: framework, loss: loss, yTrue: y.reshaped(to: shape), yPred: x.reshaped(to: shape))
      if framework == .torch { request.parameters["reduction"] = .string(reduction) }
      let label = "\(framework.rawValue)/\(loss) \(shape) \(framework == .torch ? reduction : "unreduced")"
      let function = try LossRegistry.standard.definition(named: loss, framework: framework).make(request.parameters)
      let reducible = try #require(function as? any ExactlyReducible, "\(label)")
      #expect(try reducible.exactElementSum(request.arrays().converted(to: Float.self)) != nil, "\(label): the kernel ran")

      let state = try LossRegistry.standard.reductionState(request)
      var perElement = request
      if framework == .torch { perElement.parameters["reduction"] = .string("none") }
      let losses = try LossRegistry.standard.evaluate(perElement).loss
      #expect(losses.shape == shape, "\(label)")
      #expect(state.count == count && state.groupSize == 1 && state.rows == shape[0], "\(label): \(state)")
      #expect(state.nonzeroWeights == count && state.weightSum.rounded == Double(count), "\(label)")
      var sum = Decimal(0)
      for value in losses.scalars { sum += Decimal(value) }  // each a float32 value: exact in Decimal
      let exact = framework == .torch && reduction == "sum" ? sum : sum / Decimal(count)
      let error = Self.ulpError(Float(state.value), exact: exact)
      #expect(error <= 0.5, "\(label): \(error) ulp")
    }
  }

  /// Keras's fused losses sum their per-element losses in the kernel, without storing
  /// them (`lk_regression_dd_sum`, `lk_bce_prob_dd_sum`, `lk_sigmoid_xent_dd_sum`): the
  /// state's value must be within 0.5 ulp of the Decimal mean of the float32 losses Keras
  /// computes per element (`reduction='none'` on a `(count, 1)` input), over shapes that
  /// leave a scalar tail (TensorFlow's scalar path for binary cross-entropy), span several
  /// 64 Ki pieces, and have rows longer than one element; BCE on probabilities and
  /// logits, with and without label smoothing.
  @Test(arguments: [
    (Framework.keras, "MeanSquaredError"), (.keras, "MeanAbsoluteError"), (.keras, "Huber"), (.tfKeras, "MeanSquaredError"),
    (.tfKeras, "MeanAbsoluteError"), (.tfKeras, "Huber"), (.keras, "BinaryCrossentropy"),
    (.keras, "BinaryCrossentropy from_logits"), (.tfKeras, "BinaryCrossentropy label_smoothing"),
    (.keras, "BinaryCrossentropy from_logits label_smoothing"),
  ])
  func kerasKernelsSumTheirLossesExactly(framework: Framework, configuration: String) throws {
    let words = configuration.split(separator: " ").map(String.init)
    let loss = words[0]
    var parameters = ParameterList()
    if words.contains("from_logits") { parameters["from_logits"] = .bool(true) }
    if words.contains("label_smoothing") { parameters["label_smoothing"] = .float(0.2) }
    for shape in [[3], [65_537, 1], [300, 7], [200_003, 1]] {
      let count = shape.reduce(1, *)
      let (y, p) = Self.inputs(count, seed: UInt64(count) &+ 5)
      // Probabilities for BCE; otherwise values over [−3, 3] (logits, or errors on both
      // sides of Huber's δ = 1).
      let probabilities = loss == "BinaryCrossentropy" && parameters["from_logits"] == nil
      let x = probabilities ? p : Tensor<Double>(p.scalars.map { Double(Float(6 * $0 - 3)) })
      var request = LossRequest(framework: framework, loss: loss, yTrue: y.reshaped(to: shape), yPred: x.reshaped(to: shape))
      request.parameters = parameters
      let label = "\(framework.rawValue)/\(loss) \(parameters) \(shape)"
      let function = try LossRegistry.standard.definition(named: loss, framework: framework).make(request.parameters)
      let reducible = try #require(function as? any ExactlyReducible, "\(label)")
      #expect(try reducible.exactElementSum(request.arrays().converted(to: Float.self)) != nil, "\(label): the kernel ran")

      let state = try LossRegistry.standard.reductionState(request, mergeable: false)
      #expect(state.count == count && state.groupSize == shape.last!, "\(label): \(state)")
      var perElement = request
      perElement.yTrue = y.reshaped(to: [count, 1])
      perElement.yPred = x.reshaped(to: [count, 1])
      perElement.parameters["reduction"] = .string("none")
      let losses = try LossRegistry.standard.evaluate(perElement, path: .traced).loss
      var sum = Decimal(0)
      for value in losses.scalars { sum += Decimal(value) }  // each a float32 value: exact in Decimal
      let error = Self.ulpError(Float(state.value), exact: sum / Decimal(count))
      #expect(error <= 0.5, "\(label): \(error) ulp")
    }
  }

  /// The kernels sum a block of 256 losses with plain double additions when all are
  /// positive, finite and within a factor 2^26 of each other (exact by the block's bound),
  /// and with a TwoSum per value otherwise. Blocks on both sides of that line — at exactly
  /// 2^26, just over it, at 2^40 (where plain additions would round), with zeros — must
  /// give the exact sum: every loss here (keras MAE of y_true = 0, so the loss is |y_pred|)
  /// is a multiple of 2^-23, and hi + lo must equal, as an integer count of 2^-23, the
  /// Int128 sum of the same values.
  @Test func kernelBlocksSumExactlyOnBothSidesOfThePlainAdditionBound() throws {
    var rng = SplitMix64(seed: 26)
    func mantissa(_ rng: inout SplitMix64) -> Float { Float(bitPattern: 0x3f80_0000 | UInt32.random(in: 0..<(1 << 23), using: &rng)) }
    var values: [Float] = []
    // One block each, in order: within the bound, its largest exactly 2^26 times its
    // smallest (7·2^26 + 1 + 2^-23 in each lane: 52 bits), just over it, at 2^40 (each of
    // the 32 lanes, which take every 32nd value, sums 66 bits), with zeros.
    for block in 0..<5 {
      for i in 0..<256 {
        let lane8 = i % 32 / 8 == 0 && i % 8 == 0  // one value in each lane of the first accumulator
        switch block {
        case 0: values.append(mantissa(&rng) * Float(sign: .plus, exponent: Int.random(in: 0...25, using: &rng), significand: 1))
        case 1: values.append(lane8 ? 1 + 0x1p-23 : i == 1 ? 1 : 0x1p26)
        case 2: values.append(i == 0 ? 1 : i == 1 ? 0x1p26 * (1 + 0x1p-23) : mantissa(&rng) * 0x1p20)
        case 3: values.append(i / 32 % 2 == 0 ? 1 + 0x1p-23 : 0x1p40 * mantissa(&rng))  // four of each per lane
        default: values.append(i % 5 == 0 ? 0 : mantissa(&rng) * 0x1p10)
        }
      }
    }
    let count = values.count
    let request = LossRequest(
      framework: .keras, loss: "MeanAbsoluteError", yTrue: Tensor(repeating: 0, shape: [count, 1]),
      yPred: Tensor(shape: [count, 1], scalars: values.map(Double.init)))
    let function = try LossRegistry.standard.definition(named: "MeanAbsoluteError", framework: .keras).make(request.parameters)
    let reducible = try #require(function as? any ExactlyReducible)
    #expect(try reducible.exactElementSum(request.arrays().converted(to: Float.self)) != nil, "the kernel ran")
    let state = try LossRegistry.standard.reductionState(request, mergeable: false)
    let exact = values.reduce(Int128(0)) { $0 + Int128(exactly: Double($1) * 0x1p23)! }
    let hi = try #require(Int128(exactly: state.sum.hi * 0x1p23), "hi = \(state.sum.hi) is a multiple of 2^-23")
    let lo = try #require(Int128(exactly: state.sum.lo * 0x1p23), "lo = \(state.sum.lo) is a multiple of 2^-23")
    #expect(hi + lo == exact, "hi + lo = \(hi + lo) · 2^-23, exact \(exact) · 2^-23")
  }

  /// torch's `CrossEntropyLoss` sums its kernel's per-row losses (``ExactlyReducible``);
  /// its mean divides by the rows whose target is not `ignore_index`. The state must count
  /// those rows as the traced per-sample path does, and its value be within 0.5 ulp of
  /// the Decimal sum of the float32 losses of `reduction='none'`, divided the same way.
  @Test(arguments: [("mean", -100), ("mean", 3), ("sum", -100)])
  func torchCrossEntropySumsItsRowsExactly(reduction: String, ignoreIndex: Int) throws {
    for (rows, classes) in [(1, 5), (7, 3), (4099, 10), (300, 1000)] {
      var rng = SplitMix64(seed: UInt64(rows * classes))
      let logits = (0..<(rows * classes)).map { _ in Double(Float(Double.random(in: -8...8, using: &rng))) }
      // Every fifth target is ignored (none of them for one row, so that the mean is defined).
      let labels = (0..<rows).map { r in rows > 1 && r % 5 == 1 ? Double(ignoreIndex) : Double(r * 7 % classes) }
      var request = LossRequest(
        framework: .torch, loss: "CrossEntropyLoss", yTrue: Tensor(labels),
        yPred: Tensor(shape: [rows, classes], scalars: logits))
      request.parameters["reduction"] = .string(reduction)
      request.parameters["ignore_index"] = .int(ignoreIndex)
      let label = "\(rows)×\(classes) \(reduction) ignore_index=\(ignoreIndex)"
      let function = try LossRegistry.standard.definition(named: "CrossEntropyLoss", framework: .torch).make(request.parameters)
      let reducible = try #require(function as? any ExactlyReducible, "\(label)")
      #expect(try reducible.exactElementSum(request.arrays().converted(to: Float.self)) != nil, "\(label): the kernel ran")

      let state = try LossRegistry.standard.reductionState(request)
      var perSample = request
      perSample.parameters["reduction"] = .string("none")
      let losses = try LossRegistry.standard.evaluate(perSample, path: .traced).loss
      let kept = labels.filter { $0 != Double(ignoreIndex) }.count
      #expect(state.count == rows && state.rows == rows && state.groupSize == 1, "\(label): \(state)")
      let counts = reduction == "mean" ? kept : rows
      #expect(state.weightSum.rounded == Double(counts) && state.nonzeroWeights == counts, "\(label): \(state)")
      var sum = Decimal(0)
      for value in losses.scalars { sum += Decimal(value) }  // each a float32 value: exact in Decimal
      let exact = reduction == "sum" ? sum : sum / Decimal(kept)
      let error = Self.ulpError(Float(state.value), exact: exact)
      #expect(error <= 0.5, "\(label): \(error) ulp")
    }
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

  /// Reductions that divide by something the per-sample values do not carry are refused
  /// by argument, not reduced wrongly; the same losses reduce exactly with `sum`.
  @Test func reductionsThatDivideByWhatTheSamplesDoNotCarryAreRefused() throws {
    let refusals: [(Framework, String, ParameterList, String)] = [
      (.torch, "CTCLoss", [:], "reduction")
    ]
    for (framework, loss, parameters, argument) in refusals {
      let definition = try LossRegistry.standard.definition(named: loss, framework: framework)
      let error = #expect(throws: LossError.self) { try ExactReduction.plan(definition, parameters) }
      #expect(error?.kind == .unsupported && error?.argument == argument, "\(framework.rawValue)/\(loss): \(String(describing: error))")
      var summed = parameters
      summed["reduction"] = .string("sum")
      #expect(try ExactReduction.plan(definition, summed).semantics == .sum, "\(framework.rawValue)/\(loss) with sum")
    }
    // torch's deprecated flags decide the reduction (legacy_get_string) and leave the
    // per-sample parameters.
    let mse = try LossRegistry.standard.definition(named: "MSELoss", framework: .torch)
    let legacy = try ExactReduction.plan(mse, ["size_average": .bool(false), "reduction": .string("mean")])
    #expect(legacy.semantics == .sum)
    #expect(legacy.perSampleParameters["size_average"] == .null && legacy.perSampleParameters["reduction"] == .string("none"))
    // torch's mean over class indices counts the targets that are not ignore_index.
    let crossEntropy = try LossRegistry.standard.definition(named: "CrossEntropyLoss", framework: .torch)
    let counted = try ExactReduction.plan(crossEntropy, ["ignore_index": .int(3)])
    #expect(counted.semantics == .countedTargetsMean && counted.ignoreIndex == 3)
    // Keras's ignore_class weighs each kept value total/valid (apply_mask), and its
    // weighted mean divides by the kept targets' weights
    // (`theExactReductionIsTheFrameworksValue` holds both to Keras's values).
    let sparse = try LossRegistry.standard.definition(named: "SparseCategoricalCrossentropy", framework: .keras)
    #expect(try ExactReduction.plan(sparse, ["ignore_class": .int(0)]).semantics == .maskWeightedMean)
    // Keras 3's mean_with_sample_weight divides by the weight as given: a scalar counts
    // once per call, so a mergeable state refuses it by argument (one exact call keeps
    // it); a weight per row sums per row.
    var weighted = LossRequest(
      framework: .keras, loss: "MeanSquaredError", parameters: ["reduction": .string("mean_with_sample_weight")],
      yTrue: Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Double.init)), yPred: Tensor(shape: [2, 3, 2], scalars: Array(repeating: 1, count: 12)),
      sampleWeight: Tensor(2))
    let refused = #expect(throws: LossError.self) { try LossRegistry.standard.reductionState(weighted) }
    #expect(refused?.kind == .unsupported && refused?.argument == "sample_weight", "\(String(describing: refused))")
    #expect(try LossRegistry.standard.reductionState(weighted, mergeable: false).weightSum.rounded == 2)
    weighted.sampleWeight = Tensor(shape: [2, 1], scalars: [2, 3])
    #expect(try LossRegistry.standard.reductionState(weighted).weightSum.rounded == 5)
    #expect(
      try ExactReduction.plan(sparse, ["ignore_class": .int(0), "reduction": .string("mean_with_sample_weight")]).semantics
        == .weightedMean)
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
