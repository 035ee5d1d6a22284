extension Torch {
  /// `torch.nn.PoissonNLLLoss`: `exp(x) − y·x` (`log_input`) or `x − y·log(x + eps)`,
  /// plus the Stirling term `y·log y − y + ½·log(2π·y)` where `y > 1` when `full`
  /// (ATen's composite `poisson_nll_loss`), then the reduction.
  public struct PoissonNLLLoss: TorchReducedLoss {
    public var logInput = true
    public var full = false
    public var sizeAverage: Bool? = nil
    public var eps: Double = 1e-8
    public var reduce: Bool? = nil
    public var reduction: Reduction = .mean

    public init() {}
    public init(logInput: Bool = true, full: Bool = false, eps: Double = 1e-8, reduction: Reduction = .mean) {
      (self.logInput, self.full, self.eps, self.reduction) = (logInput, full, eps, reduction)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "PoissonNLLLoss", summary: "exp(x) − y·x (log_input) or x − y·log(x + eps); + Stirling term if full",
      parameters: [
        LossParameter("log_input", \.logInput, "input is log(λ) (true) or λ (false)"),
        LossParameter("full", \.full, "add the Stirling approximation of log(y!) where y > 1"),
        LossParameter("eps", \.eps, "added inside the log when log_input is false"),
      ] + reductionParameters,
      inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      var loss = try t.step(.elementwiseLoss, logInput ? "exp(x) − y·x" : "x − y·log(x + eps)") { t in
        if logInput { return try t.subtract(t.exp(input), t.multiply(target, input, argument: "target")) }
        let logged = t.log(t.add(input, S(eps)))
        return try t.subtract(input, t.multiply(target, logged, argument: "target"))
      }
      if full {
        loss = try t.step("stirling-term", "+ y·log y − y + ½·log(2π·y) where y > 1") { t in
          let y = t[target]
          let twoPi = S(2 * Double.pi)
          let stirling = y.map { v -> S in
            v <= 1 ? 0 : v * S.log(v) - v + S(0.5) * S.log(twoPi * v)
          }
          return try t.add(loss, t.constant(stirling, name: "stirling term"), argument: "target")
        }
      }
      return Torch.applyReduction(&t, loss, effectiveReduction)
    }
  }

  /// The `var` argument of `GaussianNLLLoss.forward`: a tensor, or a Python float that
  /// is expanded to the input's shape.
  public enum Variance: Sendable, Equatable, ParameterConvertible {
    case scalar(Double)
    case tensor(Tensor<Double>)

    public init?(parameterValue: ParameterValue) {
      switch parameterValue {
      case .float(let v): self = .scalar(v)
      case .int(let v): self = .scalar(Double(v))
      case .tensor(let v): self = .tensor(v)
      default: return nil
      }
    }
    public var parameterValue: ParameterValue {
      switch self {
      case .scalar(let v): .float(v)
      case .tensor(let v): .tensor(v)
      }
    }
    public static var parameterExpectation: String { "a tensor or a number" }
  }

  /// `torch.nn.GaussianNLLLoss`: `½·(log v + (x − y)² / v)` (+ `½·log 2π` when `full`),
  /// with `v = max(var, eps)` clamped without gradient (`F.gaussian_nll_loss`). `var`
  /// matches the input's shape, lacks its last dimension, or differs in exactly one
  /// dimension of size 1; a negative entry is an error.
  public struct GaussianNLLLoss: DeclaredLoss {
    public var full = false
    public var eps: Double = 1e-6
    public var reduction: Reduction = .mean
    /// `forward(input, target, var)`: required.
    public var variance: Variance? = nil

    public init() {}
    public init(full: Bool = false, eps: Double = 1e-6, reduction: Reduction = .mean, variance: Variance? = nil) {
      (self.full, self.eps, self.reduction, self.variance) = (full, eps, reduction, variance)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "GaussianNLLLoss", summary: "½(log v + (x − y)²/v), v = max(var, eps) without gradient",
      parameters: [
        LossParameter("full", \.full, "add the constant ½·log(2π)"),
        LossParameter("eps", \.eps, "lower clamp of var (no gradient through it)"),
        Torch.reductionOnly(\.reduction),
        LossParameter(required: "var", \.variance, "forward's var: variances, one per expectation or broadcast"),
      ], inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let inputShape = t.shape(input)
      var v: Tensor<S>
      switch try variance.unwrapped(parameter: "var") {
      case .scalar(let value):
        guard value >= 0 else { throw LossError.invalidValue(argument: "var", expected: "no negative entries", got: "\(value)") }
        v = Tensor(repeating: S(value), shape: inputShape)
      case .tensor(let value):
        v = Torch.tensor(value)
        if let negative = v.scalars.first(where: { $0 < 0 }) {
          throw LossError.invalidValue(argument: "var", expected: "no negative entries", got: "\(negative)")
        }
        if v.shape != inputShape {
          if Array(inputShape.dropLast()) == v.shape && !inputShape.isEmpty {
            v = v.reshaped(to: v.shape + [1])
          } else if v.rank == inputShape.count,
            zip(inputShape, v.shape).reduce(0, { $0 + ($1.0 != $1.1 ? $1.1 : 0) }) == 1
          {
            // One mismatched dimension, of size 1 in var.
          } else {
            throw LossError.shapeMismatch(
              argument: "var", expected: "input's shape \(Shape.describe(inputShape)), or it without the last dimension, or one dimension of size 1",
              got: Shape.describe(v.shape))
          }
        }
      }
      let eps = S(self.eps)
      let clamped = v.map { $0.isNaN ? $0 : Swift.max($0, eps) }
      var loss = try t.step(.elementwiseLoss, "½·(log v + (x − y)² / v)", [.number("eps", self.eps)]) { t in
        let variance = t.constant(clamped, name: "var (clamped to eps, no grad)")
        let squared = t.unary(.square, try t.subtract(input, target, argument: "target"))
        let sum = try t.add(t.log(variance), t.divide(squared, variance, argument: "var"), argument: "var")
        return t.multiply(sum, S(0.5))
      }
      if full { loss = t.add(loss, S(0.5 * Double.log(2 * Double.pi))) }
      return Torch.applyReduction(&t, loss, reduction)
    }
  }

  /// `reduction` of `KLDivLoss`, which adds `'batchmean'`.
  public enum KLDivReduction: String, Sendable, Hashable, ParameterChoice {
    case none, batchmean, sum, mean
    public static var aliases: [String: KLDivReduction] { ["elementwise_mean": .mean] }
  }

  /// `torch.nn.KLDivLoss`: `xlogy(y, y) − y·x` (`input` is log-probabilities), or
  /// `exp(y)·(y − x)` with `log_target`, then the reduction; `batchmean` is the sum
  /// divided by `input.size(0)` (in Python, after the kernel), `mean` divides by the
  /// element count.
  public struct KLDivLoss: DeclaredLoss {
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var reduction: KLDivReduction = .mean
    public var logTarget = false

    public init() {}
    public init(reduction: KLDivReduction = .mean, logTarget: Bool = false) {
      (self.reduction, self.logTarget) = (reduction, logTarget)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "KLDivLoss", summary: "xlogy(y, y) − y·x on log-probability input; batchmean = sum / input.size(0)",
      parameters: [
        LossParameter("size_average", \.sizeAverage, "deprecated; with reduce, overrides reduction (legacy_get_string)"),
        LossParameter("reduce", \.reduce, "deprecated; with size_average, overrides reduction (legacy_get_string)"),
        LossParameter("reduction", \.reduction, "'batchmean' (the true KL), 'mean' (over all elements), 'sum' or 'none'"),
        LossParameter("log_target", \.logTarget, "target holds log-probabilities"),
      ], inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    var effectiveReduction: KLDivReduction {
      Torch.legacyReduction(sizeAverage: sizeAverage, reduce: reduce).map { KLDivReduction(rawValue: $0.rawValue)! } ?? reduction
    }

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let loss = try t.step(.elementwiseLoss, logTarget ? "exp(y)·(y − x)" : "xlogy(y, y) − y·x") { t in
        if logTarget {
          return try t.multiply(t.exp(target), t.subtract(target, input, argument: "target"), argument: "target")
        }
        let entropy = try t.binary(.xlogy, target, target)
        return try t.subtract(entropy, t.multiply(target, input, argument: "target"), argument: "target")
      }
      switch effectiveReduction {
      case .none: return loss
      case .mean: return Torch.applyReduction(&t, loss, .mean)
      case .sum: return Torch.applyReduction(&t, loss, .sum)
      case .batchmean:
        let total = Torch.applyReduction(&t, loss, .sum)
        let shape = t.shape(input)
        guard let batch = shape.first else { return total }
        return try t.step(.reduction, "divide by input.size(0)", [.integer("batch", batch)]) { t in
          try t.divide(total, t.constant(S(batch), name: "input.size(0)"))
        }
      }
    }
  }
}
