import LossKit
import Testing

/// The torch losses through the Swift API, and torch's conventions that are rules rather
/// than numbers (the legacy reduction flags, the class layout in errors). Values are
/// torch 2.15.0's, from Tests/Fixtures/conformance/torch/BCELoss.json:
/// `torch/BCELoss/motivating-mean-1` (33.333332) and `motivating-sum-2` (100.0, gradient
/// `[0, 0, -999999995904]`, which is `Float(-1e12)`).
@Suite("torch through the library")
struct TorchTests {
  @Test func bceClampsTheLogAndKeepsItsOwnBackward() throws {
    let (yTrue, yPred) = (Tensor<Float>([1, 1, 1]), Tensor<Float>([1, 1, 0]))
    #expect(try Torch.BCELoss()(yTrue, yPred).scalars == [33.333332])
    // reduction='sum': the backward (x − y)/max((1 − x)·x, 1e-12) is −1e12 at the 0.
    let summed = try Torch.BCELoss(reduction: .sum).valueWithGradient(yTrue, yPred)
    #expect(summed.loss.scalars == [100])
    #expect(summed.gradient.scalars == [0, 0, -1e12])
  }

  /// `_Reduction.legacy_get_string(size_average, reduce)`.
  @Test func legacyFlagsMapAsTorchDoes() {
    #expect(Torch.legacyReduction(sizeAverage: nil, reduce: nil) == nil)
    #expect(Torch.legacyReduction(sizeAverage: true, reduce: nil) == .mean)
    #expect(Torch.legacyReduction(sizeAverage: nil, reduce: true) == .mean)
    #expect(Torch.legacyReduction(sizeAverage: false, reduce: nil) == .sum)
    #expect(Torch.legacyReduction(sizeAverage: false, reduce: true) == .sum)
    #expect(Torch.legacyReduction(sizeAverage: nil, reduce: false) == Torch.Reduction.none)
    #expect(Torch.legacyReduction(sizeAverage: true, reduce: false) == Torch.Reduction.none)
    var loss = Torch.MSELoss(reduction: .sum)
    loss.sizeAverage = true
    #expect(loss.effectiveReduction == .mean)
  }

  @Test func classIndexErrorsNameTheClassDimension() throws {
    let logits = Tensor<Double>(shape: [2, 5], scalars: Array(repeating: 0, count: 10))
    #expect(
      throws: LossError.shapeMismatch(
        argument: "target",
        expected: "class indices of shape (2,) for input (N, C, ...) = (2, 5) with C = 5 classes along dim 1", got: "(3,)")
    ) { try Torch.CrossEntropyLoss()(Tensor<Double>([0, 1, 2]), logits) }
    #expect(throws: LossError.labelOutOfRange(argument: "target", label: 5, classes: 5)) {
      try Torch.NLLLoss()(Tensor<Double>([0, 5]), logits)
    }
    #expect(
      throws: LossError.shapeMismatch(
        argument: "weight",
        expected: "one weight per class: (5,) for input (N, C, ...) = (2, 5) with C = 5 classes along dim 1", got: "(2,)")
    ) { try Torch.CrossEntropyLoss(weight: Tensor([1, 2]))(Tensor<Double>([0, 1]), logits) }
  }

  @Test func forwardTensorsAreRequiredParameters() throws {
    let definition = try LossRegistry.standard.definition(named: "MarginRankingLoss", framework: .torch)
    #expect(throws: LossError.invalidParameter(name: "input2", expected: "a tensor", got: "nothing (it is required)")) {
      try definition.make()
    }
    #expect(
      throws: LossError.invalidValue(
        argument: "target", expected: "an empty y_true (the triplet losses take anchor, positive and negative only)",
        got: "a tensor of shape (1,)")
    ) {
      try Torch.TripletMarginLoss(positive: Tensor([1.0]), negative: Tensor([2.0]))(Tensor<Double>([0]), Tensor<Double>([0.5]))
    }
  }
}
