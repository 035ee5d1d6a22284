/// Indexing primitives: gathering elements by index and joining tensors.
extension LossTrace {
  /// Element `i` of the result (of `shape`) is element `indices[i]` of `x`, flat in
  /// row-major order, or `fill` where the index is nil.
  ///
  /// - Precondition: every index is in bounds and `shape` has `indices.count` elements.
  public mutating func gather(_ x: Value, indices: [Int?], shape: [Int], fill: Scalar = .nan) -> Value {
    precondition(Shape.count(shape) == indices.count, "gather: \(indices.count) indices for shape \(shape)")
    let source = self[x]
    let value = Tensor(shape: shape, scalars: indices.map { $0.map { source.scalars[$0] } ?? fill })
    return append(.gather(indices: indices, fill: fill), [x], value)
  }

  /// The values joined along `axis` (non-negative); the other dimensions must agree.
  ///
  /// - Throws: ``LossError/shapeMismatch(argument:expected:got:)`` naming `argument`.
  public mutating func concatenate(_ values: [Value], axis: Int, argument: String = "operands") throws -> Value {
    let shapes = values.map { shape($0) }
    func agrees(_ s: [Int], with first: [Int]) -> Bool {
      guard s.count == first.count else { return false }
      for d in 0..<s.count where d != axis && s[d] != first[d] { return false }
      return true
    }
    guard let first = shapes.first, axis < first.count, shapes.allSatisfy({ agrees($0, with: first) }) else {
      throw LossError.shapeMismatch(
        argument: argument, expected: "shapes that agree except along axis \(axis)",
        got: shapes.map(Shape.describe).joined(separator: ", "))
    }
    let value = Kernels.concatenate(values.map { self[$0] }, axis: axis)
    return append(.concatenate(axis: axis), values, value)
  }

  /// `jnp.stack(values, axis=-1)`: the values (of one shape) side by side on a new last axis.
  public mutating func stackLast(_ values: [Value]) throws -> Value {
    let expanded = values.map { reshape($0, to: shape($0) + [1]) }
    return try concatenate(expanded, axis: shape(values[0]).count)
  }

  /// Records a function of several inputs whose value is computed by the caller and
  /// whose gradient is its own rule (`custom_jvp` in JAX): `vjp` maps the output's
  /// gradient to one gradient per input (nil where the input gets none).
  public mutating func customGradient(
    _ name: String, _ inputs: [Value], value: Tensor<Scalar>,
    vjp: @escaping @Sendable (Tensor<Scalar>) -> [Tensor<Scalar>?]
  ) -> Value {
    append(.customGradient(name: name, vjp: vjp), inputs, value)
  }

  /// Records per-element values a fused kernel computes on its way to a reduced result
  /// (the per-row losses inside `nll_loss`), for explain: `value` has no gradient of its
  /// own — nothing flows from it to `inputs` — and ``attributing(_:to:share:)`` gives it
  /// `∂output/∂value`.
  public mutating func intermediate(_ name: String, _ inputs: [Value], value: Tensor<Scalar>) -> Value {
    let count = inputs.count
    return customGradient(name, inputs, value: value) { _ in Array(repeating: nil, count: count) }
  }

  /// `reduced`, unchanged, attributed to the ``intermediate(_:_:value:)`` values `units`
  /// it was reduced from: the gradient passes to `reduced` as it is (so the input's
  /// gradient is the kernel's, float for float) and reaches each unit times `share`
  /// (1 for a sum, 1/n for a mean), what explain's contributions read.
  public mutating func attributing(_ reduced: Value, to units: Value, share: Scalar) -> Value {
    let shape = self.shape(units)
    return customGradient("identity", [reduced, units], value: self[reduced]) { g in
      [g, Kernels.broadcast(g, to: shape).map { $0 * share }]
    }
  }
}

extension Kernels {
  /// `g` added into zeros of `shape` at `indices` (nil entries dropped), in order.
  static func scatterAdd<S: LossScalar>(
    _ g: Tensor<S>, indices: [Int?], into shape: [Int], _ environment: KernelEnvironment
  ) -> Tensor<S> {
    var out = [S](repeating: 0, count: Shape.count(shape))
    for (i, index) in indices.enumerated() {
      guard let index else { continue }
      out[index] = environment.flushed(out[index] + g.scalars[i])
    }
    return Tensor(shape: shape, scalars: out)
  }

  /// The tensors joined along `axis`.
  static func concatenate<T>(_ parts: [Tensor<T>], axis: Int) -> Tensor<T> {
    let first = parts[0].shape
    let outer = Shape.count(Array(first[..<axis]))
    let inner = Shape.count(Array(first[(axis + 1)...]))
    var out: [T] = []
    out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for o in 0..<outer {
      for part in parts {
        let run = part.shape[axis] * inner
        out.append(contentsOf: part.scalars[(o * run)..<((o + 1) * run)])
      }
    }
    var shape = first
    shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
    return Tensor(shape: shape, scalars: out)
  }

  /// The inverse of `concatenate`: consecutive pieces of `sizes` along `axis`.
  static func split<T>(_ x: Tensor<T>, axis: Int, sizes: [Int]) -> [Tensor<T>] {
    let outer = Shape.count(Array(x.shape[..<axis]))
    let inner = Shape.count(Array(x.shape[(axis + 1)...]))
    let total = x.shape[axis]
    var start = 0
    return sizes.map { size in
      var out: [T] = []
      out.reserveCapacity(outer * size * inner)
      for o in 0..<outer {
        let begin = (o * total + start) * inner
        out.append(contentsOf: x.scalars[begin..<(begin + size * inner)])
      }
      start += size
      var shape = x.shape
      shape[axis] = size
      return Tensor(shape: shape, scalars: out)
    }
  }
}
