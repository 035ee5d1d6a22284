import LossKit
import Testing

/// scikit-learn conventions that the corpus checks case by case, stated once here.
@Suite("scikit-learn conventions")
struct SKLearnTests {
  let registry = LossRegistry.standard

  /// Binary hinge_loss multiplies int64 ±1 labels by the decisions: NumPy promotes to
  /// float64. The multiclass margin stays in the decisions' dtype.
  @Test func binaryHingeComputesInFloat64() throws {
    let binary = LossRequest(framework: .sklearn, loss: "hinge_loss", yTrue: Tensor([-1, 1, 1]), yPred: Tensor([-2.18, 2.36, 0.09]))
    let result = try registry.evaluate(binary)
    #expect(result.dtype == .float64 && result.gradientDType == .float32)
    // sklearn/hinge_loss/docstring-binary-1: a float64 value, not a float32 one.
    #expect(result.loss.scalars == [0.3033333321412404])
    let multiclass = LossRequest(
      framework: .sklearn, loss: "hinge_loss", yTrue: Tensor([0, 1, 2]),
      yPred: Tensor(shape: [3, 3], scalars: [0.5, -0.3, 2, 1, 2, 3, 0, 0, 0]))
    #expect(try registry.evaluate(multiclass).dtype == .float32)
  }

  /// Every other metric computes in the dtype of its arrays.
  @Test func theArraysDTypeIsTheComputeDType() throws {
    for definition in registry.definitions where definition.framework == .sklearn && definition.name != "hinge_loss" {
      let loss = try definition.make()
      #expect(loss.computeDType(forInputs: .float32) == .float32)
      #expect(loss.computeDType(forInputs: .float64) == .float64)
    }
  }

  /// Errors name the argument as scikit-learn spells it.
  @Test func errorsUseScikitLearnsNames() {
    let request = LossRequest(framework: .sklearn, loss: "log_loss", yTrue: Tensor([0, 1]), yPred: Tensor([0.5, 1.5]))
    #expect(throws: LossError.invalidValue(argument: "y_proba", expected: "probabilities in [0, 1]", got: "1.5")) {
      try registry.evaluate(request)
    }
    let hinge = LossRequest(framework: .sklearn, loss: "hinge_loss", yTrue: Tensor([0, 1, 2]), yPred: Tensor([0.5, 0.3, 1]))
    #expect(throws: LossError.shapeMismatch(
      argument: "pred_decision", expected: "(n_samples, n_classes) = (3, 3) for a multiclass target", got: "(3,)")) {
      try registry.evaluate(hinge)
    }
    #expect(throws: LossError.invalidParameter(name: "power", expected: "a number ≤ 0 or ≥ 1", got: "0.5")) {
      try registry.definition(named: "mean_tweedie_deviance", framework: .sklearn).make(["power": .float(0.5)])
    }
  }

  /// The Swift API mirrors the Python signatures (the docstrings' printed values).
  @Test func swiftAPI() throws {
    let yTrue = Tensor<Double>(shape: [3, 2], scalars: [0.5, 1, -1, 1, 7, -6])
    let yPred = Tensor<Double>(shape: [3, 2], scalars: [0, 2, -1, 2, 8, -5])
    let raw = try SKLearn.MeanSquaredError(multioutput: .rawValues)(yTrue, yPred)
    #expect(SKLearnDocstringTests.matches(raw.scalars, "[0.41666667, 1.        ]"))
    let weighted = try SKLearn.MeanAbsoluteError(multioutput: .weights(Tensor([0.3, 0.7])))(yTrue, yPred)
    #expect(SKLearnDocstringTests.matches(weighted.scalars, "0.85..."))
    let pinball = try SKLearn.MeanPinballLoss(alpha: 0.1).valueWithGradient(Tensor<Double>([1, 2, 3]), Tensor<Double>([0, 2, 3]))
    #expect(SKLearnDocstringTests.matches(pinball.loss.scalars, "0.03..."))
    #expect(pinball.gradient.shape == [3])
  }
}
