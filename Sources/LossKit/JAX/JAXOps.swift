/// JAX's `jax.nn` and `jax.numpy` functions recorded primitive by primitive as JAX 0.10.2
/// traces them, so that values and `jax.grad` gradients follow JAX: plain functions are
/// their primitives (differentiated by the engine under ``FrameworkPolicy/jax``);
/// functions with a `custom_jvp` (`logaddexp`, `softmax`) record JAX's own derivative.
enum JAXOps {
  typealias Value<S: LossScalar> = LossTrace<S>.Value

  // MARK: - Reductions with `where`

  /// `jnp.sum(x, axis, where=mask, keepdims)`: masked-out elements become 0, then a sum
  /// in XLA's order.
  static func sum<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: Value<S>, axes: [Int]?, where mask: Tensor<Bool>? = nil, keepDims: Bool = false
  ) throws -> Value<S> {
    var x = x
    if let mask { x = try t.select(mask, x, t.constant(S(0))) }
    return t.reduce(.sum, x, axes: axes, keepDims: keepDims)
  }

  /// `jnp.sum(x, axis, where=mask, keepdims)` with optax's `axis` argument, resolved
  /// against `x`'s own rank as `jnp.sum` does: when labels broadcast the product to a
  /// higher rank than the logits, `axis=-1` is still the product's last axis.
  static func sum<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: Value<S>, axis: Optax.Axes, where mask: Tensor<Bool>? = nil, keepDims: Bool = false
  ) throws -> Value<S> {
    try sum(&t, x, axes: axis.resolved(rank: t.shape(x).count), where: mask, keepDims: keepDims)
  }

  /// `jnp.max(x, axis, where=mask, initial=-inf, keepdims)`.
  static func max<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: Value<S>, axes: [Int]?, where mask: Tensor<Bool>? = nil, keepDims: Bool = false
  ) throws -> Value<S> {
    var x = x
    if let mask { x = try t.select(mask, x, t.constant(-S.infinity)) }
    return t.reduce(.max, x, axes: axes, keepDims: keepDims)
  }

  /// A mask broadcast to `shape`, or the error naming `where`.
  static func broadcastMask(_ mask: Tensor<Bool>, to shape: [Int], argument: String = "where") throws -> Tensor<Bool> {
    guard Shape.broadcast(mask.shape, shape) == shape else {
      throw LossError.notBroadcastable(argument, shape: mask.shape, to: Shape.describe(shape))
    }
    return Kernels.broadcast(mask, to: shape)
  }

  /// `jnp.any(mask, axes)` as a boolean tensor (keepdims false).
  static func any(_ mask: Tensor<Bool>, axes: [Int]) -> Tensor<Bool> {
    let counts = Kernels.reduce(.sum, mask.map { $0 ? 1.0 : 0.0 }, axes: axes, keepDims: false, KernelEnvironment(.numpy))
    return counts.map { $0 > 0 }
  }

  // MARK: - Elementwise functions with custom derivatives

  /// `jnp.logaddexp(a, b)` (`lax_other.logaddexp`, a `custom_jvp`):
  /// `select(isnan(a − b), a + b, max(a, b) + log1p(exp(−|a − b|)))`, with derivative
  /// `ȧ·exp(a − out) + ḃ·exp(b − out)` (each `+inf` read as 0 there).
  static func logaddexp<S: LossScalar>(_ t: inout LossTrace<S>, _ a: Value<S>, _ b: Value<S>) throws -> Value<S> {
    guard let shape = Shape.broadcast(t.shape(a), t.shape(b)) else {
      throw LossError.shapeMismatch(argument: "operands", expected: "broadcastable shapes", got: "\(t.shape(a)), \(t.shape(b))")
    }
    let e = t.environment
    let x1 = Kernels.broadcast(t.operand(a), to: shape), x2 = Kernels.broadcast(t.operand(b), to: shape)
    let delta = Kernels.zip(x1, x2) { e.flushed($0 - $1) }
    let softTerm = Kernels.apply(.log1p, Kernels.apply(.exp, delta.map { -Swift.abs($0) }, e), e)
    let result = Tensor(shape: shape, scalars: (0..<delta.count).map { i -> S in
      let (p, q) = (x1.scalars[i], x2.scalars[i])
      if delta.scalars[i].isNaN { return e.flushed(p + q) }
      let amax: S = p.isNaN || q.isNaN ? .nan : Swift.max(p, q)
      return e.flushed(amax + softTerm.scalars[i])
    })
    let shapes = (t.shape(a), t.shape(b))
    return t.customGradient("logaddexp", [a, b], value: result) { g in
      // `_replace_inf`: +inf is read as 0 in the derivative.
      func slope(_ x: Tensor<S>) -> Tensor<S> {
        Kernels.apply(.exp, Kernels.zip(x, result) { p, o in e.flushed((p == .infinity ? 0 : p) - (o == .infinity ? 0 : o)) }, e)
      }
      let ga = Kernels.zip(g, slope(x1)) { e.flushed($0 * $1) }, gb = Kernels.zip(g, slope(x2)) { e.flushed($0 * $1) }
      return [Kernels.unbroadcast(ga, to: shapes.0, e), Kernels.unbroadcast(gb, to: shapes.1, e)]
    }
  }

  /// `jax.nn.softplus(x) = jnp.logaddexp(x, 0)`.
  static func softplus<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>) throws -> Value<S> {
    try logaddexp(&t, x, t.constant(S(0)))
  }

  /// `jax.nn.log_sigmoid(x) = −softplus(−x)`.
  static func logSigmoid<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>) throws -> Value<S> {
    t.negate(try softplus(&t, t.negate(x)))
  }

  /// `jax.nn.sigmoid(x) = lax.logistic(x)`, `1 / (1 + exp(−x))`, whose JVP is
  /// `ẋ·(y·(1 − y))`.
  static func sigmoid<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>) -> Value<S> {
    let e = t.environment
    let y = Kernels.apply(.sigmoid, t.operand(x), e)
    return t.customGradient("logistic", [x], value: y) { g in
      [Kernels.zip(g, y) { gv, yv in e.flushed(gv * e.flushed(yv * e.flushed(1 - yv))) }]
    }
  }

  // MARK: - Softmax family

  /// `jax.nn.log_softmax(x, axis, where)`: `shifted = x − stop_gradient(max)`,
  /// `shifted − log(Σ exp(shifted))`, masked-out elements `−inf`.
  static func logSoftmax<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: Value<S>, axes: [Int], where mask: Tensor<Bool>? = nil
  ) throws -> Value<S> {
    let mask = try mask.map { try broadcastMask($0, to: t.shape(x)) }
    let xMax = try max(&t, x, axes: axes, where: mask, keepDims: true)
    let stopped = t.constant(t[xMax], name: "stop_gradient(max)")
    let safe = try mask.map { try t.select($0, x, t.constant(-S.infinity)) } ?? x
    let shifted = try t.subtract(safe, stopped)
    let logSum = t.log(try sum(&t, t.exp(shifted), axes: axes, where: mask, keepDims: true))
    let result = try t.subtract(shifted, logSum)
    guard let mask else { return result }
    return try t.select(mask, result, t.constant(-S.infinity))
  }

  /// `jax.nn.softmax(x, axis, where)` (a `custom_jvp`): `exp(x − max) / Σ exp(x − max)`,
  /// 0 where masked; JVP `y·(ẋ − Σ_where y·ẋ)`.
  static func softmax<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: Value<S>, axes: [Int], where mask: Tensor<Bool>? = nil
  ) throws -> Value<S> {
    let shape = t.shape(x)
    let mask = try mask.map { try broadcastMask($0, to: shape) }
    let environment = t.environment
    // The forward on a scratch trace: the same primitives, only their value is kept.
    var scratch = LossTrace<S>(policy: t.policy)
    let input = scratch.input(t[x], name: "x")
    let xMax = try max(&scratch, input, axes: axes, where: mask, keepDims: true)
    let safe = try mask.map { try scratch.select($0, input, scratch.constant(-S.infinity)) } ?? input
    let unnormalized = scratch.exp(try scratch.subtract(safe, xMax))
    var result = try scratch.divide(unnormalized, try sum(&scratch, unnormalized, axes: axes, where: mask, keepDims: true))
    if let mask { result = try scratch.select(mask, result, scratch.constant(S(0))) }
    let y = scratch[result]
    return t.customGradient("softmax", [x], value: y) { g in
      // Transpose of y·(ẋ − s), s = Σ_where y·ẋ: g·y + where(mask, −Σ(g·y), 0)·y.
      let gy = environment.flushed(Kernels.apply(.multiply, g, y))
      let negated = gy.map { -$0 }
      let total = Kernels.reduce(.sum, negated, axes: axes, keepDims: true, environment)
      var spread = Kernels.broadcast(total, to: shape)
      if let mask { spread = Kernels.zip(mask, spread) { $0 ? $1 : 0 } }
      let second = environment.flushed(Kernels.apply(.multiply, spread, y))
      return [environment.flushed(Kernels.apply(.add, gy, second))]
    }
  }

  /// `jax.nn.logsumexp(a, axis, b, keepdims, where)` (`jax._src.ops.special`): masked
  /// elements become 0, `b == 0` elements `−inf`; `amax = stop_gradient(finite max or 0)`;
  /// `log(|Σ_where b·exp(a − amax)|) + amax`, NaN where the sum is negative (with `b`).
  static func logsumexp<S: LossScalar>(
    _ t: inout LossTrace<S>, _ a: Value<S>, axes: [Int], b: Value<S>? = nil, where mask: Tensor<Bool>? = nil,
    keepDims: Bool = false
  ) throws -> Value<S> {
    var a = a
    let mask = try mask.map { try broadcastMask($0, to: t.shape(a)) }
    if let mask { a = try t.select(mask, a, t.constant(S(0))) }
    if let b {
      let nonzero = t[b].map { $0 != 0 }
      a = try t.select(nonzero, a, t.constant(-S.infinity))
    }
    let rawMax = try max(&t, a, axes: axes, where: mask, keepDims: true)
    let amax = t.constant(t[rawMax].map { $0.isFinite ? $0 : 0 }, name: "stop_gradient(amax)")
    var exponentials = t.exp(try t.subtract(a, amax))
    if let b { exponentials = try t.multiply(exponentials, b) }
    let total = try sum(&t, exponentials, axes: axes, where: mask, keepDims: keepDims)
    let signs = t[total].map { $0 < 0 }
    let out = try t.add(t.log(t.abs(total)), keepDims ? amax : t.reshape(amax, to: t.shape(total)))
    guard b != nil, signs.scalars.contains(true) else { return out }
    return try t.select(signs, t.constant(S.nan), out)
  }

  /// `lax.integer_pow(x, n)` (`x ** n` for a Python integer `n`): binary exponentiation
  /// (`x³ = x·(x·x)`), with JVP `ẋ·(n·x^(n−1))`.
  static func integerPow<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>, _ n: Int) -> Value<S> {
    let e = t.environment
    let base = t.operand(x)
    let y = base.map { integerPower($0, n, e) }
    return t.customGradient("integer_pow", [x], value: y) { g in
      let slope = base.map { v in n == 0 ? 0 : e.flushed(S(n) * integerPower(v, n - 1, e)) }
      return [Kernels.zip(g, slope) { e.flushed($0 * $1) }]
    }
  }

  /// `_integer_pow`: repeated squaring, multiplying in the set bits from the lowest.
  static func integerPower<S: LossScalar>(_ x: S, _ n: Int, _ e: KernelEnvironment) -> S {
    if n == 0 { return 1 }
    var power = Swift.abs(n)
    var square = x
    var acc: S? = nil
    while power > 0 {
      if power & 1 == 1 { acc = acc.map { e.flushed($0 * square) } ?? square }
      power >>= 1
      if power > 0 { square = e.flushed(square * square) }
    }
    return n < 0 ? e.flushed(1 / acc!) : acc!
  }

  /// `lax.pow(x, y)` for a scalar exponent: JVP `ẋ·(y·x^(y−1))` (0 when `y == 0`).
  static func pow<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>, _ exponent: S) -> Value<S> {
    let e = t.environment
    let base = t.operand(x)
    let y = base.map { e.flushed(S.pow($0, exponent)) }
    return t.customGradient("pow", [x], value: y) { g in
      let slope = base.map { v in exponent == 0 ? 0 : e.flushed(exponent * e.flushed(S.pow(v, exponent - 1))) }
      return [Kernels.zip(g, slope) { e.flushed($0 * $1) }]
    }
  }

  /// `jax.nn.one_hot(labels, classes)`: 1 at each label, a zero row for a label outside
  /// `[0, classes)`.
  static func oneHot<S: LossScalar>(_ labels: Tensor<Int>, classes: Int) -> Tensor<S> {
    var out = [S](repeating: 0, count: labels.count * classes)
    for (i, label) in labels.scalars.enumerated() where label >= 0 && label < classes { out[i * classes + label] = 1 }
    return Tensor(shape: labels.shape + [classes], scalars: out)
  }
}
