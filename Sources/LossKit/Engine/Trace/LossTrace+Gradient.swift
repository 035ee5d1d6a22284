extension LossTrace {
  /// The gradient of `sum(output)` with respect to `input`, each primitive
  /// differentiated by the framework's rule (``FrameworkPolicy/gradientRules``), with
  /// its summation order and subnormal flushing.
  ///
  /// Returns zeros when the output does not depend on the input.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func gradient(of output: Value, withRespectTo input: Value) -> Tensor<Scalar> {
    var grads = [Tensor<Scalar>?](repeating: nil, count: nodes.count)
    grads[output.id] = Tensor(repeating: 1, shape: shape(output))
    let environment = self.environment

    for id in stride(from: output.id, through: input.id + 1, by: -1) {
      guard let g = grads[id] else { continue }
      let node = nodes[id]
      guard node.isDifferentiable else { continue }
      let contributions = inputGradients(of: node, outputGradient: g, environment)
      for (value, contribution) in zip(node.inputs, contributions) {
        guard nodes[value.id].isDifferentiable, let contribution = contribution.map({ environment.flushed($0) }) else { continue }
        if let existing = grads[value.id] {
          grads[value.id] = environment.flushed(Kernels.apply(.add, existing, contribution))
        } else {
          grads[value.id] = contribution
        }
      }
    }
    return grads[input.id] ?? Tensor(repeating: 0, shape: shape(input))
  }

  /// The gradients flowing to each input of `node`, given the gradient of its output.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  private func inputGradients(
    of node: Node, outputGradient g: Tensor<Scalar>, _ environment: KernelEnvironment
  ) -> [Tensor<Scalar>?] {
    // Every intermediate is flushed like a kernel output when the policy says so.
    func mul(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> { environment.flushed(Kernels.apply(.multiply, a, b)) }
    func div(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> { environment.flushed(Kernels.apply(.divide, a, b)) }
    func sub(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> { environment.flushed(Kernels.apply(.subtract, a, b)) }
    func scalar(_ s: Scalar) -> Tensor<Scalar> { Tensor(s) }
    func unary(_ op: UnaryOp, _ x: Tensor<Scalar>) -> Tensor<Scalar> {
      Kernels.apply(op, x, environment)
    }
    func reduce(_ op: ReduceOp, _ x: Tensor<Scalar>, axes: [Int]?) -> Tensor<Scalar> {
      Kernels.reduce(op, x, axes: axes, keepDims: true, environment)
    }
    func unbroadcast(_ x: Tensor<Scalar>, to shape: [Int]) -> Tensor<Scalar> {
      Kernels.unbroadcast(x, to: shape, environment)
    }
    func masked(_ mask: Tensor<Bool>, _ x: Tensor<Scalar>, keepWhere keep: Bool) -> Tensor<Scalar> {
      Kernels.zip(mask, x) { m, v in m == keep ? v : 0 }
    }

    let inputs = node.inputs.map { nodes[$0.id].value }
    let y = node.value
    let jax = environment.gradientRules.formulas == .jax

    switch node.operation {
    case .input, .constant:
      return []

    case .unary(let op):
      let x = inputs[0]
      switch op {
      case .negate: return [unary(.negate, g)]
      case .log:
        switch environment.gradientRules.logDerivative {
        case .reciprocalMultiply: return [mul(g, unary(.reciprocal, x))]  // TF: grad * reciprocal(x)
        case .divide: return [div(g, x)]  // torch: grad / x; JAX: g / x
        }
      case .log1p where jax: return [div(g, environment.flushed(Kernels.apply(.add, x, scalar(1))))]
      case .log1p: return [mul(g, unary(.reciprocal, Kernels.apply(.add, scalar(1), x)))]
      case .exp: return [mul(g, y)]
      case .sigmoid where jax: return [mul(g, mul(y, sub(scalar(1), y)))]  // JAX: g * (y * (1 - y))
      case .sigmoid:  // SigmoidGrad: grad * y * (1 - y)
        if let fused = Kernels.sigmoidGradient(y: y, g: Kernels.broadcast(g, to: y.shape), environment) {
          return [environment.flushed(fused)]
        }
        return [mul(mul(g, y), sub(scalar(1), y))]
      case .relu:  // ReluGrad: grad where the output is positive
        return [Kernels.zip(g, y) { gv, yv in yv > 0 ? gv : 0 }]
      case .abs:
        switch environment.gradientRules.absAtZero {
        case .zero:
          let sign = unary(.sign, x)
          guard environment.gradientRules.signOfNaN == .zero else { return [mul(g, sign)] }
          return [mul(g, sign.map { $0.isNaN ? 0 : $0 })]  // torch's sgn(NaN) = 0
        case .positive: return [Kernels.zip(g, x) { gv, xv in xv >= 0 ? gv : -gv }]  // JAX: select(x >= 0, g, -g)
        }
      case .sign: return [Tensor(repeating: 0, shape: x.shape)]
      case .square: return [mul(g, mul(x, scalar(2)))]
      case .sqrt where jax: return [mul(g, div(scalar(0.5), y))]  // JAX: g * (0.5 / y)
      case .sqrt: return [div(mul(g, scalar(0.5)), y)]  // SqrtGrad: grad * 0.5 / y
      case .tanh: return [mul(g, sub(scalar(1), mul(y, y)))]  // TanhGrad: grad * (1 - y²)
      case .sinh: return [mul(g, unary(.cosh, x))]
      case .cosh: return [mul(g, unary(.sinh, x))]
      case .expm1: return [mul(g, unary(.exp, x))]
      case .softplus:  // SoftplusGrad: grad / (exp(-x) + 1)
        return [div(g, Kernels.apply(.add, unary(.exp, unary(.negate, x)), scalar(1)))]
      case .rsqrt:  // RsqrtGrad: 0 where grad is 0, else -0.5 * (grad * y) * (y * y)
        return [Kernels.zip(g, y) { gv, yv in gv == 0 ? 0 : environment.flushed(Scalar(-0.5) * (gv * yv) * (yv * yv)) }]
      case .roundToFloat32: return [unary(.roundToFloat32, g)]
      case .reciprocal:  // ReciprocalGrad: -grad * y * y
        return [mul(mul(unary(.negate, g), y), y)]
      }

    case .binary(let op):
      let a = inputs[0], b = inputs[1]
      let (ga, gb): (Tensor<Scalar>, Tensor<Scalar>)
      switch op {
      case .add: (ga, gb) = (g, g)
      case .subtract: (ga, gb) = (g, unary(.negate, g))
      case .multiply: (ga, gb) = (mul(g, b), mul(a, g))
      case .divide where jax:  // JAX: g / y; (−g · x) · (1 / (y · y))
        (ga, gb) = (div(g, b), mul(mul(unary(.negate, g), a), unary(.reciprocal, mul(b, b))))
      case .divide:  // gx = grad / y; gy = grad * ((-x / y) / y)
        (ga, gb) = (div(g, b), mul(g, div(div(unary(.negate, a), b), b)))
      case .divideNoNaN:
        let dnn = { (p: Tensor<Scalar>, q: Tensor<Scalar>) in Kernels.apply(.divideNoNaN, p, q) }
        (ga, gb) = (dnn(g, b), mul(g, dnn(dnn(unary(.negate, a), b), b)))
      case .maximum, .minimum:
        // The operand that wins receives the gradient; a tie follows the policy.
        let full = Kernels.broadcast(g, to: Shape.broadcast(a.shape, b.shape)!)
        let wins: (Scalar, Scalar) -> Bool = op == .maximum ? { $0 > $1 } : { $0 < $1 }
        switch environment.gradientRules.extremumTie {
        case .firstOperand:  // TF: x gets it where x >= y (x <= y)
          let pickA = Kernels.zip(a, b) { wins($0, $1) || $0 == $1 }
          (ga, gb) = (masked(pickA, full, keepWhere: true), masked(pickA, full, keepWhere: false))
        case .split where jax:  // JAX's _balanced_eq: g · [x = out] (· ½ when y = out too)
          let share = { (p: Tensor<Scalar>, q: Tensor<Scalar>) -> Tensor<Scalar> in
            let out = Kernels.apply(op, p, q)
            let mine = Kernels.zip(p, out) { $0 == $1 }
            let theirs = Kernels.zip(q, out) { $0 == $1 }
            return Kernels.zip(mine, theirs) { m, o -> Scalar in m ? (o ? 0.5 : 1) : 0 }
          }
          (ga, gb) = (mul(full, share(a, b)), mul(full, share(b, a)))
        case .split:  // torch (and numpy): half each on a tie
          let shareA = Kernels.zip(a, b) { x, y -> Scalar in wins(x, y) ? 1 : (x == y ? 0.5 : 0) }
          (ga, gb) = (mul(full, shareA), mul(full, Kernels.zip(shareA, shareA) { s, _ in 1 - s }))
        }
      case .xlogy:  // torch: gx = grad * xlogy(x != 0, y); gy = grad * x / y
        let indicator = a.map { $0 != 0 && !$0.isNaN ? Scalar(1) : ($0.isNaN ? Scalar.nan : 0) }
        ga = mul(g, Kernels.apply(.xlogy, indicator, b))
        gb = div(mul(g, a), b)
      case .pow:  // gx = grad * y * pow(x, y - 1); gy = grad * z * log(x) where x > 0
        ga = mul(mul(g, b), Kernels.apply(.pow, a, sub(b, scalar(1))))
        let logA = a.map { $0 > 0 ? Scalar.log($0) : 0 }
        gb = mul(mul(g, y), logA)
      }
      return [unbroadcast(ga, to: a.shape), unbroadcast(gb, to: b.shape)]

    case .select(let mask):
      let a = inputs[0], b = inputs[1]
      return [
        unbroadcast(masked(mask, g, keepWhere: true), to: a.shape),
        unbroadcast(masked(mask, g, keepWhere: false), to: b.shape),
      ]

    case .reduce(let op, let axes, _):
      let x = inputs[0]
      let reduced = Set(axes ?? Array(0..<x.rank))
      let keptShape = (0..<x.rank).map { reduced.contains($0) ? 1 : x.shape[$0] }
      let gKept = g.reshaped(to: keptShape)
      switch op {
      case .sum:
        return [Kernels.broadcast(gKept, to: x.shape)]
      case .mean:  // broadcast, then divide by the number of reduced elements, as the forward
        let factor = Scalar(x.count / max(Shape.count(keptShape), 1))
        return [environment.flushed(Kernels.broadcast(gKept, to: x.shape).map { environment.divided($0, byConstant: factor) })]
      case .max:  // the gradient is shared equally by the maxima
        let yKept = Kernels.broadcast(y.reshaped(to: keptShape), to: x.shape)
        let indicators = Kernels.zip(x, yKept) { $0 == $1 ? Scalar(1) : 0 }
        let selected = reduce(.sum, indicators, axes: axes)
        return [mul(div(indicators, Kernels.broadcast(selected, to: x.shape)), Kernels.broadcast(gKept, to: x.shape))]
      }

    case .reshape:
      return [g.reshaped(to: inputs[0].shape)]

    case .transpose(let permutation):
      return [g.transposed(Kernels.inverse(permutation))]

    case .broadcast:
      return [unbroadcast(g, to: inputs[0].shape)]

    case .softmax:  // (grad - sum(grad * softmax, -1, keepdims)) * softmax
      let channels = reduce(.sum, mul(g, y), axes: [y.rank - 1])
      return [mul(sub(g, channels), y)]

    case .softmaxCrossEntropy(_, let backprop), .sparseSoftmaxCrossEntropy(_, let backprop):
      // The fused kernel's second output, scaled by the incoming gradient per row.
      return [mul(g.reshaped(to: g.shape + [1]), backprop)]

    case .kernel(_, let vjp):
      return [vjp(g)]

    case .clamp(let lower, let upper):
      let x = inputs[0]
      let onBound: Scalar
      switch environment.gradientRules.clampAtBound {
      case .passes: onBound = 1
      case .zero: onBound = 0
      case .half: onBound = 0.5
      }
      let factor = x.map { v -> Scalar in
        if let lower, v < lower { return 0 }
        if let upper, v > upper { return 0 }
        if v == lower || v == upper { return onBound }
        return v.isNaN ? 0 : 1
      }
      return [mul(g, factor)]

    case .gatherRows(let mask):
      return [Kernels.scatterRows(g, mask: mask)]

    case .scatterRows(let mask):
      return [Kernels.gatherRows(g, mask: mask)]

    case .gather(let indices, _):
      return [Kernels.scatterAdd(g, indices: indices, into: inputs[0].shape, environment)]

    case .concatenate(let axis):
      return Kernels.split(g, axis: axis, sizes: inputs.map { $0.shape[axis] }).map { Optional($0) }

    case .customGradient(_, let vjp):
      return vjp(g)
    }
  }
}
