import Foundation
import LossKit
import Testing

/// The Examples sections of scikit-learn 1.9.1's docstrings
/// (`sklearn/metrics/_classification.py`, `_regression.py`), replayed with the numbers
/// as printed there. Python lists are float64 arrays, so every example runs in float64.
/// String labels are replaced by integers in the same sorted order ("ham" < "spam").
/// A printed value ending in `...` is a prefix of Python's repr (doctest ELLIPSIS);
/// otherwise it matches within one unit of its last printed decimal (pytest's NUMBER,
/// which scikit-learn's doctests use);
/// arrays as NumPy prints them, to 8 decimals.
@Suite("scikit-learn's docstring examples")
struct SKLearnDocstringTests {
  struct Example: Sendable, CustomTestStringConvertible {
    var loss: String
    var yTrue: Tensor<Double>
    var yPred: Tensor<Double>
    var parameters: ParameterList = [:]
    var printed: String
    var testDescription: String { "\(loss) → \(printed)" }
  }

  static func vector(_ values: [Double]) -> Tensor<Double> { Tensor(values) }
  static func matrix(_ rows: [[Double]]) -> Tensor<Double> {
    Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 })
  }

  static let regression1 = (vector([3, -0.5, 2, 7]), vector([2.5, 0.0, 2, 8]))
  static let regression2 = (matrix([[0.5, 1], [-1, 1], [7, -6]]), matrix([[0, 2], [-1, 2], [8, -5]]))
  static let weights = ParameterValue.tensor(Tensor([0.3, 0.7]))
  static let brierTrue = vector([0, 1, 1, 0])
  static let brierProbabilities = vector([0.1, 0.9, 0.8, 0.3])
  /// `LinearSVC(random_state=0).fit(X, y).decision_function(...)` of the hinge_loss
  /// examples, as scikit-learn 1.9.1 computes them (the multiclass ones are not printed).
  static let svcBinary = vector([-2.1818181818181817, 2.3636363636363633, 0.09090909090909088])
  static let svcMulticlass = matrix([
    [1.272727272727273, 0.03418803418803418, -0.6837606837606836, -1.4017094017094016],
    [-1.4545454545454546, -0.5811965811965811, -0.3760683760683762, -0.170940170940171],
    [-2.3636363636363638, -0.7863247863247864, -0.2735042735042737, 0.23931623931623935],
  ])

  static let examples: [Example] = [
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
    Example(loss: "log_loss", yTrue: vector([1, 0, 0, 1]), yPred: matrix([[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]), printed: "0.21616"),
    Example(loss: "brier_score_loss", yTrue: brierTrue, yPred: brierProbabilities, printed: "0.0375"),
    Example(loss: "brier_score_loss", yTrue: brierTrue, yPred: vector([0.9, 0.1, 0.2, 0.7]), parameters: ["pos_label": .int(0)], printed: "0.0375"),
    // y_true_categorical = ["spam", "ham", "ham", "spam"] with pos_label="ham": in sorted
    // order "ham" is 0, so the positive class is the smaller label.
    Example(loss: "brier_score_loss", yTrue: vector([1, 0, 0, 1]), yPred: brierProbabilities, parameters: ["pos_label": .int(0)], printed: "0.0375"),
    Example(loss: "brier_score_loss", yTrue: brierTrue, yPred: vector([0, 1, 1, 0]), printed: "0.0"),
    Example(loss: "brier_score_loss", yTrue: brierTrue, yPred: brierProbabilities, parameters: ["scale_by_half": .bool(false)], printed: "0.075"),
    Example(
      loss: "brier_score_loss", yTrue: vector([0, 1, 2]), yPred: matrix([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.2, 0.2, 0.6]]),
      parameters: ["labels": .tensor(Tensor([0, 1, 2]))], printed: "0.146"),
    Example(loss: "hinge_loss", yTrue: vector([-1, 1, 1]), yPred: vector([-2.18, 2.36, 0.09]), printed: "0.30"),
    Example(loss: "hinge_loss", yTrue: vector([-1, 1, 1]), yPred: svcBinary, printed: "0.30"),
    Example(loss: "hinge_loss", yTrue: vector([0, 2, 3]), yPred: svcMulticlass, parameters: ["labels": .tensor(Tensor([0, 1, 2, 3]))], printed: "0.56"),
    Example(loss: "mean_absolute_error", yTrue: regression1.0, yPred: regression1.1, printed: "0.5"),
    Example(loss: "mean_absolute_error", yTrue: regression2.0, yPred: regression2.1, printed: "0.75"),
    Example(loss: "mean_absolute_error", yTrue: regression2.0, yPred: regression2.1, parameters: ["multioutput": .string("raw_values")], printed: "[0.5, 1.]"),
    Example(loss: "mean_absolute_error", yTrue: regression2.0, yPred: regression2.1, parameters: ["multioutput": weights], printed: "0.85..."),
    Example(loss: "mean_pinball_loss", yTrue: vector([1, 2, 3]), yPred: vector([0, 2, 3]), parameters: ["alpha": .float(0.1)], printed: "0.03..."),
    Example(loss: "mean_pinball_loss", yTrue: vector([1, 2, 3]), yPred: vector([1, 2, 4]), parameters: ["alpha": .float(0.1)], printed: "0.3..."),
    Example(loss: "mean_pinball_loss", yTrue: vector([1, 2, 3]), yPred: vector([0, 2, 3]), parameters: ["alpha": .float(0.9)], printed: "0.3..."),
    Example(loss: "mean_pinball_loss", yTrue: vector([1, 2, 3]), yPred: vector([1, 2, 4]), parameters: ["alpha": .float(0.9)], printed: "0.03..."),
    Example(loss: "mean_pinball_loss", yTrue: vector([1, 2, 3]), yPred: vector([1, 2, 3]), parameters: ["alpha": .float(0.1)], printed: "0.0"),
    Example(loss: "mean_pinball_loss", yTrue: vector([1, 2, 3]), yPred: vector([1, 2, 3]), parameters: ["alpha": .float(0.9)], printed: "0.0"),
    Example(loss: "mean_absolute_percentage_error", yTrue: regression1.0, yPred: regression1.1, printed: "0.3273..."),
    Example(loss: "mean_absolute_percentage_error", yTrue: regression2.0, yPred: regression2.1, printed: "0.5515..."),
    Example(loss: "mean_absolute_percentage_error", yTrue: regression2.0, yPred: regression2.1, parameters: ["multioutput": weights], printed: "0.6198..."),
    Example(loss: "mean_absolute_percentage_error", yTrue: vector([1, 0, 2.4, 7]), yPred: vector([1.2, 0.1, 2.4, 8]), printed: "112589990684262.48"),
    Example(loss: "mean_squared_error", yTrue: regression1.0, yPred: regression1.1, printed: "0.375"),
    Example(loss: "mean_squared_error", yTrue: regression2.0, yPred: regression2.1, printed: "0.708..."),
    Example(loss: "mean_squared_error", yTrue: regression2.0, yPred: regression2.1, parameters: ["multioutput": .string("raw_values")], printed: "[0.41666667, 1.        ]"),
    Example(loss: "mean_squared_error", yTrue: regression2.0, yPred: regression2.1, parameters: ["multioutput": weights], printed: "0.825..."),
    Example(loss: "root_mean_squared_error", yTrue: regression1.0, yPred: regression1.1, printed: "0.612..."),
    Example(loss: "root_mean_squared_error", yTrue: regression2.0, yPred: regression2.1, printed: "0.822..."),
    Example(loss: "mean_squared_log_error", yTrue: vector([3, 5, 2.5, 7]), yPred: vector([2.5, 5, 4, 8]), printed: "0.039..."),
    Example(loss: "mean_squared_log_error", yTrue: matrix([[0.5, 1], [1, 2], [7, 6]]), yPred: matrix([[0.5, 2], [1, 2.5], [8, 8]]), printed: "0.044..."),
    Example(
      loss: "mean_squared_log_error", yTrue: matrix([[0.5, 1], [1, 2], [7, 6]]), yPred: matrix([[0.5, 2], [1, 2.5], [8, 8]]),
      parameters: ["multioutput": .string("raw_values")], printed: "[0.00462428, 0.08377444]"),
    Example(
      loss: "mean_squared_log_error", yTrue: matrix([[0.5, 1], [1, 2], [7, 6]]), yPred: matrix([[0.5, 2], [1, 2.5], [8, 8]]),
      parameters: ["multioutput": weights], printed: "0.060..."),
    Example(loss: "median_absolute_error", yTrue: regression1.0, yPred: regression1.1, printed: "0.5"),
    Example(loss: "median_absolute_error", yTrue: regression2.0, yPred: regression2.1, printed: "0.75"),
    Example(loss: "median_absolute_error", yTrue: regression2.0, yPred: regression2.1, parameters: ["multioutput": .string("raw_values")], printed: "[0.5, 1. ]"),
    Example(loss: "median_absolute_error", yTrue: regression2.0, yPred: regression2.1, parameters: ["multioutput": weights], printed: "0.85"),
    Example(loss: "mean_tweedie_deviance", yTrue: vector([2, 0, 1, 4]), yPred: vector([0.5, 0.5, 2, 2]), parameters: ["power": .int(1)], printed: "1.4260..."),
    Example(loss: "mean_poisson_deviance", yTrue: vector([2, 0, 1, 4]), yPred: vector([0.5, 0.5, 2, 2]), printed: "1.4260..."),
    Example(loss: "mean_gamma_deviance", yTrue: vector([2, 0.5, 1, 4]), yPred: vector([0.5, 0.5, 2, 2]), printed: "1.0568..."),
  ]

  /// Whether `value` is what the doctest prints as `printed`.
  static func matches(_ values: [Double], _ printed: String) -> Bool {
    if printed.hasPrefix("[") {
      let items = printed.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      return items.count == values.count && zip(values, items).allSatisfy { abs($0 - Double($1)!) <= 0.5e-8 }
    }
    guard values.count == 1 else { return false }
    if printed.hasSuffix("...") { return "\(values[0])".hasPrefix(String(printed.dropLast(3))) }
    let decimals = printed.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
    // pytest's NUMBER: equal within 10^-decimals of the printed value.
    return abs(values[0] - Double(printed)!) <= pow(10, -Double(decimals))
  }

  @Test(arguments: examples)
  func printedValue(_ example: Example) throws {
    let request = LossRequest(
      framework: .sklearn, loss: example.loss, parameters: example.parameters, yTrue: example.yTrue, yPred: example.yPred,
      dtype: .float64)
    let result = try LossRegistry.standard.evaluate(request)
    #expect(result.dtype == .float64)
    #expect(Self.matches(result.loss.scalars, example.printed), "\(example.loss): \(result.loss.scalars), printed \(example.printed)")
  }

  @Test func theMatcherCanFail() {
    #expect(!Self.matches([0.7095], "0.708..."))
    #expect(!Self.matches([0.21628], "0.21616"))
    #expect(!Self.matches([0.41666667, 1.0001], "[0.41666667, 1.        ]"))
    #expect(Self.matches([112589990684262.48], "112589990684262.48"))
  }

  /// The README's motivating numbers, through the Swift API.
  @Test func logLossDependsOnTheDType() throws {
    let loss = SKLearn.LogLoss(labels: Tensor([0, 1]))
    #expect(try loss(Tensor<Double>([1, 1, 1]), Tensor<Double>([1, 1, 0])).scalars == [12.014551129705717])
    #expect(try loss(Tensor<Float>([1, 1, 1]), Tensor<Float>([1, 1, 0])).scalars == [5.314128398895264])
    #expect(throws: LossError.invalidValue(argument: "y_true", expected: "at least two classes (or the classes given with labels=)", got: "the single class [1]")) {
      try SKLearn.LogLoss()(Tensor<Float>([1, 1, 1]), Tensor<Float>([1, 1, 0]))
    }
  }
}
