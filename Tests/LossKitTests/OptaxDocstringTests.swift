import Foundation
import LossKit
import Testing

/// Optax's own worked examples: the numbers its docstrings print (optax 0.2.8).
@Suite("Optax docstring examples")
struct OptaxDocstringTests {
  /// `print(x)` after `jnp.set_printoptions(precision: digits)`, or `f"{x:.{digits}f}"`.
  static func printed(_ x: Float, digits: Int) -> String { String(format: "%.\(digits)f", Double(x)) }
  static func printed(_ t: Tensor<Float>, digits: Int) -> [String] { t.scalars.map { printed($0, digits: digits) } }

  @Test func softmaxCrossEntropyDocstring() throws {
    let logits = Tensor<Float>(shape: [2, 3], scalars: [1.2, -0.8, -0.5, 0.9, -1.2, 1.1])
    let labels = Tensor<Float>(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 0])
    #expect(Self.printed(try Optax.SoftmaxCrossEntropy()(labels, logits), digits: 4) == ["0.2761", "2.9518"])
  }

  @Test func softmaxCrossEntropyWithIntegerLabelsDocstrings() throws {
    let logits = Tensor<Float>(shape: [2, 3], scalars: [1.2, -0.8, -0.5, 0.9, -1.2, 1.1])
    let loss = try Optax.SoftmaxCrossEntropyWithIntegerLabels()(Tensor<Int>([0, 1]), logits)
    #expect(Self.printed(loss, digits: 4) == ["0.2761", "2.9518"])
    // shape (1, 2, 3, 4), arange logits, labels = ravel_multi_index(([[1, 2]], [[1, 3]]), (3, 4)).
    let arange = Tensor<Float>(shape: [1, 2, 3, 4], scalars: (0..<24).map(Float.init))
    let flat = Tensor<Int>(shape: [1, 2], scalars: [1 * 4 + 1, 2 * 4 + 3])
    let crossEntropy = try Optax.SoftmaxCrossEntropyWithIntegerLabels(axis: .tuple([2, 3]))(flat, arange)
    #expect(crossEntropy.shape == [1, 2])
    #expect(Self.printed(crossEntropy, digits: 4) == ["6.4587", "0.4587"])
  }

  @Test func tripletMarginLossDocstring() throws {
    let anchors = Tensor<Float>(shape: [2, 2], scalars: [0, 0, 1, 1])
    let positives = Tensor<Float>(shape: [2, 2], scalars: [0.1, 0.1, 1.1, 1.1])
    let negatives = Tensor<Double>(shape: [2, 2], scalars: [1, 0, 0, 1])
    let output = try Optax.TripletMarginLoss(negatives: negatives, margin: 1)(positives, anchors)
    #expect(Self.printed(output, digits: 4) == ["0.1414", "0.1414"])
  }

  @Test func rankingSoftmaxLossDocstrings() throws {
    let scores = Tensor<Float>([2, 1, 3])
    let labels = Tensor<Float>([1, 0, 0])
    let loss = try Optax.RankingSoftmaxLoss().valueWithGradient(labels, scores)
    #expect(Self.printed(loss.loss.scalars[0], digits: 3) == "1.408")
    // print([float(f"{grad:.3f}") for grad in grads])
    #expect(loss.gradient.scalars.map { Double(Self.printed($0, digits: 3))! } == [-0.755, 0.09, 0.665])
    let batch = Tensor<Float>(shape: [2, 3], scalars: [2, 1, 0, 1, 0.5, 1.5])
    let batchLabels = Tensor<Float>(shape: [2, 3], scalars: [1, 0, 0, 0, 0, 1])
    let mask = Tensor<Double>(shape: [2, 3], scalars: [1, 1, 0, 1, 1, 1])
    let masked = try Optax.RankingSoftmaxLoss(where: mask)(batchLabels, batch)
    #expect(Self.printed(masked.scalars[0], digits: 3) == "0.497")
  }

  @Test func ntxentDocstring() throws {
    // The docstring's embeddings (printed there) and its printed loss, 1.0986123.
    let embeddings = Tensor<Float>(shape: [4, 1], scalars: [0.08969027, 1.6291292, 0.8622629, 0.13612625])
    let loss = try Optax.NTXent()(Tensor<Int>([0, 0, 1, 1]), embeddings)
    #expect(loss.scalars == [1.0986123])
  }

  @Test func diceLossDocstringShapes() throws {
    // Binary segmentation: logits[..., None] of shape (2, 2, 1) give a loss of shape (2,).
    let logits = Tensor<Float>(shape: [2, 2, 1], scalars: [1, -1, 0.5, 0.5])
    let targets = Tensor<Float>(shape: [2, 2, 1], scalars: [1, 0, 1, 0])
    #expect(try Optax.DiceLoss()(targets, logits).shape == [2])
    // Multi-class (2, 4, 4, 3) with alpha 0.3, beta 0.7: shape (2,).
    let many = Tensor<Float>(shape: [2, 4, 4, 3], scalars: (0..<96).map { Float(($0 * 37) % 11) / 5 - 1 })
    let oneHot = Tensor<Float>(shape: [2, 4, 4, 3], scalars: (0..<96).map { $0 % 3 == ($0 / 3) % 3 ? 1 : 0 })
    #expect(try Optax.DiceLoss(alpha: 0.3, beta: 0.7)(oneHot, many).shape == [2])
  }

  /// With x64 off, JAX computes float64 arrays in float32; LossKit's float64 is x64 on,
  /// and every optax loss says so in its notes.
  @Test func float64WithoutX64IsInTheNotes() throws {
    for definition in LossRegistry.standard.definitions where definition.framework == .optax {
      #expect(definition.notes.contains { $0.context.contains("jax_enable_x64") }, "\(definition.name)")
    }
  }
}

@Suite("Optax registry")
struct OptaxRegistryTests {
  /// Every public function of `optax.losses` in optax 0.2.8 (`optax/losses/__init__.py`).
  static let publicFunctions = [
    "convex_kl_divergence", "ctc_loss", "ctc_loss_with_forward_probs", "generalized_kl_divergence", "hinge_loss",
    "kl_divergence", "kl_divergence_with_log_targets", "multiclass_hinge_loss", "multiclass_perceptron_loss",
    "multiclass_sparsemax_loss", "perceptron_loss", "poly_loss_cross_entropy", "safe_softmax_cross_entropy",
    "sigmoid_binary_cross_entropy", "sigmoid_focal_loss", "softmax_cross_entropy",
    "softmax_cross_entropy_with_integer_labels", "sparsemax_loss", "make_fenchel_young_loss", "ranking_softmax_loss",
    "cosine_distance", "cosine_similarity", "huber_loss", "l2_loss", "log_cosh", "squared_error", "binary_dice_loss",
    "dice_loss", "multiclass_generalized_dice_loss", "ntxent", "triplet_margin_loss",
  ]

  @Test func everyPublicFunctionIsRegistered() throws {
    let registered = LossRegistry.standard.definitions.filter { $0.framework == .optax }.map(\.name)
    #expect(Set(registered) == Set(Self.publicFunctions))
    #expect(registered.count == Self.publicFunctions.count)
    // `smooth_labels` is a label transform, not a loss: a public function (its values are
    // checked against optax in OptaxExtraOutputTests).
    #expect(try Optax.smoothLabels(Tensor<Float>(shape: [2, 2], scalars: [0, 1, 1, 0]), alpha: 0.2).shape == [2, 2])
  }

  /// `jnp.sum(axis=-1)` reduces the product's own last axis: targets of a higher rank
  /// than the (log-)predictions broadcast them, exactly as if the predictions had been
  /// tiled (optax 0.2.8 gives `softmax_cross_entropy([1, 2, 3], [[.2, .3, .5], [1, 0, 0]])`
  /// = `[1.1076059, 2.407606]`, one loss per label row).
  @Test func targetsOfHigherRankReduceTheirOwnLastAxis() throws {
    let logits = Tensor<Float>([1, 2, 3])
    let tiled = Tensor<Float>(shape: [2, 3], scalars: logits.scalars + logits.scalars)
    let labels = Tensor<Float>(shape: [2, 3], scalars: [0.2, 0.3, 0.5, 1, 0, 0])
    #expect(OptaxDocstringTests.printed(try Optax.SoftmaxCrossEntropy()(labels, logits), digits: 4) == ["1.1076", "2.4076"])
    let losses: [(String, (Tensor<Float>) throws -> Tensor<Float>)] = [
      ("softmax_cross_entropy", { try Optax.SoftmaxCrossEntropy()(labels, $0) }),
      ("poly_loss_cross_entropy", { try Optax.PolyLossCrossEntropy()(labels, $0) }),
      ("kl_divergence", { try Optax.KLDivergence()(labels, $0) }),
      ("kl_divergence_with_log_targets", { try Optax.KLDivergenceWithLogTargets()(labels, $0) }),
      ("generalized_kl_divergence", { try Optax.GeneralizedKLDivergence()(labels, $0) }),
      ("cosine_similarity", { try Optax.CosineSimilarity()(labels, $0) }),
    ]
    for (name, loss) in losses {
      let broadcast = try loss(logits)
      #expect(broadcast.shape == [2], "\(name)")
      #expect(broadcast.scalars == (try loss(tiled)).scalars, "\(name)")
    }
  }

  /// JAX's gradient rules: a tie of `maximum` splits (hinge at the margin), `abs′(0) = 1`.
  @Test func jaxTieAndAbsRules() throws {
    let hinge = try Optax.HingeLoss().valueWithGradient(Tensor<Float>([1, -1]), Tensor<Float>([1, -1]))
    #expect(hinge.gradient.scalars == [-0.5, 0.5])
    #expect(FrameworkPolicy.jax.gradientRules.absAtZero == .positive)
    var t = LossTrace<Float>(policy: .jax)
    let x = t.input(Tensor<Float>([0, -0.0, 2]), name: "x")
    let y = t.abs(x)
    #expect(t.gradient(of: y, withRespectTo: x).scalars == [1, 1, 1])
  }
}
