extension Torch {
  /// `torch.broadcast_tensors(input, target)`, as `F.l1_loss`, `F.mse_loss`,
  /// `F.smooth_l1_loss` and `F.huber_loss` do before their kernel (torch only warns when
  /// the sizes differ). The expanded input's gradient is summed back (`sum_to_size`).
  static func broadcastInputs<S: LossScalar>(
    _ t: inout LossTrace<S>, input: LossTrace<S>.Value, target: LossTrace<S>.Value
  ) throws -> (input: LossTrace<S>.Value, target: Tensor<S>) {
    guard let shape = Shape.broadcast(t.shape(input), t.shape(target)) else {
      throw LossError.shapeMismatch(
        argument: "target", expected: "a shape that broadcasts with input \(Shape.describe(t.shape(input)))",
        got: Shape.describe(t.shape(target)))
    }
    let expanded = try t.broadcast(input, to: shape, argument: "input")
    return (expanded, Kernels.broadcast(t[target], to: shape))
  }

  /// `torch.nn.L1Loss`: `|input − target|`, then the reduction. A composite in ATen
  /// (`(input − target).abs()`), so autograd gives `sign(x − y)` — 0 where they are
  /// equal — divided by the element count for `mean`.
  public struct L1Loss: TorchReducedLoss {
    public var reduction: Reduction = .mean
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil

    public init() {}
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .torch, "L1Loss", summary: "|input − target|; mean over all elements",
      parameters: reductionParameters, inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let loss = try t.step(.elementwiseLoss, "|input − target|") { t in
        let (x, y) = try Torch.broadcastInputs(&t, input: input, target: target)
        return t.abs(try t.subtract(x, t.constant(y, name: "target")))
      }
      return Torch.applyReduction(&t, loss, effectiveReduction)
    }
  }

  /// `torch.nn.MSELoss`: `(input − target)²`, by ATen's `mse_loss` kernel, whose backward
  /// is `norm·(x − y)·g` with `norm = 2 / numel` (`mean`) or 2.
  public struct MSELoss: TorchReducedLoss {
    public var reduction: Reduction = .mean
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil

    public init() {}
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .torch, "MSELoss", summary: "(input − target)²; mean over all elements",
      parameters: reductionParameters, inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let reduction = effectiveReduction
      return try TorchKernels.pointwiseLoss(&t, "mse_loss", "(x − y)² (mse_loss)", reduction: reduction) { t in
        let (x, y) = try Torch.broadcastInputs(&t, input: input, target: target)
        let xs = t[x]
        let squares = Kernels.zip(xs, y) { a, b -> S in
          let d = a - b
          return d * d
        }
        let norm: S = TorchKernels.norm(reduction, count: xs.count, scale: 2)
        return (x, squares, { g in TorchKernels.map3(xs, y, g) { a, b, c in norm * (a - b) * c } })
      }
    }
  }

  /// `torch.nn.HuberLoss`: `½·z²` where `z = |x − y| < δ`, else `δ·(z − ½·δ)`, by ATen's
  /// `huber_loss` kernel; backward `±norm·g·δ` where `x − y ≤ −δ` / `≥ δ`, else
  /// `norm·(x − y)·g`.
  public struct HuberLoss: DeclaredLoss {
    public var reduction: Reduction = .mean
    public var delta: Double = 1

    public init() {}
    public init(reduction: Reduction = .mean, delta: Double = 1) {
      self.reduction = reduction
      self.delta = delta
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "HuberLoss", summary: "½z² if |z| < δ else δ(|z| − ½δ); mean over all elements",
      parameters: [
        Torch.reductionOnly(\.reduction),
        LossParameter("delta", \.delta, "threshold between the quadratic and the linear part", .greaterThan(0)),
      ], inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let reduction = self.reduction
      let delta = S(self.delta)
      return try TorchKernels.pointwiseLoss(
        &t, "huber_loss", "½z² if z = |x − y| < δ, else δ·(z − ½δ) (huber_loss)", [.number("delta", self.delta)], reduction: reduction
      ) { t in
        let (x, y) = try Torch.broadcastInputs(&t, input: input, target: target)
        let xs = t[x]
        let elements = Kernels.zip(xs, y) { a, b -> S in
          let z = Swift.abs(a - b)
          return z < delta ? S(0.5) * z * z : delta * (z - S(0.5) * delta)
        }
        let norm: S = TorchKernels.norm(reduction, count: xs.count)
        return (x, elements, { g in
          TorchKernels.map3(xs, y, g) { a, b, c in
            let d = a - b
            if d <= -delta { return -norm * c * delta }
            if d >= delta { return norm * c * delta }
            return norm * d * c
          }
        })
      }
    }
  }

  /// `torch.nn.SmoothL1Loss`: `½·z²/β` where `z = |x − y| < β`, else `z − ½·β`, by ATen's
  /// `smooth_l1_loss` kernel; backward `∓norm·g` beyond `±β`, else `norm·(x − y)·g/β`.
  /// `beta = 0` is `l1_loss` (as `F.smooth_l1_loss` routes it).
  public struct SmoothL1Loss: TorchReducedLoss {
    public var reduction: Reduction = .mean
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var beta: Double = 1

    public init() {}
    public init(reduction: Reduction = .mean, beta: Double = 1) {
      self.reduction = reduction
      self.beta = beta
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "SmoothL1Loss", summary: "½z²/β if |z| < β else |z| − ½β; β = 0 is L1; mean over all elements",
      parameters: reductionParameters + [
        LossParameter("beta", \.beta, "threshold between the quadratic and the linear part", .atLeast(0))
      ], inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      if beta == 0 {
        var l1 = L1Loss(reduction: reduction)
        (l1.sizeAverage, l1.reduce) = (sizeAverage, reduce)
        return try l1.record(on: &t, inputs)
      }
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let reduction = effectiveReduction
      let beta = S(self.beta)
      return try TorchKernels.pointwiseLoss(
        &t, "smooth_l1_loss", "½z²/β if z = |x − y| < β, else z − ½β (smooth_l1_loss)", [.number("beta", self.beta)],
        reduction: reduction
      ) { t in
        let (x, y) = try Torch.broadcastInputs(&t, input: input, target: target)
        let xs = t[x]
        let elements = Kernels.zip(xs, y) { a, b -> S in
          let z = Swift.abs(a - b)
          return z < beta ? S(0.5) * z * z / beta : z - S(0.5) * beta
        }
        let norm: S = TorchKernels.norm(reduction, count: xs.count)
        return (x, elements, { g in
          TorchKernels.map3(xs, y, g) { a, b, c in
            let d = a - b
            if d <= -beta { return -norm * c }
            if d >= beta { return norm * c }
            return norm * d * c / beta
          }
        })
      }
    }
  }
}
