/// ATen kernels with their own backward formula, recorded as one node each
/// (``LossTrace/kernel(_:_:value:vjp:)``): the forward in the kernel's order of float
/// operations and the backward as the kernel's `*_backward` computes it.
enum TorchKernels {
  /// A pointwise loss kernel whose reduction runs inside the kernel (`mse_loss`,
  /// `huber_loss`, `binary_cross_entropy`, ...), recorded as two steps so that explain
  /// and compare see what the kernel does: `elementwise-loss` (titled `title`, with
  /// `parameters` such as `log_clamp`) holding the per-element losses, then `reduction`
  /// (`apply_loss_reduction`: cascade sum, then the division by the count for `mean`).
  ///
  /// `body` records the inputs' preparation and returns the input the gradient flows to,
  /// the per-element losses and the kernel's backward, which receives the incoming
  /// gradient broadcast to the elements and applies the `mean`'s `1 / numel` itself
  /// (``norm(_:count:scale:)``, or a division as `binary_cross_entropy_backward` does).
  /// That backward is attached to the reduced node as a whole, so the gradient is the
  /// kernel's float for float; the per-element node only passes `∂value/∂loss` (what
  /// explain's contributions read) and nothing on to the input.
  static func pointwiseLoss<S: LossScalar>(
    _ t: inout LossTrace<S>, _ name: String, _ title: String, _ parameters: [StepParameter] = [], reduction: Torch.Reduction,
    _ body: (inout LossTrace<S>) throws -> (
      input: LossTrace<S>.Value, elementwise: Tensor<S>, backward: @Sendable (Tensor<S>) -> Tensor<S>
    )
  ) rethrows -> LossTrace<S>.Value {
    var kernel: (input: LossTrace<S>.Value, elementwise: Tensor<S>, backward: @Sendable (Tensor<S>) -> Tensor<S>)? = nil
    let elements = try t.step(.elementwiseLoss, title, parameters) { t -> LossTrace<S>.Value in
      let recorded = try body(&t)
      kernel = recorded
      if reduction == .none { return t.kernel(name, recorded.input, value: recorded.elementwise, vjp: recorded.backward) }
      return t.customGradient("\(name) (elements)", [recorded.input], value: recorded.elementwise) { _ in [nil] }
    }
    guard reduction != .none, let (input, elementwise, backward) = kernel else { return elements }
    let environment = t.environment
    let shape = elementwise.shape
    let count = elementwise.count
    let mean = reduction == .mean
    let value = Kernels.reduce(mean ? .mean : .sum, elementwise, axes: nil, keepDims: false, environment)
    let step = Step(
      .reduction, mean ? "mean over all elements" : "sum over all elements",
      [.text("reduction", reduction.rawValue), .text("divisor", mean ? "element count" : "none"), .integer("elements", count)])
    return t.step(step.id, step.title, step.parameters) { t in
      t.customGradient(name, [input, elements], value: value) { g in
        let expanded = Kernels.broadcast(g, to: shape)
        return [backward(expanded), mean ? expanded.map { $0 / S(count) } : expanded]
      }
    }
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

  /// log_sigmoid's `buffer`, `exp(−|x|)`.
  @inline(__always)
  static func logSigmoidBuffer<S: LossScalar>(_ x: S) -> S { TorchVectorMath.exp(-Swift.abs(x)) }

  /// log_sigmoid's value from `x` and its buffer: `min(x, 0) − log1p(buffer)`.
  @inline(__always)
  static func logSigmoid<S: LossScalar>(_ x: S, buffer: S) -> S { Swift.min(x, 0) - TorchVectorMath.log1p(buffer) }

  /// `log_sigmoid(x) = min(x, 0) − log1p(exp(−|x|))` with its backward
  /// (`log_sigmoid_backward`): `(max′ − sign·z / (1 + z))·g` with `z = exp(−|x|)`,
  /// `max′ = 1` and `sign = 1` for `x < 0`, else `0` and `−1`. Every element takes the
  /// vector kernel's `exp` and `log1p` (``TorchVectorMath``; the last partial vector too).
  static func logSigmoid<S: LossScalar>(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value) -> LossTrace<S>.Value {
    let input = t[x]
    let buffer = input.map(logSigmoidBuffer)
    let value = Tensor(shape: input.shape, scalars: zip(input.scalars, buffer.scalars).map { logSigmoid($0, buffer: $1) })
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
