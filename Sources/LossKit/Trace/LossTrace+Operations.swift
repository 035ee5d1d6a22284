/// The primitive operations a loss records, named after the framework ops they mirror.
/// Each computes its value immediately, in `Scalar`.
extension LossTrace {
  /// Records the differentiable input.
  public mutating func input(_ tensor: Tensor<Scalar>, name: String) -> Value {
    append(.input(name), [], tensor)
  }

  /// Records a loss's inputs under the step "inputs": `y_pred` as the differentiable
  /// input, `y_true` as a constant, each under the framework's name for it.
  public mutating func recordInputs(
    _ inputs: LossInputs<Scalar>, yTrueName: String = "y_true", yPredName: String = "y_pred"
  ) -> (yTrue: Value, yPred: Value) {
    step = "inputs"
    let yPred = input(inputs.yPred, name: yPredName)
    let yTrue = constant(inputs.yTrue, name: yTrueName)
    return (yTrue, yPred)
  }

  /// Records a constant tensor.
  public mutating func constant(_ tensor: Tensor<Scalar>, name: String) -> Value {
    append(.constant(name), [], tensor)
  }

  /// Records a constant scalar (shape `[]`).
  public mutating func constant(_ scalar: Scalar, name: String? = nil) -> Value {
    append(.constant(name ?? "\(scalar)"), [], Tensor(scalar))
  }

  public mutating func unary(_ op: UnaryOp, _ x: Value) -> Value {
    append(.unary(op), [x], Tensor(shape: shape(x), scalars: Kernels.apply(op, self[x].scalars)))
  }

  /// Records `op(a, b)` with NumPy broadcasting.
  ///
  /// - Throws: ``LossError/shapeMismatch(argument:expected:got:)`` naming `argument`
  ///   when the shapes do not broadcast.
  public mutating func binary(
    _ op: BinaryOp, _ a: Value, _ b: Value, argument: String = "operands"
  ) throws -> Value {
    guard Shape.broadcast(shape(a), shape(b)) != nil else {
      throw LossError.shapeMismatch(
        argument: argument, expected: "a shape that broadcasts with \(Shape.describe(shape(a)))",
        got: Shape.describe(shape(b)))
    }
    return append(.binary(op), [a, b], Kernels.apply(op, self[a], self[b]))
  }

  /// `where(mask, a, b)`, broadcasting all three.
  public mutating func select(_ mask: Tensor<Bool>, _ a: Value, _ b: Value) throws -> Value {
    guard let ab = Shape.broadcast(shape(a), shape(b)), let out = Shape.broadcast(mask.shape, ab) else {
      throw LossError.shapeMismatch(
        argument: "where", expected: "broadcastable shapes",
        got: "\(Shape.describe(mask.shape)), \(Shape.describe(shape(a))), \(Shape.describe(shape(b)))")
    }
    let m = Kernels.broadcast(mask, to: out)
    let x = Kernels.broadcast(self[a], to: out)
    let y = Kernels.broadcast(self[b], to: out)
    let value = Tensor(shape: out, scalars: (0..<m.count).map { m.scalars[$0] ? x.scalars[$0] : y.scalars[$0] })
    return append(.select(mask: m), [a, b], value)
  }

  /// Reduces over `axes` (all axes when nil); axes must already be non-negative.
  public mutating func reduce(_ op: ReduceOp, _ x: Value, axes: [Int]?, keepDims: Bool = false) -> Value {
    append(.reduce(op, axes: axes, keepDims: keepDims), [x], Kernels.reduce(op, self[x], axes: axes, keepDims: keepDims))
  }

  /// The same elements with another shape (squeeze, expand_dims, reshape).
  public mutating func reshape(_ x: Value, to newShape: [Int]) -> Value {
    precondition(Shape.count(newShape) == self[x].count, "reshape: \(shape(x)) to \(newShape)")
    if newShape == shape(x) { return x }
    return append(.reshape, [x], self[x].reshaped(to: newShape))
  }

  /// Permutes the axes: output axis `i` is input axis `permutation[i]`.
  public mutating func transpose(_ x: Value, _ permutation: [Int]) -> Value {
    if permutation == Array(0..<permutation.count) { return x }
    return append(.transpose(permutation: permutation), [x], self[x].transposed(permutation))
  }

  /// `softmax` along the last axis: `exp(x − max) / Σ exp(x − max)`.
  public mutating func softmax(_ x: Value) -> Value {
    append(.softmax, [x], Kernels.softmax(self[x]))
  }

  /// Keeps the rows (along axis 0) where `mask` is true.
  public mutating func gatherRows(_ x: Value, mask: [Bool]) -> Value {
    append(.gatherRows(mask: mask), [x], Kernels.gatherRows(self[x], mask: mask))
  }

  /// Scatters rows back to the positions where `mask` is true, zeros elsewhere.
  public mutating func scatterRows(_ x: Value, mask: [Bool]) -> Value {
    append(.scatterRows(mask: mask), [x], Kernels.scatterRows(self[x], mask: mask))
  }

  /// Records an already computed fused-kernel result (used by the softmax
  /// cross-entropy kernels, whose gradient is an output of the kernel itself).
  mutating func fused(_ operation: Operation, _ inputs: [Value], _ value: Tensor<Scalar>) -> Value {
    append(operation, inputs, value)
  }
}

// MARK: - Conveniences that read like the framework code they mirror

extension LossTrace {
  public mutating func negate(_ x: Value) -> Value { unary(.negate, x) }
  public mutating func log(_ x: Value) -> Value { unary(.log, x) }
  public mutating func log1p(_ x: Value) -> Value { unary(.log1p, x) }
  public mutating func exp(_ x: Value) -> Value { unary(.exp, x) }
  public mutating func sigmoid(_ x: Value) -> Value { unary(.sigmoid, x) }
  public mutating func relu(_ x: Value) -> Value { unary(.relu, x) }
  public mutating func abs(_ x: Value) -> Value { unary(.abs, x) }

  public mutating func add(_ a: Value, _ b: Value) throws -> Value { try binary(.add, a, b) }
  public mutating func subtract(_ a: Value, _ b: Value) throws -> Value { try binary(.subtract, a, b) }
  public mutating func multiply(_ a: Value, _ b: Value) throws -> Value { try binary(.multiply, a, b) }
  public mutating func divide(_ a: Value, _ b: Value) throws -> Value { try binary(.divide, a, b) }
  public mutating func pow(_ a: Value, _ b: Value) throws -> Value { try binary(.pow, a, b) }

  /// `a + s`, `s − a` and friends with a scalar constant.
  public mutating func add(_ a: Value, _ s: Scalar) -> Value { try! binary(.add, a, constant(s)) }
  public mutating func multiply(_ a: Value, _ s: Scalar) -> Value { try! binary(.multiply, a, constant(s)) }
  public mutating func subtract(_ s: Scalar, _ a: Value) -> Value {
    let c = constant(s)
    return try! binary(.subtract, c, a)
  }
  public mutating func pow(_ a: Value, _ s: Scalar) -> Value { try! binary(.pow, a, constant(s)) }

  public mutating func sum(_ x: Value, axis: Int? = nil, keepDims: Bool = false) -> Value {
    reduce(.sum, x, axes: axis.map { [$0] }, keepDims: keepDims)
  }
  public mutating func mean(_ x: Value, axis: Int? = nil, keepDims: Bool = false) -> Value {
    reduce(.mean, x, axes: axis.map { [$0] }, keepDims: keepDims)
  }

  /// TensorFlow's `clip_by_value(x, lo, hi)`: `maximum(minimum(x, hi), lo)`. On a tie
  /// with a bound the gradient passes through (`Minimum`/`Maximum` pick `x`).
  public mutating func clipByValue(_ x: Value, _ lo: Scalar, _ hi: Scalar) -> Value {
    let upper = constant(hi)
    let clippedHigh = try! binary(.minimum, x, upper)
    let lower = constant(lo)
    return try! binary(.maximum, clippedHigh, lower)
  }
}
