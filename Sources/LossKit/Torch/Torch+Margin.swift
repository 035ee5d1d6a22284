extension Torch {
  /// `input1` as `y_pred`, `target` as `y_true`: the two-input ranking and embedding losses.
  static let input1AndTarget = InputNames(yTrue: "target", yPred: "input1")

  /// `torch.nn.MarginRankingLoss`: `clamp_min(−y·(x1 − x2) + margin, 0)` (ATen's composite);
  /// `clamp_min` gives no gradient exactly at the margin. `forward(input1, input2,
  /// target)`: `input1` is `y_pred`, `input2` a parameter; all three must have the same
  /// number of dimensions.
  public struct MarginRankingLoss: TorchReducedLoss {
    public var margin: Double = 0
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean
    /// `forward`'s `input2`: required.
    public var input2: Tensor<Double>? = nil

    public init() {}
    public init(margin: Double = 0, reduction: Reduction = .mean, input2: Tensor<Double>? = nil) {
      (self.margin, self.reduction, self.input2) = (margin, reduction, input2)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "MarginRankingLoss", summary: "max(0, −y·(x1 − x2) + margin); y_pred = input1, param input2",
      parameters: [LossParameter("margin", \.margin, "margin")] + reductionParameters
        + [LossParameter(required: "input2", \.input2, "forward's second input (no gradient is reported for it)")],
      inputNames: input1AndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input1) = try Torch.recordInputs(&t, inputs, input1AndTarget)
      let x2: Tensor<S> = Torch.tensor(try Torch.required(input2, "input2"))
      let (r1, r2, rt) = (t.shape(input1).count, x2.rank, t.shape(target).count)
      guard r1 == r2, r1 == rt else {
        throw LossError.shapeMismatch(
          argument: r1 != r2 ? "input2" : "target", expected: "the same number of dimensions as input1 (\(r1))",
          got: "\(r1 != r2 ? r2 : rt) dimensions")
      }
      let loss = try t.step(.elementwiseLoss, "clamp_min(−y·(x1 − x2) + margin, 0)", [.number("margin", margin)]) { t in
        let negTarget = t.constant(t[target].map { -$0 }, name: "-target")
        let difference = try t.subtract(input1, t.constant(x2, name: "input2"), argument: "input2")
        let scaled = try t.multiply(negTarget, difference, argument: "target")
        return t.clamp(t.add(scaled, S(margin)), lower: 0, upper: nil)
      }
      return Torch.applyReduction(&t, loss, effectiveReduction)
    }
  }

  /// `torch.nn.HingeEmbeddingLoss`: `where(y ≠ 1, clamp_min(margin − x, 0), 0) +
  /// where(y ≠ −1, x, 0)` (ATen's composite; a target neither 1 nor −1 gets both terms).
  public struct HingeEmbeddingLoss: TorchReducedLoss {
    public var margin: Double = 1
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean

    public init() {}
    public init(margin: Double = 1, reduction: Reduction = .mean) { (self.margin, self.reduction) = (margin, reduction) }

    public static let declaration = LossDeclaration<Self>(
      .torch, "HingeEmbeddingLoss", summary: "x if y = 1, max(0, margin − x) if y = −1 (both terms otherwise)",
      parameters: [LossParameter("margin", \.margin, "margin")] + reductionParameters,
      inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let loss = try t.step(.elementwiseLoss, "where(y ≠ 1, clamp_min(margin − x, 0), 0) + where(y ≠ −1, x, 0)") { t in
        let y = t[target]
        let zeros = t.constant(Tensor(repeating: 0, shape: t.shape(input)), name: "zeros_like(input)")
        let marginClamp = t.clamp(t.subtract(S(margin), input), lower: 0, upper: nil)
        let outputMargin = try t.select(y.map { $0 != 1 }, marginClamp, zeros)
        let outputSelf = try t.select(y.map { $0 != -1 }, input, zeros)
        return try t.add(outputMargin, outputSelf)
      }
      return Torch.applyReduction(&t, loss, effectiveReduction)
    }
  }

  /// `torch.nn.CosineEmbeddingLoss`: with `cos = Σx1·x2 / sqrt((Σx1² + ε)·(Σx2² + ε))`
  /// over dim 1 (ε = 1e-12 as a float32 constant, also in float64), the loss is
  /// `1 − cos` where `y = 1`, `clamp_min(cos − margin, 0)` where `y = −1`, 0 otherwise
  /// (ATen's composite). Inputs `(N, D)` with target `(N,)`, or `(D,)` with a scalar.
  public struct CosineEmbeddingLoss: TorchReducedLoss {
    public var margin: Double = 0
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean
    /// `forward`'s `input2`: required.
    public var input2: Tensor<Double>? = nil

    public init() {}
    public init(margin: Double = 0, reduction: Reduction = .mean, input2: Tensor<Double>? = nil) {
      (self.margin, self.reduction, self.input2) = (margin, reduction, input2)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "CosineEmbeddingLoss", summary: "1 − cos(x1, x2) if y = 1, max(0, cos − margin) if y = −1; y_pred = input1, param input2",
      parameters: [LossParameter("margin", \.margin, "margin for dissimilar pairs")] + reductionParameters
        + [LossParameter(required: "input2", \.input2, "forward's second input (no gradient is reported for it)")],
      inputNames: input1AndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input1) = try Torch.recordInputs(&t, inputs, input1AndTarget)
      let x2: Tensor<S> = Torch.tensor(try Torch.required(input2, "input2"))
      let targetRank = t.shape(target).count
      guard targetRank <= 1 else {
        throw LossError.shapeMismatch(argument: "target", expected: "a 0-D or 1-D target", got: Shape.describe(t.shape(target)))
      }
      let inputRank = targetRank == 1 ? 2 : 1
      guard t.shape(input1).count == inputRank, x2.rank == inputRank else {
        throw LossError.shapeMismatch(
          argument: t.shape(input1).count != inputRank ? "input1" : "input2",
          expected: "\(inputRank)-D inputs for a \(targetRank)-D target",
          got: "\(Shape.describe(t.shape(input1))) and \(Shape.describe(x2.shape))")
      }
      let epsilon = S(Float(1e-12))
      let loss = try t.step(.elementwiseLoss, "cosine similarity along dim \(targetRank), then the margin terms") { t in
        let other = t.constant(x2, name: "input2")
        let productSum = t.sum(try t.multiply(input1, other, argument: "input2"), axis: targetRank)
        let square1 = t.add(t.sum(try t.multiply(input1, input1), axis: targetRank), epsilon)
        let square2 = t.add(t.sum(try t.multiply(other, other), axis: targetRank), epsilon)
        let denominator = t.unary(.sqrt, try t.multiply(square1, square2, argument: "input2"))
        let cosine = try t.divide(productSum, denominator)
        let zeros = t.constant(Tensor(repeating: 0, shape: t.shape(cosine)), name: "zeros_like(cos)")
        let positive = t.subtract(1, cosine)
        let negative = t.clamp(t.add(cosine, S(-margin)), lower: 0, upper: nil)
        let y = t[target]
        let outputPositive = try t.select(y.map { $0 == 1 }, positive, zeros)
        let outputNegative = try t.select(y.map { $0 == -1 }, negative, zeros)
        return try t.add(outputPositive, outputNegative)
      }
      return Torch.applyReduction(&t, loss, effectiveReduction)
    }
  }
}
