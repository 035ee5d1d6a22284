import LossKit
import Testing

/// What the corpus cannot show for `tf.compat.v1.losses`: the `Reduction` member names
/// LossKit accepts besides TF's string values, and the Swift API.
@Suite("tf.compat.v1.losses")
struct TFV1Tests {
  let yTrue = Tensor<Float>(shape: [2, 2], scalars: [0, 1, 0, 0])
  let yPred = Tensor<Float>(shape: [2, 2], scalars: [0.6, 0.4, 0.4, 0.6])
  let weights = Tensor<Float>(shape: [2, 1], scalars: [1, 0])

  @Test func memberNamesAreAliasesOfTheStringValues() throws {
    let definition = try LossRegistry.standard.definition(named: "huber_loss", framework: .tfV1)
    let pairs: [(String, String)] = [
      ("NONE", "none"), ("SUM", "weighted_sum"), ("MEAN", "weighted_mean"),
      ("SUM_OVER_BATCH_SIZE", "weighted_sum_over_batch_size"),
      ("SUM_BY_NONZERO_WEIGHTS", "weighted_sum_by_nonzero_weights"),
      ("SUM_OVER_NONZERO_WEIGHTS", "weighted_sum_by_nonzero_weights"),
    ]
    for (name, value) in pairs {
      let named = try definition.make(["reduction": .string(name)])
      let valued = try definition.make(["reduction": .string(value)])
      let byName: Tensor<Float> = try named(yTrue, yPred, sampleWeight: weights)
      let byValue: Tensor<Float> = try valued(yTrue, yPred, sampleWeight: weights)
      #expect(byName.scalars == byValue.scalars, "\(name)")
    }
    // Keras's spelling is not a v1 reduction (TF raises ValueError for "sum").
    #expect(throws: LossError.self) { try definition.make(["reduction": .string("sum")]) }
  }

  @Test func theDefaultDividesByTheNonZeroWeights() throws {
    // Per element 0.5·e² = (0.18, 0.18, 0.08, 0.18), weights (1, 1, 0, 0): 0.36 over the 2
    // present elements, where dividing by all 4 (Keras's mean) gives 0.09.
    let loss = try TFV1.HuberLoss()(yTrue, yPred, sampleWeight: weights)
    #expect(Swift.abs(loss.scalars[0] - 0.18) < 1e-6)
    let batch = try TFV1.HuberLoss(reduction: .sumOverBatchSize)(yTrue, yPred, sampleWeight: weights)
    #expect(Swift.abs(batch.scalars[0] - 0.09) < 1e-6)
  }

  @Test func cosineDistanceRequiresAnAxis() {
    #expect(throws: LossError.invalidParameter(name: "axis", expected: "an integer", got: "nothing (it is required)")) {
      try TFV1.CosineDistance()(yTrue, yPred)
    }
  }
}
