import LossKit
import Testing

/// The worked examples printed in the docstrings of `keras/src/losses/losses.py`
/// (3.15.1) and, where they differ, `tf_keras/src/losses.py` (2.21), replayed through
/// the registry in float32 and compared with the numbers as printed, within one unit of
/// their last printed digit (the docstrings truncate as often as they round), or
/// float32's resolution where they print more digits than float32 has.
@Suite("Keras and tf-keras docstring examples")
struct KerasDocstringTests {
  struct Example: Sendable, CustomTestStringConvertible {
    var framework: Framework
    var loss: String
    var parameters: ParameterList = [:]
    var yTrue: Tensor<Double>
    var yPred: Tensor<Double>
    var sampleWeight: Tensor<Double>? = nil
    /// The output as printed, element by element.
    var printed: [String]
    /// The docstring prints the mean of the per-sample output (`huber`, `log_cosh`).
    var printsMean = false
    var testDescription: String { "\(framework.rawValue)/\(loss) \(parameters.map { "\($0.name)=\($0.value)" }) → \(printed)" }
  }

  static func matrix(_ rows: [[Double]]) -> Tensor<Double> {
    Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 })
  }

  // Inputs shared by several docstrings.
  static let logits4 = Tensor<Double>([0, 1, 0, 0])
  static let logitPredictions4 = Tensor<Double>([-18.6, 0.51, 2.94, -12.8])
  static let labels2x2 = matrix([[0, 1], [0, 0]])
  static let logits2x2 = matrix([[-18.6, 0.51], [2.94, -12.8]])
  static let probabilities2x2 = matrix([[0.6, 0.4], [0.4, 0.6]])
  static let oneHot = matrix([[0, 1, 0], [0, 0, 1]])
  static let categorical = matrix([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
  static let diceTrue = Tensor<Double>(shape: [2, 2, 2, 1], scalars: [1, 1, 0, 0, 1, 1, 0, 0])
  static let dicePred = Tensor<Double>(shape: [2, 2, 2, 1], scalars: [0, 1, 0, 1, 0.4, 0, 0, 0.9])
  static let weights82 = Tensor<Double>([0.8, 0.2])
  static let weights37 = Tensor<Double>([0.3, 0.7])
  static let weights10 = Tensor<Double>([1, 0])

  static let keras: [Example] = {
    let sum: ParameterValue = .string("sum")
    var list: [Example] = [
      Example(framework: .keras, loss: "MeanSquaredError", yTrue: Tensor([1, 0, 1]), yPred: Tensor([0.9, 0.1, 0.8]), printed: ["0.02"]),
      Example(framework: .keras, loss: "MeanAbsoluteError", yTrue: Tensor([1, 0.3, 1]), yPred: Tensor([1.9, 0.3, 1.8]), printed: ["0.5666667"]),
      Example(
        framework: .keras, loss: "MeanAbsolutePercentageError", yTrue: Tensor([100, 200, 300]), yPred: Tensor([90, 210, 310]),
        printed: ["6.111111"]),
      Example(framework: .keras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true)], yTrue: logits4, yPred: logitPredictions4, printed: ["0.8654"]),
      Example(framework: .keras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true)], yTrue: labels2x2, yPred: logits2x2, printed: ["0.8654"]),
      Example(
        framework: .keras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true)], yTrue: labels2x2, yPred: logits2x2,
        sampleWeight: weights82, printed: ["0.243"]),
      Example(framework: .keras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true), "reduction": sum], yTrue: labels2x2, yPred: logits2x2, printed: ["1.730"]),
      Example(framework: .keras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true), "reduction": .null], yTrue: labels2x2, yPred: logits2x2, printed: ["0.235", "1.496"]),
      Example(framework: .keras, loss: "CategoricalCrossentropy", yTrue: oneHot, yPred: categorical, printed: ["1.177"]),
      Example(framework: .keras, loss: "CategoricalCrossentropy", yTrue: oneHot, yPred: categorical, sampleWeight: weights37, printed: ["0.814"]),
      Example(framework: .keras, loss: "CategoricalCrossentropy", parameters: ["reduction": sum], yTrue: oneHot, yPred: categorical, printed: ["2.354"]),
      Example(framework: .keras, loss: "CategoricalCrossentropy", parameters: ["reduction": .null], yTrue: oneHot, yPred: categorical, printed: ["0.0513", "2.303"]),
      Example(framework: .keras, loss: "CategoricalFocalCrossentropy", yTrue: oneHot, yPred: categorical, printed: ["0.23315276"]),
      Example(framework: .keras, loss: "CategoricalFocalCrossentropy", yTrue: oneHot, yPred: categorical, sampleWeight: weights37, printed: ["0.1632"]),
      Example(framework: .keras, loss: "CategoricalFocalCrossentropy", parameters: ["reduction": sum], yTrue: oneHot, yPred: categorical, printed: ["0.46631"]),
      Example(
        framework: .keras, loss: "CategoricalFocalCrossentropy", parameters: ["reduction": .null], yTrue: oneHot, yPred: categorical,
        printed: ["3.2058331e-05", "4.6627346e-01"]),
      Example(framework: .keras, loss: "SparseCategoricalCrossentropy", yTrue: Tensor([1, 2]), yPred: categorical, printed: ["1.177"]),
      Example(framework: .keras, loss: "SparseCategoricalCrossentropy", yTrue: Tensor([1, 2]), yPred: categorical, sampleWeight: weights37, printed: ["0.814"]),
      Example(framework: .keras, loss: "SparseCategoricalCrossentropy", parameters: ["reduction": sum], yTrue: Tensor([1, 2]), yPred: categorical, printed: ["2.354"]),
      Example(framework: .keras, loss: "SparseCategoricalCrossentropy", parameters: ["reduction": .null], yTrue: Tensor([1, 2]), yPred: categorical, printed: ["0.0513", "2.303"]),
      Example(framework: .keras, loss: "Dice", parameters: ["axis": .tensor(Tensor([1, 2, 3])), "reduction": .null], yTrue: diceTrue, yPred: dicePred, printed: ["0.5", "0.75757575"]),
      Example(framework: .keras, loss: "Dice", yTrue: diceTrue, yPred: dicePred, printed: ["0.6164384"]),
      // The loss functions.
      Example(
        framework: .keras, loss: "cosine_similarity", parameters: ["axis": .int(-1)], yTrue: matrix([[0, 1], [1, 1], [1, 1]]),
        yPred: matrix([[1, 0], [1, 1], [-1, -1]]), printed: ["-0.", "-0.99999994", "0.99999994"]),
      Example(framework: .keras, loss: "huber", yTrue: labels2x2, yPred: probabilities2x2, printed: ["0.155"], printsMean: true),
      Example(framework: .keras, loss: "log_cosh", yTrue: matrix([[0, 1], [0, 0]]), yPred: matrix([[1, 1], [0, 0]]), printed: ["0.108"], printsMean: true),
      Example(framework: .keras, loss: "categorical_crossentropy", yTrue: oneHot, yPred: categorical, printed: ["0.0513", "2.303"]),
      Example(
        framework: .keras, loss: "categorical_focal_crossentropy", yTrue: oneHot, yPred: matrix([[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]),
        printed: ["2.63401289e-04", "6.75912094e-01"]),
      Example(framework: .keras, loss: "sparse_categorical_crossentropy", yTrue: Tensor([1, 2]), yPred: categorical, printed: ["0.0513", "2.303"]),
      Example(framework: .keras, loss: "binary_crossentropy", yTrue: labels2x2, yPred: probabilities2x2, printed: ["0.916", "0.714"]),
      // (Its second example, printed as [0.916, 0.714], repeats the call with the default
      // gamma = 2 and so really gives [0.330, 0.206]; it is not replayed.)
      Example(framework: .keras, loss: "binary_focal_crossentropy", parameters: ["gamma": .int(2)], yTrue: labels2x2, yPred: probabilities2x2, printed: ["0.330", "0.206"]),
      Example(framework: .keras, loss: "dice", parameters: ["axis": .tensor(Tensor([1, 2, 3]))], yTrue: diceTrue, yPred: dicePred, printed: ["0.5", "0.75757575"]),
      Example(framework: .keras, loss: "dice", yTrue: diceTrue, yPred: dicePred, printed: ["0.6164384"]),
    ]
    // BinaryFocalCrossentropy(gamma, from_logits=True), with and without class balancing.
    let focal: [(gamma: Int, balancing: Bool, reduction: ParameterValue?, weights: Tensor<Double>?, y: Tensor<Double>, x: Tensor<Double>, printed: [String])] = [
      (2, false, nil, nil, logits4, logitPredictions4, ["0.691"]), (2, true, nil, nil, logits4, logitPredictions4, ["0.51"]),
      (3, false, nil, nil, labels2x2, logits2x2, ["0.647"]), (3, true, nil, nil, labels2x2, logits2x2, ["0.482"]),
      (3, false, nil, weights82, labels2x2, logits2x2, ["0.133"]), (3, true, nil, weights82, labels2x2, logits2x2, ["0.097"]),
      (4, false, sum, nil, labels2x2, logits2x2, ["1.222"]), (4, true, sum, nil, labels2x2, logits2x2, ["0.914"]),
      (5, false, .null, nil, labels2x2, logits2x2, ["0.0017", "1.1561"]), (5, true, .null, nil, labels2x2, logits2x2, ["0.0004", "0.8670"]),
    ]
    for framework in [Framework.keras, .tfKeras] {
      for f in focal {
        var parameters: ParameterList = ["gamma": .int(f.gamma), "from_logits": .bool(true), "apply_class_balancing": .bool(f.balancing)]
        // tf-keras spells Keras 3's reduction=None as Reduction.NONE, "none".
        if let reduction = f.reduction { parameters["reduction"] = framework == .tfKeras && reduction == .null ? .string("none") : reduction }
        list.append(Example(framework: framework, loss: "BinaryFocalCrossentropy", parameters: parameters, yTrue: f.y, yPred: f.x, sampleWeight: f.weights, printed: f.printed))
      }
    }
    return list
  }()

  /// tf-keras's own docstrings, where they differ from Keras 3's.
  static let tfKeras: [Example] = {
    let (sum, none): (ParameterValue, ParameterValue) = (.string("sum"), .string("none"))
    let regressionTrue = matrix([[0, 1], [0, 0]])
    let regressionPred = matrix([[1, 1], [1, 0]])
    var list: [Example] = []
    func four(_ loss: String, _ y: Tensor<Double>, _ p: Tensor<Double>, _ weights: Tensor<Double>, _ parameters: ParameterList = [:],
              _ values: (String, String, String, [String])) {
      var withSum = parameters
      withSum["reduction"] = sum
      var withNone = parameters
      withNone["reduction"] = none
      list += [
        Example(framework: .tfKeras, loss: loss, parameters: parameters, yTrue: y, yPred: p, printed: [values.0]),
        Example(framework: .tfKeras, loss: loss, parameters: parameters, yTrue: y, yPred: p, sampleWeight: weights, printed: [values.1]),
        Example(framework: .tfKeras, loss: loss, parameters: withSum, yTrue: y, yPred: p, printed: [values.2]),
        Example(framework: .tfKeras, loss: loss, parameters: withNone, yTrue: y, yPred: p, printed: values.3),
      ]
    }
    four("MeanSquaredError", regressionTrue, regressionPred, Tensor([0.7, 0.3]), [:], ("0.5", "0.25", "1.0", ["0.5", "0.5"]))
    four("MeanAbsoluteError", regressionTrue, regressionPred, Tensor([0.7, 0.3]), [:], ("0.5", "0.25", "1.0", ["0.5", "0.5"]))
    four("MeanAbsolutePercentageError", matrix([[2, 1], [2, 3]]), regressionPred, Tensor([0.7, 0.3]), [:], ("50.", "20.", "100.", ["25.", "75."]))
    four("MeanSquaredLogarithmicError", regressionTrue, regressionPred, Tensor([0.7, 0.3]), [:], ("0.240", "0.120", "0.480", ["0.240", "0.240"]))
    four("CosineSimilarity", matrix([[0, 1], [1, 1]]), matrix([[1, 0], [1, 1]]), weights82, ["axis": .int(1)], ("-0.5", "-0.0999", "-0.999", ["-0.", "-0.999"]))
    four("Hinge", labels2x2, probabilities2x2, weights10, [:], ("1.3", "0.55", "2.6", ["1.1", "1.5"]))
    four("SquaredHinge", labels2x2, probabilities2x2, weights10, [:], ("1.86", "0.73", "3.72", ["1.46", "2.26"]))
    four("CategoricalHinge", labels2x2, probabilities2x2, weights10, [:], ("1.4", "0.6", "2.8", ["1.2", "1.6"]))
    four("Poisson", regressionTrue, matrix([[1, 1], [0, 0]]), weights82, [:], ("0.5", "0.4", "0.999", ["0.999", "0."]))
    four("LogCosh", regressionTrue, matrix([[1, 1], [0, 0]]), weights82, [:], ("0.108", "0.087", "0.217", ["0.217", "0."]))
    four("KLDivergence", labels2x2, probabilities2x2, weights82, [:], ("0.458", "0.366", "0.916", ["0.916", "-3.08e-06"]))
    four("Huber", labels2x2, probabilities2x2, weights10, [:], ("0.155", "0.09", "0.31", ["0.18", "0.13"]))
    four("BinaryCrossentropy", labels2x2, logits2x2, weights82, ["from_logits": .bool(true)], ("0.865", "0.243", "1.730", ["0.235", "1.496"]))
    four("CategoricalCrossentropy", oneHot, categorical, weights37, [:], ("1.177", "0.814", "2.354", ["0.0513", "2.303"]))
    four("CategoricalFocalCrossentropy", oneHot, categorical, weights37, [:], ("0.23315276", "0.1632", "0.46631", ["3.2058331e-05", "4.6627346e-01"]))
    four("SparseCategoricalCrossentropy", Tensor([1, 2]), categorical, weights37, [:], ("1.177", "0.814", "2.354", ["0.0513", "2.303"]))
    list += [
      Example(framework: .tfKeras, loss: "BinaryCrossentropy", parameters: ["from_logits": .bool(true)], yTrue: logits4, yPred: logitPredictions4, printed: ["0.865"]),
      Example(framework: .tfKeras, loss: "categorical_crossentropy", yTrue: oneHot, yPred: categorical, printed: ["0.0513", "2.303"]),
      Example(
        framework: .tfKeras, loss: "categorical_focal_crossentropy", yTrue: oneHot, yPred: matrix([[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]),
        printed: ["2.63401289e-04", "6.75912094e-01"]),
      Example(framework: .tfKeras, loss: "sparse_categorical_crossentropy", yTrue: Tensor([1, 2]), yPred: categorical, printed: ["0.0513", "2.303"]),
      Example(
        framework: .tfKeras, loss: "sparse_categorical_crossentropy", parameters: ["ignore_class": .int(-1)],
        yTrue: Tensor(shape: [2, 2, 2], scalars: [0, 2, -1, -1, 0, 2, -1, -1]),
        yPred: Tensor(shape: [2, 2, 2, 3], scalars: [1, 0, 0, 0, 0, 1, 0.2, 0.5, 0.3, 0, 1, 0, 1, 0, 0, 0, 0.5, 0.5, 0.2, 0.5, 0.3, 0, 1, 0]),
        printed: ["2.3841855e-07", "2.3841855e-07", "0.0000000e+00", "0.0000000e+00", "2.3841855e-07", "6.9314730e-01", "0.0000000e+00", "0.0000000e+00"]),
      Example(framework: .tfKeras, loss: "binary_crossentropy", yTrue: labels2x2, yPred: probabilities2x2, printed: ["0.916", "0.714"]),
      Example(framework: .tfKeras, loss: "binary_focal_crossentropy", parameters: ["gamma": .int(2)], yTrue: labels2x2, yPred: probabilities2x2, printed: ["0.330", "0.206"]),
      Example(
        framework: .tfKeras, loss: "cosine_similarity", parameters: ["axis": .int(1)], yTrue: matrix([[0, 1], [1, 1], [1, 1]]),
        yPred: matrix([[1, 0], [1, 1], [-1, -1]]), printed: ["-0.", "-0.999", "0.999"]),
    ]
    return list
  }()

  /// One unit of the last printed digit: "0.243" → 0.001, "3.08e-06" → 1e-8, "50." → 1.
  static func unit(of printed: String) -> Double {
    let lower = printed.lowercased()
    let (mantissa, exponent) = lower.contains("e")
      ? (String(lower.split(separator: "e")[0]), Int(lower.split(separator: "e")[1]) ?? 0) : (lower, 0)
    let decimals = mantissa.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
    return Double.pow(10, Double(exponent - decimals))
  }

  @Test(arguments: keras + tfKeras)
  func matchesThePrintedNumbers(_ example: Example) throws {
    let request = LossRequest(
      framework: example.framework, loss: example.loss, parameters: example.parameters, yTrue: example.yTrue,
      yPred: example.yPred, sampleWeight: example.sampleWeight)
    var values = try LossRegistry.standard.evaluate(request).loss.scalars
    if example.printsMean { values = [values.reduce(0, +) / Double(values.count)] }
    try #require(values.count == example.printed.count, "output \(values) against the printed \(example.printed)")
    for (value, printed) in zip(values, example.printed) {
      let expected = try #require(Double(printed.hasSuffix(".") ? printed + "0" : printed))
      // No finer than float32's resolution: `categorical_focal_crossentropy` prints nine
      // digits (2.63401289e-04) where Keras's float32 result is 2.6340148e-04.
      let tolerance = Swift.max(Self.unit(of: printed), 1e-6 * Swift.abs(expected))
      #expect(Swift.abs(value - expected) <= tolerance, "\(value) is not \(printed) as printed")
    }
  }
}
