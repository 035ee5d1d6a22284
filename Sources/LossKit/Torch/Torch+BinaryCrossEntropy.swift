extension Torch {
  /// `torch.nn.BCELoss`: `(y − 1)·max(log1p(−x), −100) − y·max(log x, −100)` (ATen's
  /// `binary_cross_entropy` kernel: each log clamped at −100), times `weight`, then the
  /// reduction. `input` and `target` must be in [0, 1] and of the same size.
  ///
  /// The backward is the kernel's own, not the derivative of the clamped forward:
  /// `g·(x − y) / max((1 − x)·x, 1e-12)`, times `weight`, divided by the element count
  /// for `mean`. For `y_true = [1, 1, 1]`, `y_pred = [1, 1, 0]` the loss is 100 / 3 =
  /// 33.333332 and the gradient at the 0 is −1e12 / 3.
  public struct BCELoss: TorchReducedLoss {
    public var weight: Tensor<Double>? = nil
    public var reduction: Reduction = .mean
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil

    public init() {}
    public init(weight: Tensor<Double>? = nil, reduction: Reduction = .mean) {
      self.weight = weight
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "BCELoss", summary: "binary cross-entropy on probabilities; each log clamped at −100",
      parameters: [LossParameter("weight", \.weight, "rescaling weight, broadcast to the target's shape")] + reductionParameters,
      inputNames: Torch.inputAndTarget, acceptsSampleWeight: false,
      notes: [
        ConventionNote("gradient", "(x − y) / max((1 − x)·x, 1e-12): −1e12 at x = 0, y = 1 although the forward is clamped at 100"),
        ConventionNote("torch < 2.1", "log(1 − x) instead of log1p(−x)"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      try Shape.requireSame(t.shape(target), "target", as: t.shape(input), "input")
      let reduction = effectiveReduction
      let xs = t[input], ys = t[target]
      if let weight { try Torch.requireBroadcastable(weight.shape, "weight", to: ys.shape, "target") }
      let weights: Tensor<S>? = weight.map { Kernels.broadcast(Torch.tensor($0) as Tensor<S>, to: ys.shape) }
      for (x, y) in zip(xs.scalars, ys.scalars) {
        guard x >= 0 && x <= 1 else {
          throw LossError.invalidValue(argument: "input", expected: "all elements between 0 and 1", got: "\(x)")
        }
        guard y >= 0 && y <= 1 else {
          throw LossError.invalidValue(argument: "target", expected: "all elements between 0 and 1", got: "\(y)")
        }
      }
      let title = "(y − 1)·max(log1p(−x), −100) − y·max(log x, −100)" + (weights == nil ? "" : " × weight") + " (binary_cross_entropy)"
      return TorchKernels.pointwiseLoss(&t, "binary_cross_entropy", title, [.number("log_clamp", -100)], reduction: reduction) { t in
        var elements = Kernels.zip(xs, ys) { x, y -> S in
          (y - 1) * Swift.max(S.log1p(-x), -100) - y * Swift.max(S.log(x), -100)
        }
        if let weights { elements = Kernels.apply(.multiply, elements, weights) }
        let count = xs.count
        // ATen's EPSILON is a float constant: float64 uses float(1e-12) = 9.999999960041972e-13.
        let epsilon = S(Float(1e-12))
        return (input, elements, { g in
          var grad = TorchKernels.map3(g, xs, ys) { gv, x, y in
            gv * (x - y) / Swift.max((1 - x) * x, epsilon)
          }
          if let weights { grad = Kernels.apply(.multiply, grad, weights) }
          if reduction == .mean { grad = grad.map { $0 / S(count) } }
          return grad
        })
      }
    }
  }

  /// `torch.nn.BCEWithLogitsLoss`: `(1 − y)·x − log_sigmoid(x)·(1 + (p − 1)·y)` (ATen's
  /// `binary_cross_entropy_with_logits`), times `weight`, then the reduction. `target`
  /// must have the size of `input`; `weight` and `pos_weight` broadcast. Its backward is
  /// `binary_cross_entropy_with_logits_backward`: `(σ(x) − y)`, or
  /// `(p·y + 1 − y)·σ(x) − p·y` with `pos_weight`, times `weight` and `g`, divided by the
  /// element count for `mean`.
  public struct BCEWithLogitsLoss: TorchReducedLoss {
    public var weight: Tensor<Double>? = nil
    public var reduction: Reduction = .mean
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil
    public var posWeight: Tensor<Double>? = nil

    public init() {}
    public init(weight: Tensor<Double>? = nil, reduction: Reduction = .mean, posWeight: Tensor<Double>? = nil) {
      self.weight = weight
      self.reduction = reduction
      self.posWeight = posWeight
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "BCEWithLogitsLoss", summary: "binary cross-entropy on logits via log_sigmoid; pos_weight scales positives",
      parameters: [LossParameter("weight", \.weight, "rescaling weight, broadcast against the loss")] + reductionParameters
        + [LossParameter("pos_weight", \.posWeight, "weight of positive examples, broadcast against target")],
      inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      try Shape.requireSame(t.shape(target), "target", as: t.shape(input), "input")
      let reduction = effectiveReduction
      let xs = t[input], ys = t[target]
      // Both are applied in place (`mul_`), so they must broadcast to the input's shape;
      // the loss and its gradient then have the input's shape.
      if let posWeight { try Torch.requireBroadcastable(posWeight.shape, "pos_weight", to: xs.shape, "input") }
      if let weight { try Torch.requireBroadcastable(weight.shape, "weight", to: xs.shape, "input") }
      // (pos_weight − 1)·target + 1
      let logWeight: Tensor<S>? = posWeight.map { p in
        Kernels.apply(.add, Kernels.apply(.multiply, (Torch.tensor(p) as Tensor<S>).map { $0 - 1 }, ys), Tensor(S(1)))
      }
      let weights: Tensor<S>? = weight.map(Torch.tensor)
      var title = posWeight == nil ? "(1 − y)·x − log_sigmoid(x)" : "(1 − y)·x − log_sigmoid(x)·(1 + (pos_weight − 1)·y)"
      if weight != nil { title += " × weight" }
      title += " (binary_cross_entropy_with_logits)"
      return TorchKernels.pointwiseLoss(
        &t, "binary_cross_entropy_with_logits", title, [.flag("from_logits", true)], reduction: reduction
      ) { t in
        // log_sigmoid's vector kernel on every element; sigmoid's `cpu_kernel_vec` on all
        // but the last count mod 32 (``TorchVectorMath``).
        var logSigmoid = xs.map { TorchKernels.logSigmoid($0, buffer: TorchKernels.logSigmoidBuffer($0)) }
        if let logWeight { logSigmoid = Kernels.apply(.multiply, logSigmoid, logWeight) }
        var loss = Kernels.apply(.subtract, Kernels.apply(.multiply, ys.map { 1 - $0 }, xs), logSigmoid)
        if let weights { loss = Kernels.apply(.multiply, loss, weights) }
        let count = xs.count
        let posWeight: Tensor<S>? = self.posWeight.map(Torch.tensor)
        return (input, loss, { g in
          let vectorCount = TorchVectorMath.vectorPathCount(xs.count, S.self)
          let sigmoid = Tensor(shape: xs.shape, scalars: xs.scalars.enumerated().map { i, x in
            TorchVectorMath.sigmoid(x, vectorPath: i < vectorCount)
          })
          var grad: Tensor<S>
          if let posWeight {
            let py = Kernels.apply(.multiply, posWeight, ys)
            grad = Kernels.apply(.multiply, Kernels.apply(.subtract, Kernels.apply(.add, py, Tensor(S(1))), ys), sigmoid)
            grad = Kernels.apply(.subtract, grad, py)
          } else {
            grad = Kernels.apply(.subtract, sigmoid, ys)
          }
          if let weights { grad = Kernels.apply(.multiply, grad, weights) }
          grad = Kernels.apply(.multiply, grad, g)
          if reduction == .mean { grad = grad.map { $0 / S(count) } }
          return grad
        })
      }
    }
  }

  /// `torch.nn.SoftMarginLoss`: `log1p(exp(−y·x))` taken literally (ATen's
  /// `soft_margin_loss`; not a softplus, so `−y·x ≳ 88` overflows to inf in float32), with
  /// the kernel's backward `((y·z)·(−norm)) / (z + 1)·g`, `z = exp(−y·x)`.
  public struct SoftMarginLoss: TorchReducedLoss {
    public var reduction: Reduction = .mean
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil

    public init() {}
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public static let declaration = LossDeclaration<Self>(
      .torch, "SoftMarginLoss", summary: "log1p(exp(−y·x)) literally (overflows for −y·x ≳ 88 in float32)",
      parameters: reductionParameters, inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      let xs = t[input], ys = t[target]
      try Torch.requireBroadcastable(ys.shape, "target", to: xs.shape, "input")
      let y = Kernels.broadcast(ys, to: xs.shape)
      let reduction = effectiveReduction
      return TorchKernels.pointwiseLoss(&t, "soft_margin_loss", "log1p(exp(−y·x)) (soft_margin_loss)", reduction: reduction) { t in
        // torch.exp is MKL's (the C library's here); torch.log1p the vector kernel's.
        let elements = Kernels.zip(xs, y) { x, y in TorchVectorMath.log1p(S.exp(-x * y)) }
        let norm: S = TorchKernels.norm(reduction, count: xs.count)
        return (input, elements, { g in
          TorchKernels.map3(xs, y, g) { x, y, gv in
            let z = S.exp(-y * x)
            return y * z * -norm / (z + 1) * gv
          }
        })
      }
    }
  }

  /// `torch.nn.MultiLabelSoftMarginLoss`: `−(y·log_sigmoid(x) + (1 − y)·log_sigmoid(−x))`,
  /// times `weight`, summed over the last (class) dimension and divided by `C`, then the
  /// reduction over samples (`F.multilabel_soft_margin_loss`, a composite).
  public struct MultiLabelSoftMarginLoss: TorchReducedLoss {
    public var weight: Tensor<Double>? = nil
    public var reduction: Reduction = .mean
    public var sizeAverage: Bool? = nil
    public var reduce: Bool? = nil

    public init() {}
    public init(weight: Tensor<Double>? = nil, reduction: Reduction = .mean) {
      self.weight = weight
      self.reduction = reduction
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "MultiLabelSoftMarginLoss", summary: "per-class logistic loss, summed over the last dim / C, then mean over samples",
      parameters: [LossParameter("weight", \.weight, "per-class weight, broadcast against the loss")] + reductionParameters,
      inputNames: Torch.inputAndTarget, acceptsSampleWeight: false)

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (target, input) = try Torch.recordInputs(&t, inputs)
      guard t.shape(input).count >= 1 else {
        throw LossError.shapeMismatch(argument: "input", expected: "at least one dimension (the classes)", got: "()")
      }
      let perSample = try t.step(.elementwiseLoss, "−(y·log_sigmoid(x) + (1 − y)·log_sigmoid(−x))") { t in
        let positive = try t.multiply(target, TorchKernels.logSigmoid(&t, input), argument: "target")
        let negativeX = t.negate(input)
        let oneMinus = t.subtract(1, target)
        let negative = try t.multiply(oneMinus, TorchKernels.logSigmoid(&t, negativeX), argument: "target")
        var loss = t.negate(try t.add(positive, negative))
        if let weight {
          loss = try t.multiply(loss, t.constant(Torch.tensor(weight), name: "weight"), argument: "weight")
        }
        let classDim = t.shape(loss).count - 1
        let classes = t.shape(loss)[classDim]
        return try t.divide(t.sum(loss, axis: classDim), t.constant(S(classes), name: "C"))
      }
      return Torch.applyReduction(&t, perSample, effectiveReduction)
    }
  }
}
