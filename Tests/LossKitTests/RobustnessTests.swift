import LossKit
import LossKitTestSupport
import Testing

/// Degenerate and mismatched inputs through every loss: each must either compute or
/// throw a `LossError` — a trap here would take the whole test process down.
@Suite("Every loss survives degenerate inputs")
struct RobustnessTests {
  static let shapes: [[Int]] = [[], [0], [3], [0, 3], [3, 0], [2, 1], [1, 2], [2, 3], [3, 2], [2, 3, 4], [2, 0, 3], [1, 1, 1, 1]]

  static let parameterVariants: [ParameterList] = [
    [:], ["axis": .int(0)], ["axis": .int(-3)], ["axis": .int(7)], ["from_logits": .bool(true)],
    ["ignore_class": .int(-1)], ["ignore_class": .int(0)], ["label_smoothing": .float(0.3)],
    ["reduction": .string("none")], ["reduction": .string("sum")], ["pos_weight": .tensor(Tensor([1, 2, 3]))],
    ["pos_weight": .float(2)],
    // Required tensors of optax's CTC (for (2, 3, 4) logits and (2, 3) labels) and triplet loss.
    ["logit_paddings": .tensor(Tensor(repeating: 0, shape: [2, 3])), "label_paddings": .tensor(Tensor(repeating: 0, shape: [2, 3]))],
    ["negatives": .tensor(Tensor([0.5, -1, 2]))],
    ["where": .tensor(Tensor([1, 0, 1]))], ["where": .tensor(Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 0, 0]))],
    ["axis": .tensor(Tensor([0, 1]))], ["axis": .tensor(Tensor([-1, 0]))], ["axis": .null],
    ["class_weights": .tensor(Tensor([1, 2, 3]))], ["reduce_fn": .null], ["norm_degree": .int(3)],
    ["ignore_background": .bool(true), "apply_softmax": .bool(false)],
  ]

  @Test(arguments: LossRegistry.standard.definitions.map(\.qualifiedName))
  func noTrapOnAnyShapeCombination(_ name: String) throws {
    let registry = LossRegistry.standard
    let definition = try #require(registry.definitions.first { $0.qualifiedName == name })
    var rng = SplitMix64(seed: 0xB0B)
    var computed = 0
    for trueShape in Self.shapes {
      for predShape in Self.shapes {
        for (index, parameters) in Self.parameterVariants.enumerated() {
          var known = ParameterList(parameters.filter { given in definition.parameters.contains { $0.name == given.name } })
          // Required tensor arguments of forward (torch's input2, var, positive, negative,
          // input/target lengths) get a tensor shaped like y_pred (lengths: one per
          // sequence of a (T, N, C) y_pred, each 1) unless the variant gives them.
          for parameter in definition.parameters
          where parameter.defaultValue == nil && parameter.expectation.contains("tensor") && known[parameter.name] == nil {
            if parameter.name.hasSuffix("_lengths") {
              let sequences = predShape.count == 3 ? predShape[1] : 1
              known[parameter.name] = .tensor(Tensor(repeating: 1, shape: predShape.count == 3 ? [sequences] : []))
            } else {
              known[parameter.name] = .tensor(Tensor(shape: predShape, scalars: (0..<predShape.reduce(1, *)).map { Double($0 % 3) + 0.5 }))
            }
          }
          // One sample-weight shape per combination, rotating through the kinds.
          let weightShapes: [[Int]?] = [nil, [], [2], predShape]
          do {
            let weightShape = definition.acceptsSampleWeight ? weightShapes[index % weightShapes.count] : nil
            // Every other variant draws binary labels and predictions in (0, 1], so that
            // losses with a domain (probabilities, positive predictions) compute too.
            let inDomain = index % 2 == 1
            func tensor(_ shape: [Int], labels: Bool) -> Tensor<Double> {
              let count = shape.reduce(1, *)
              return Tensor(
                shape: shape,
                scalars: (0..<count).map { _ in
                  labels
                    ? Double(Int.random(in: inDomain ? 0...1 : -1...3, using: &rng))
                    : Double.random(in: inDomain ? 0.05...1 : -2...2, using: &rng)
                })
            }
            let request = LossRequest(
              framework: definition.framework, loss: definition.name, parameters: known,
              yTrue: tensor(trueShape, labels: true), yPred: tensor(predShape, labels: false),
              sampleWeight: weightShape.map { tensor($0, labels: false) }, dtype: .float32)
            do {
              let result = try registry.evaluate(request)
              #expect(result.gradient.shape == predShape)
              computed += 1
            } catch is LossError {
              // Rejected with a message: fine.
            }
          }
        }
      }
    }
    #expect(computed > 0)
  }
}
