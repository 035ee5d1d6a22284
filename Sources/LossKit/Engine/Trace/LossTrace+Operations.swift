/// The primitive operations a loss records, named after the framework ops they mirror.
/// Each computes its value immediately, in `Scalar`, under the trace's policy.
extension LossTrace {
  /// Records the differentiable input.
  public mutating func input(_ tensor: Tensor<Scalar>, name: String) -> Value {
    append(.input(name), [], tensor)
  }

  /// Records a loss's inputs under the step `inputs`: `y_pred` as the differentiable
  /// input, `y_true` as a constant, each under the framework's name for it.
  public mutating func recordInputs(
    _ inputs: LossInputs<Scalar>, yTrueName: String = "y_true", yPredName: String = "y_pred"
  ) -> (yTrue: Value, yPred: Value) {
    step(.inputs, "inputs (\(Scalar.dtype.rawValue))", [.text("dtype", Scalar.dtype.rawValue)]) { t in
      let yPred = t.input(inputs.yPred, name: yPredName)
      let yTrue = t.constant(inputs.yTrue, name: yTrueName)
      return (yTrue, yPred)
    }
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
    let operand = op == .negate || op == .abs ? self[x] : operand(x)
    return append(.unary(op), [x], Tensor(shape: shape(x), scalars: Kernels.apply(op, operand.scalars, environment)))
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
    return append(.binary(op), [a, b], Kernels.apply(op, operand(a), operand(b)))
  }

  /// `where(mask, a, b)`, broadcasting all three.
  public mutating func select(_ mask: Tensor<Bool>, _ a: Value, _ b: Value) throws -> Value {
    guard let ab = Shape.broadcast(shape(a), shape(b)), let out = Shape.broadcast(mask.shape, ab) else {
      throw LossError.shapeMismatch(
        argument: "where", expected: "broadcastable shapes",
        got: "\(Shape.describe(mask.shape)), \(Shape.describe(shape(a))), \(Shape.describe(shape(b)))")
    }
    let m = Kernels.broadcast(mask, to: out)
    let value = Kernels.select(m, Kernels.broadcast(self[a], to: out), Kernels.broadcast(self[b], to: out))
    return append(.select(mask: m), [a, b], value)
  }

  /// Reduces over `axes` (all axes when nil); axes must already be non-negative.
  public mutating func reduce(_ op: ReduceOp, _ x: Value, axes: [Int]?, keepDims: Bool = false) -> Value {
    let value = Kernels.reduce(op, operand(x), axes: axes, keepDims: keepDims, environment)
    return append(.reduce(op, axes: axes, keepDims: keepDims), [x], value)
  }

  /// The same elements with another shape (squeeze, expand_dims, reshape).
  ///
  /// - Precondition: `newShape` has as many elements as the value.
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

  /// The value broadcast to `shape` (NumPy rules; `shape` must be a broadcast target).
  ///
  /// - Throws: ``LossError/shapeMismatch(argument:expected:got:)`` naming `argument`.
  public mutating func broadcast(_ x: Value, to shape: [Int], argument: String = "operands") throws -> Value {
    if self.shape(x) == shape { return x }
    guard Shape.broadcast(self.shape(x), shape) == shape else {
      throw LossError.notBroadcastable(argument, shape: self.shape(x), to: Shape.describe(shape))
    }
    return append(.broadcast, [x], Kernels.broadcast(self[x], to: shape))
  }

  /// `softmax` along the last axis: `exp(x − max) / Σ exp(x − max)`.
  public mutating func softmax(_ x: Value) -> Value {
    append(.softmax, [x], Kernels.softmax(operand(x), environment))
  }

  /// Keeps the rows (along axis 0) where `mask` is true.
  public mutating func gatherRows(_ x: Value, mask: [Bool]) -> Value {
    append(.gatherRows(mask: mask), [x], Kernels.gatherRows(self[x], mask: mask))
  }

  /// Scatters rows back to the positions where `mask` is true, zeros elsewhere.
  public mutating func scatterRows(_ x: Value, mask: [Bool]) -> Value {
    append(.scatterRows(mask: mask), [x], Kernels.scatterRows(self[x], mask: mask))
  }

  /// Records the result of a framework kernel with its own backward formula: `vjp`
  /// maps the gradient of the output to that of `input`.
  public mutating func kernel(
    _ name: String, _ input: Value, value: Tensor<Scalar>, vjp: @escaping @Sendable (Tensor<Scalar>) -> Tensor<Scalar>
  ) -> Value {
    append(.kernel(name: name, vjp: vjp), [input], value)
  }

  /// `clamp(x, lower, upper)` as one op; a nil bound is absent (`clamp_min`,
  /// `clamp_max`). NaN stays NaN.
  public mutating func clamp(_ x: Value, lower: Scalar?, upper: Scalar?) -> Value {
    let value = operand(x).map { v -> Scalar in
      if v.isNaN { return v }
      var r = v
      if let lower, r < lower { r = lower }
      if let upper, r > upper { r = upper }
      return r
    }
    return append(.clamp(lower: lower, upper: upper), [x], value)
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

  public mutating func add(_ a: Value, _ b: Value, argument: String = "operands") throws -> Value {
    try binary(.add, a, b, argument: argument)
  }
  public mutating func subtract(_ a: Value, _ b: Value, argument: String = "operands") throws -> Value {
    try binary(.subtract, a, b, argument: argument)
  }
  public mutating func multiply(_ a: Value, _ b: Value, argument: String = "operands") throws -> Value {
    try binary(.multiply, a, b, argument: argument)
  }
  public mutating func divide(_ a: Value, _ b: Value, argument: String = "operands") throws -> Value {
    try binary(.divide, a, b, argument: argument)
  }
  public mutating func pow(_ a: Value, _ b: Value) throws -> Value { try binary(.pow, a, b) }

  /// `a + s`, `s − a` and friends with a scalar constant (a scalar always broadcasts).
  public mutating func add(_ a: Value, _ s: Scalar) -> Value { scalarOperation(.add, a, s) }
  public mutating func multiply(_ a: Value, _ s: Scalar) -> Value { scalarOperation(.multiply, a, s) }
  public mutating func subtract(_ s: Scalar, _ a: Value) -> Value {
    let c = constant(s)
    return append(.binary(.subtract), [c, a], Kernels.apply(.subtract, self[c], operand(a)))
  }
  public mutating func pow(_ a: Value, _ s: Scalar) -> Value { scalarOperation(.pow, a, s) }
  public mutating func maximum(_ a: Value, _ s: Scalar) -> Value { scalarOperation(.maximum, a, s) }
  public mutating func minimum(_ a: Value, _ s: Scalar) -> Value { scalarOperation(.minimum, a, s) }

  private mutating func scalarOperation(_ op: BinaryOp, _ a: Value, _ s: Scalar) -> Value {
    let c = constant(s)
    return append(.binary(op), [a, c], Kernels.apply(op, operand(a), self[c]))
  }

  public mutating func sum(_ x: Value, axis: Int? = nil, keepDims: Bool = false) -> Value {
    reduce(.sum, x, axes: axis.map { [$0] }, keepDims: keepDims)
  }
  public mutating func mean(_ x: Value, axis: Int? = nil, keepDims: Bool = false) -> Value {
    reduce(.mean, x, axes: axis.map { [$0] }, keepDims: keepDims)
  }
}
