/// ATen kernels with their own backward formula, recorded as one node each
/// (``LossTrace/kernel(_:_:value:vjp:)``): the forward in the kernel's order of float
/// operations and the backward as the kernel's `*_backward` computes it.
enum TorchKernels {
  /// A pointwise loss kernel whose reduction runs inside the kernel (`mse_loss`,
  /// `huber_loss`, `binary_cross_entropy`, ...): `elementwise` is reduced by
  /// `apply_loss_reduction` (cascade sum, then the division by the count for `mean`),
  /// and `backward(g)` receives the incoming gradient broadcast to the elements.
  static func reducedPointwise<S: LossScalar>(
    _ t: inout LossTrace<S>, _ name: String, input: LossTrace<S>.Value, elementwise: Tensor<S>,
    reduction: Torch.Reduction, backward: @escaping @Sendable (Tensor<S>) -> Tensor<S>
  ) -> LossTrace<S>.Value {
    let environment = t.environment
    let shape = elementwise.shape
    let value: Tensor<S>
    switch reduction {
    case .none: value = elementwise
    case .mean: value = Kernels.reduce(.mean, elementwise, axes: nil, keepDims: false, environment)
    case .sum: value = Kernels.reduce(.sum, elementwise, axes: nil, keepDims: false, environment)
    }
    return t.kernel(name, input, value: value) { g in backward(Kernels.broadcast(g, to: shape)) }
  }

  /// `norm` of a reduced pointwise backward: `1 / numel` (computed in double, then
  /// rounded to the dtype) for `mean`, otherwise 1, times `scale`.
  static func norm<S: LossScalar>(_ reduction: Torch.Reduction, count: Int, scale: Double = 1) -> S {
    S(reduction == .mean ? scale / Double(count) : scale)
  }

  /// Elementwise `f(x, y, g)` over tensors of one shape.
  static func map3<S: LossScalar>(_ x: Tensor<S>, _ y: Tensor<S>, _ g: Tensor<S>, _ f: (S, S, S) -> S) -> Tensor<S> {
    Tensor(shape: x.shape, scalars: (0..<x.count).map { f(x.scalars[$0], y.scalars[$0], g.scalars[$0]) })
  }

  /// `log_sigmoid(x) = min(x, 0) − log1p(exp(−|x|))` with its backward
  /// (`log_sigmoid_backward`): `(max′ − sign·z / (1 + z))·g` with `z = exp(−|x|)`,
  /// `max′ = 1` and `sign = 1` for `x < 0`, else `0` and `−1`.
  static func logSigmoid<S: LossScalar>(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value) -> LossTrace<S>.Value {
    let input = t[x]
    let buffer = input.map { S.exp(-Swift.abs($0)) }
    let value = Tensor(shape: input.shape, scalars: (0..<input.count).map { i -> S in
      let v = input.scalars[i]
      return Swift.min(v, 0) - S.log1p(buffer.scalars[i])
    })
    return t.kernel("log_sigmoid", x, value: value) { g in
      map3(input, buffer, g) { a, b, c in
        let negative = a < 0
        let maxDerivative: S = negative ? 1 : 0
        let sign: S = negative ? 1 : -1
        return (maxDerivative - sign * (b / (1 + b))) * c
      }
    }
  }
}
