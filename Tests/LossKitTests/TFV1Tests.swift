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
    // Keras's spelling is not a v1 reduction (TF raises ValueError for "sum"; corpus case
    // tf_v1/huber_loss/err-reduction-sum-62 maps it to invalid_parameter on reduction).
    let choices = TFV1.Reduction.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    #expect(throws: LossError.invalidParameter(name: "reduction", expected: "one of \(choices)", got: "\"sum\"")) {
      try definition.make(["reduction": .string("sum")])
    }
  }

  @Test func theDefaultDividesByTheNonZeroWeights() throws {
    // Weights (1, 1, 0, 0) after broadcasting: the default divides by the 2 present
    // elements, sum_over_batch_size by all 4 (Keras's mean). TF 2.21.0's
    // tf.compat.v1.losses.huber_loss gives float32 0.18000000715255737 and
    // 0.09000000357627869 for these inputs (tf_v1/huber_loss/row-weights-default-63 and
    // row-weights-weighted_sum_over_batch_size-64 in the corpus).
    let loss = try TFV1.HuberLoss()(yTrue, yPred, sampleWeight: weights)
    #expect(Swift.abs(loss.scalars[0] - 0.18) < 1e-6)
    #expect(loss.scalars == [Float(0.18000000715255737)])
    let batch = try TFV1.HuberLoss(reduction: .sumOverBatchSize)(yTrue, yPred, sampleWeight: weights)
    #expect(Swift.abs(batch.scalars[0] - 0.09) < 1e-6)
    #expect(batch.scalars == [Float(0.09000000357627869)])
  }

  @Test func cosineDistanceRequiresAnAxis() {
    #expect(throws: LossError.invalidParameter(name: "axis", expected: "an integer", got: "nothing (it is required)")) {
      try TFV1.CosineDistance()(yTrue, yPred)
    }
  }
}
