extension LossTrace {
  /// The gradient of `sum(output)` with respect to `input`, each primitive
  /// differentiated the way TensorFlow's registered gradient does it.
  ///
  /// Returns zeros when the output does not depend on the input.
  public func gradient(of output: Value, withRespectTo input: Value) -> Tensor<Scalar> {
    var grads = [Tensor<Scalar>?](repeating: nil, count: nodes.count)
    grads[output.id] = Tensor(repeating: 1, shape: shape(output))

    for id in stride(from: output.id, through: input.id + 1, by: -1) {
      guard let g = grads[id] else { continue }
      let node = nodes[id]
      guard node.isDifferentiable else { continue }
      let contributions = inputGradients(of: node, outputGradient: g)
      for (value, contribution) in zip(node.inputs, contributions) {
        guard nodes[value.id].isDifferentiable, let contribution else { continue }
        if let existing = grads[value.id] {
          grads[value.id] = Kernels.apply(.add, existing, contribution)
        } else {
          grads[value.id] = contribution
        }
      }
    }
    return grads[input.id] ?? Tensor(repeating: 0, shape: shape(input))
  }

  /// The gradients flowing to each input of `node`, given the gradient of its output.
  private func inputGradients(of node: Node, outputGradient g: Tensor<Scalar>) -> [Tensor<Scalar>?] {
    func mul(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> { Kernels.apply(.multiply, a, b) }
    func div(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> { Kernels.apply(.divide, a, b) }
    func sub(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> { Kernels.apply(.subtract, a, b) }
    func scalar(_ s: Scalar) -> Tensor<Scalar> { Tensor(s) }
    func unary(_ op: UnaryOp, _ x: Tensor<Scalar>) -> Tensor<Scalar> {
      Tensor(shape: x.shape, scalars: Kernels.apply(op, x.scalars))
    }
    func masked(_ mask: Tensor<Bool>, _ x: Tensor<Scalar>, keepWhere keep: Bool) -> Tensor<Scalar> {
      Kernels.zip(mask, x) { m, v in m == keep ? v : 0 }
    }

    let inputs = node.inputs.map { nodes[$0.id].value }
    let y = node.value

    switch node.operation {
    case .input, .constant:
      return []

    case .unary(let op):
      let x = inputs[0]
      switch op {
      case .negate: return [unary(.negate, g)]
      case .log: return [mul(g, unary(.reciprocal, x))]  // grad * reciprocal(x)
      case .log1p: return [mul(g, unary(.reciprocal, Kernels.apply(.add, scalar(1), x)))]
      case .exp: return [mul(g, y)]
      case .sigmoid:  // SigmoidGrad: grad * y * (1 - y)
        return [mul(mul(g, y), sub(scalar(1), y))]
      case .relu:  // ReluGrad: grad where the output is positive
        return [Kernels.zip(g, y) { gv, yv in yv > 0 ? gv : 0 }]
      case .abs: return [mul(g, unary(.sign, x))]
      case .sign: return [Tensor(repeating: 0, shape: x.shape)]
      case .square: return [mul(g, mul(x, scalar(2)))]
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
      case .divide:  // gx = grad / y; gy = grad * ((-x / y) / y)
        (ga, gb) = (div(g, b), mul(g, div(div(unary(.negate, a), b), b)))
      case .divideNoNaN:
        let dnn = { (p: Tensor<Scalar>, q: Tensor<Scalar>) in Kernels.apply(.divideNoNaN, p, q) }
        (ga, gb) = (dnn(g, b), mul(g, dnn(dnn(unary(.negate, a), b), b)))
      case .maximum, .minimum:  // the gradient goes to x where x >= y (<= y), else to y
        let pickA = op == .maximum
          ? Kernels.zip(a, b) { $0 >= $1 } : Kernels.zip(a, b) { $0 <= $1 }
        let full = Kernels.broadcast(g, to: pickA.shape)
        (ga, gb) = (masked(pickA, full, keepWhere: true), masked(pickA, full, keepWhere: false))
      case .pow:  // gx = grad * y * pow(x, y - 1); gy = grad * z * log(x) where x > 0
        ga = mul(mul(g, b), Kernels.apply(.pow, a, sub(b, scalar(1))))
        let logA = a.map { $0 > 0 ? Scalar.log($0) : 0 }
        gb = mul(mul(g, y), logA)
      }
      return [Kernels.unbroadcast(ga, to: a.shape), Kernels.unbroadcast(gb, to: b.shape)]

    case .select(let mask):
      let a = inputs[0], b = inputs[1]
      return [
        Kernels.unbroadcast(masked(mask, g, keepWhere: true), to: a.shape),
        Kernels.unbroadcast(masked(mask, g, keepWhere: false), to: b.shape),
      ]

    case .reduce(let op, let axes, _):
      let x = inputs[0]
      let reduced = Set(axes ?? Array(0..<x.rank))
      let keptShape = (0..<x.rank).map { reduced.contains($0) ? 1 : x.shape[$0] }
      let gKept = g.reshaped(to: keptShape)
      switch op {
      case .sum:
        return [Kernels.broadcast(gKept, to: x.shape)]
      case .mean:  // broadcast, then divide by the number of reduced elements
        let factor = Scalar(x.count / max(Shape.count(keptShape), 1))
        return [div(Kernels.broadcast(gKept, to: x.shape), scalar(factor))]
      case .max:  // the gradient is shared equally by the maxima
        let yKept = Kernels.broadcast(y.reshaped(to: keptShape), to: x.shape)
        let indicators = Kernels.zip(x, yKept) { $0 == $1 ? Scalar(1) : 0 }
        let selected = Kernels.reduce(.sum, indicators, axes: axes, keepDims: true)
        return [mul(div(indicators, Kernels.broadcast(selected, to: x.shape)), Kernels.broadcast(gKept, to: x.shape))]
      }

    case .reshape:
      return [g.reshaped(to: inputs[0].shape)]

    case .transpose(let permutation):
      return [g.transposed(Kernels.inverse(permutation))]

    case .softmax:  // (grad - sum(grad * softmax, -1, keepdims)) * softmax
      let channels = Kernels.reduce(.sum, mul(g, y), axes: [y.rank - 1], keepDims: true)
      return [mul(sub(g, channels), y)]

    case .softmaxCrossEntropy(_, let backprop), .sparseSoftmaxCrossEntropy(_, let backprop):
      // The fused kernel's second output, scaled by the incoming gradient per row.
      return [mul(g.reshaped(to: g.shape + [1]), backprop)]

    case .gatherRows(let mask):
      return [Kernels.scatterRows(g, mask: mask)]

    case .scatterRows(let mask):
      return [Kernels.gatherRows(g, mask: mask)]
    }
  }
}
