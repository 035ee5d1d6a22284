extension Torch {
  /// `anchor` as `y_pred`; the triplet losses take no target (`y_true` is empty).
  static let anchorInputs = InputNames(yTrue: "target", yPred: "anchor")

  /// The shared body of the two triplet losses: `clamp_min(margin + d(a, p) − d(a, n), 0)`
  /// with `d = pairwise_distance(·, ·, p, eps)` and, with `swap`, `d(a, n)` replaced by
  /// `minimum(d(a, n), d(p, n))` (a tie splits the gradient).
  static func tripletMargin<S: LossScalar>(
    _ t: inout LossTrace<S>, _ inputs: LossInputs<S>, positive: Tensor<Double>?, negative: Tensor<Double>?,
    margin: Double, p: Double, eps: Double, swap: Bool, reduction: Reduction
  ) throws -> LossTrace<S>.Value {
    guard inputs.yTrue.count == 0 else {
      throw LossError.invalidValue(
        argument: "target", expected: "an empty y_true (the triplet losses take anchor, positive and negative only)",
        got: "a tensor of shape \(Shape.describe(inputs.yTrue.shape))")
    }
    let (_, anchor) = try recordInputs(&t, inputs, anchorInputs)
    let positive: Tensor<S> = tensor(try required(positive, "positive"))
    let negative: Tensor<S> = tensor(try required(negative, "negative"))
    let (a, pr, n) = (t.shape(anchor).count, positive.rank, negative.rank)
    guard a == pr, pr == n else {
      throw LossError.shapeMismatch(
        argument: a != pr ? "positive" : "negative",
        expected: "the same number of dimensions as anchor (\(a))", got: "\(a != pr ? pr : n) dimensions")
    }
    guard a >= 1 else {
      throw LossError.shapeMismatch(argument: "anchor", expected: "at least one dimension (the embedding)", got: "()")
    }
    let loss = try t.step(.elementwiseLoss, "clamp_min(margin + d(a, p) − d(a, n), 0)", [
      .number("margin", margin), .number("p", p), .number("eps", eps), .flag("swap", swap),
    ]) { t in
      let pos = t.constant(positive, name: "positive")
      let neg = t.constant(negative, name: "negative")
      let distancePositive = try TorchKernels.pairwiseDistance(&t, anchor, pos, p: p, eps: eps, argument: "positive")
      var distanceNegative = try TorchKernels.pairwiseDistance(&t, anchor, neg, p: p, eps: eps, argument: "negative")
      if swap {
        let distanceSwap = try TorchKernels.pairwiseDistance(&t, pos, neg, p: p, eps: eps, argument: "negative")
        distanceNegative = try t.binary(.minimum, distanceNegative, distanceSwap, argument: "negative")
      }
      let shifted = try t.subtract(t.add(distancePositive, S(margin)), distanceNegative, argument: "negative")
      return t.clamp(shifted, lower: 0, upper: nil)
    }
    return applyReduction(&t, loss, reduction)
  }

  /// `torch.nn.TripletMarginLoss`: `max(0, margin + ‖a − p + eps‖_p − ‖a − n + eps‖_p)`
  /// over the last dimension (ATen's `triplet_margin_loss`). `forward(anchor, positive,
  /// negative)`: `anchor` is `y_pred`, `positive` and `negative` are parameters, `y_true`
  /// is empty. `margin` must be > 0.
  public struct TripletMarginLoss: TorchReducedLoss {
    public var margin: Double = 1
    public var p: Double = 2
    public var eps: Double = 1e-6
    public var swap = false
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean
    public var positive: Tensor<Double>? = nil
    public var negative: Tensor<Double>? = nil

    public init() {}
    public init(
      margin: Double = 1, p: Double = 2, eps: Double = 1e-6, swap: Bool = false, reduction: Reduction = .mean,
      positive: Tensor<Double>? = nil, negative: Tensor<Double>? = nil
    ) {
      (self.margin, self.p, self.eps, self.swap, self.reduction) = (margin, p, eps, swap, reduction)
      (self.positive, self.negative) = (positive, negative)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "TripletMarginLoss", summary: "max(0, margin + ‖a − p + eps‖ − ‖a − n + eps‖); y_pred = anchor, y_true empty",
      parameters: [
        LossParameter("margin", \.margin, "margin", .greaterThan(0)),
        LossParameter("p", \.p, "norm degree of the pairwise distance"),
        LossParameter("eps", \.eps, "added to the difference inside the norm"),
        LossParameter("swap", \.swap, "use min(d(a, n), d(p, n)) as the negative distance"),
      ] + reductionParameters + [
        LossParameter(required: "positive", \.positive, "forward's positive examples"),
        LossParameter(required: "negative", \.negative, "forward's negative examples"),
      ], inputNames: anchorInputs, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Torch.tripletMargin(
        &t, inputs, positive: positive, negative: negative, margin: margin, p: p, eps: eps, swap: swap,
        reduction: effectiveReduction)
    }
  }

  /// `torch.nn.TripletMarginWithDistanceLoss` with the default distance
  /// (`torch.pairwise_distance`, p = 2, eps = 1e-6): the same as `TripletMarginLoss` with
  /// those settings (`F.triplet_margin_with_distance_loss`, in Python).
  public struct TripletMarginWithDistanceLoss: DeclaredLoss {
    public var margin: Double = 1
    public var swap = false
    public var reduction: Reduction = .mean
    public var positive: Tensor<Double>? = nil
    public var negative: Tensor<Double>? = nil

    public init() {}
    public init(
      margin: Double = 1, swap: Bool = false, reduction: Reduction = .mean, positive: Tensor<Double>? = nil,
      negative: Tensor<Double>? = nil
    ) {
      (self.margin, self.swap, self.reduction, self.positive, self.negative) = (margin, swap, reduction, positive, negative)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "TripletMarginWithDistanceLoss",
      summary: "triplet margin loss with the default distance pairwise_distance (p = 2, eps = 1e-6); y_pred = anchor",
      parameters: [
        LossParameter("margin", \.margin, "margin", .greaterThan(0)),
        LossParameter("swap", \.swap, "use min(d(a, n), d(p, n)) as the negative distance"),
        Torch.reductionOnly(\.reduction),
        LossParameter(required: "positive", \.positive, "forward's positive examples"),
        LossParameter(required: "negative", \.negative, "forward's negative examples"),
      ], inputNames: anchorInputs, acceptsSampleWeight: false,
      notes: [ConventionNote("distance_function", "only the default (pairwise_distance) is implemented; a custom callable cannot be given")])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      try Torch.tripletMargin(
        &t, inputs, positive: positive, negative: negative, margin: margin, p: 2, eps: 1e-6, swap: swap, reduction: reduction)
    }
  }
}
