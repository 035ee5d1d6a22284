extension Optax {
  /// `reduction` of `dice_loss`: over the class axis.
  public enum DiceReduction: String, Sendable, ParameterChoice {
    case mean
    case sum
    case none
  }

  /// `optax.losses.dice_loss(predictions, targets, *, class_weights=None, smooth=1.,
  /// alpha=0.5, beta=0.5, apply_softmax=True, reduction="mean", ignore_background=False,
  /// axis=None)`: the Tversky-generalised soft Dice loss per class,
  /// `1 − (I + s)/(I + α·(P − I) + β·(T − I) + s)` with `I = Σ p·t`, `P = Σ p`,
  /// `T = Σ t` over `axis` (None: every axis but the first and the last), `p` the
  /// softmax of the logits (the sigmoid for one channel), then class weights, the
  /// background dropped, and `reduction` over the class axis.
  public struct DiceLoss: DeclaredLoss {
    public var classWeights: Tensor<Double>?
    public var smooth = 1.0
    public var alpha = 0.5
    public var beta = 0.5
    public var applySoftmax = true
    public var reduction: DiceReduction = .mean
    public var ignoreBackground = false
    /// The axes summed over; `.all` (null) is optax's `None`: every axis but the first
    /// and the last.
    public var axis: Axes = .all

    public init() {}
    public init(
      classWeights: Tensor<Double>? = nil, smooth: Double = 1, alpha: Double = 0.5, beta: Double = 0.5,
      applySoftmax: Bool = true, reduction: DiceReduction = .mean, ignoreBackground: Bool = false, axis: Axes = .all
    ) {
      self.classWeights = classWeights
      self.smooth = smooth
      self.alpha = alpha
      self.beta = beta
      self.applySoftmax = applySoftmax
      self.reduction = reduction
      self.ignoreBackground = ignoreBackground
      self.axis = axis
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "dice_loss", summary: "soft (Tversky) Dice loss per class, reduced over classes",
      parameters: [
        LossParameter("class_weights", \.classWeights, "per-class weights, rank 1"),
        LossParameter("smooth", \.smooth, "added to numerator and denominator"),
        LossParameter("alpha", \.alpha, "weight of false positives"),
        LossParameter("beta", \.beta, "weight of false negatives"),
        LossParameter("apply_softmax", \.applySoftmax, "softmax (sigmoid for one channel) the logits first"),
        LossParameter("reduction", \.reduction, "over the class axis"),
        LossParameter("ignore_background", \.ignoreBackground, "drop class 0"),
        LossParameter("axis", \.axis, "axes summed over (null: all but the first and the last)"),
      ],
      inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("apply_softmax=False", "predictions must sum to 1 over the class axis (allclose, rtol 1e-5), or optax raises")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      return try Self.dice(
        &t, predictions, targets, classWeights: classWeights.map { t.constant($0.converted() as Tensor<S>, name: "class_weights") },
        smooth: smooth, alpha: alpha, beta: beta, applySoftmax: applySoftmax, reduction: reduction,
        ignoreBackground: ignoreBackground, axis: axis)
    }

    static func dice<S: LossScalar>(
      _ t: inout LossTrace<S>, _ input: LossTrace<S>.Value, _ target: LossTrace<S>.Value, classWeights: LossTrace<S>.Value?,
      smooth: Double, alpha: Double, beta: Double, applySoftmax: Bool, reduction: DiceReduction, ignoreBackground: Bool,
      axis: Axes
    ) throws -> LossTrace<S>.Value {
      var predictions = input, targets = target
      if t.shape(predictions).count == t.shape(targets).count - 1 {
        predictions = t.reshape(predictions, to: t.shape(predictions) + [1])
      }
      if t.shape(targets).count == t.shape(predictions).count - 1 {
        targets = t.reshape(targets, to: t.shape(targets) + [1])
      }
      try Shape.requireSame(t.shape(targets), "targets", as: t.shape(predictions), "predictions")
      let shape = t.shape(predictions)
      guard !shape.isEmpty else {
        throw LossError.shapeMismatch(argument: "predictions", expected: "rank at least 1", got: "a scalar")
      }
      let last = shape.count - 1
      if !applySoftmax {
        // jnp.allclose(sum(p, -1), 1.0, rtol=1e-5): |s − 1| ≤ 1e-8 + 1e-5.
        let summed = t.sum(predictions, axis: last)
        let sums = t[summed]
        let tolerance = S(1e-8) + S(1e-5) * 1
        if let bad = sums.scalars.first(where: { !(Swift.abs($0 - 1) <= tolerance) }) {
          throw LossError.invalidValue(
            argument: "predictions", expected: "probability distributions summing to 1 along the class axis (apply_softmax=False)",
            got: "a sum of \(bad)")
        }
      }
      var probabilities = predictions
      if applySoftmax {
        probabilities = try t.step(.activation, shape[last] == 1 ? "sigmoid" : "softmax over the class axis") { t in
          shape[last] == 1 ? JAXOps.sigmoid(&t, predictions) : try JAXOps.softmax(&t, predictions, axes: [last])
        }
      }
      let axes: [Int]
      switch axis {
      case .all: axes = shape.count > 2 ? Array(1..<last) : []
      case .axes: axes = try axis.resolved(rank: shape.count)
      }
      func total(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value) -> LossTrace<S>.Value {
        axes.isEmpty ? x : t.reduce(.sum, x, axes: axes)
      }
      var dice = try t.step(.elementwiseLoss, "1 − (I + s)/(I + α·(P − I) + β·(T − I) + s)", [
        .number("smooth", smooth), .number("alpha", alpha), .number("beta", beta),
      ]) { t in
        let intersection = total(&t, try t.multiply(probabilities, targets))
        let predictedSum = total(&t, probabilities)
        let targetSum = total(&t, targets)
        let numerator = t.add(intersection, S(smooth))
        let falsePositives = t.multiply(try t.subtract(predictedSum, intersection), S(alpha))
        let falseNegatives = t.multiply(try t.subtract(targetSum, intersection), S(beta))
        let denominator = t.add(try t.add(try t.add(intersection, falsePositives), falseNegatives), S(smooth))
        return t.subtract(1, try t.divide(numerator, denominator))
      }
      if let classWeights {
        guard t.shape(classWeights).count == 1 else {
          throw LossError.shapeMismatch(argument: "class_weights", expected: "rank 1", got: Shape.describe(t.shape(classWeights)))
        }
        dice = try t.step(.classWeights, "× class_weights") { t in try t.multiply(dice, classWeights, argument: "class_weights") }
      }
      let diceShape = t.shape(dice)
      guard !diceShape.isEmpty else {
        throw LossError.invalidParameter(name: "axis", expected: "axes that leave the class axis", got: "\(axis.parameterValue)")
      }
      if ignoreBackground && shape[last] > 1 {
        dice = t.step(.mask, "drop the background class") { t in
          let width = diceShape[diceShape.count - 1]
          let rows = t[dice].count / width
          let indices = (0..<rows).flatMap { r in (1..<width).map { r * width + $0 } }
          return t.gather(dice, indices: indices, shape: Array(diceShape.dropLast()) + [width - 1])
        }
      }
      return t.step(.reduction, "\(reduction.rawValue) over the class axis") { t in
        let classAxis = t.shape(dice).count - 1
        switch reduction {
        case .mean: return t.mean(dice, axis: classAxis)
        case .sum: return t.sum(dice, axis: classAxis)
        case .none: return dice
        }
      }
    }
  }

  /// `optax.losses.binary_dice_loss(predictions, targets, *, smooth=1.,
  /// apply_sigmoid=True)`: `dice_loss` with one channel (added when the last dimension is
  /// not 1) and `reduction="mean"`. With `apply_sigmoid=False` optax's probability check
  /// requires every prediction to be 1 (a one-channel "distribution").
  public struct BinaryDiceLoss: DeclaredLoss {
    public var smooth = 1.0
    public var applySigmoid = true

    public init() {}
    public init(smooth: Double = 1, applySigmoid: Bool = true) {
      self.smooth = smooth
      self.applySigmoid = applySigmoid
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "binary_dice_loss", summary: "soft Dice loss of one-channel logits",
      parameters: [
        LossParameter("smooth", \.smooth, "added to numerator and denominator"),
        LossParameter("apply_sigmoid", \.applySigmoid, "sigmoid the logits first"),
      ],
      inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("apply_sigmoid=False", "optax's sum-to-one check runs over the single channel: any prediction ≠ 1 raises")
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      var (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let shape = t.shape(predictions)
      if shape.count == t.shape(targets).count, shape.last != 1 {
        predictions = t.reshape(predictions, to: shape + [1])
        targets = t.reshape(targets, to: t.shape(targets) + [1])
      }
      return try DiceLoss.dice(
        &t, predictions, targets, classWeights: nil, smooth: smooth, alpha: 0.5, beta: 0.5, applySoftmax: applySigmoid,
        reduction: .mean, ignoreBackground: false, axis: .all)
    }
  }

  /// `optax.losses.multiclass_generalized_dice_loss(predictions, targets, *, smooth=1.,
  /// apply_softmax=True, ignore_background=False)`: `dice_loss` per class with weights
  /// `1/(f² + 1e-7)` of the class frequencies `f` (normalised to sum to C), averaged
  /// over batch and classes: a scalar.
  public struct MulticlassGeneralizedDiceLoss: DeclaredLoss {
    public var smooth = 1.0
    public var applySoftmax = true
    public var ignoreBackground = false

    public init() {}
    public init(smooth: Double = 1, applySoftmax: Bool = true, ignoreBackground: Bool = false) {
      self.smooth = smooth
      self.applySoftmax = applySoftmax
      self.ignoreBackground = ignoreBackground
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "multiclass_generalized_dice_loss", summary: "Dice loss with inverse squared class-frequency weights, a scalar",
      parameters: [
        LossParameter("smooth", \.smooth, "added to numerator and denominator"),
        LossParameter("apply_softmax", \.applySoftmax, "softmax the logits first"),
        LossParameter("ignore_background", \.ignoreBackground, "drop class 0"),
      ],
      inputNames: Optax.predictionsAndTargets, acceptsSampleWeight: false, notes: Optax.commonNotes, ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targets, predictions) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      try Shape.requireSame(t.shape(targets), "targets", as: t.shape(predictions), "predictions")
      let rank = t.shape(targets).count
      guard rank >= 1 else { throw LossError.shapeMismatch(argument: "targets", expected: "rank at least 1", got: "a scalar") }
      let weights = try t.step(.classWeights, "w = 1/(f² + 1e-7), normalised to sum to C") { t in
        let frequencies = rank > 1 ? t.reduce(.sum, targets, axes: Array(0..<(rank - 1))) : targets
        let raw = try t.divide(t.constant(S(1)), t.add(t.unary(.square, frequencies), S(1e-7)))
        let classes = t.shape(raw)[0]
        return try t.multiply(t.divide(raw, t.sum(raw)), t.constant(S(classes)))
      }
      let dice = try DiceLoss.dice(
        &t, predictions, targets, classWeights: weights, smooth: smooth, alpha: 0.5, beta: 0.5, applySoftmax: applySoftmax,
        reduction: .none, ignoreBackground: ignoreBackground, axis: .all)
      return t.step(.reduction, "mean over everything") { t in t.mean(dice) }
    }
  }
}
