/// TensorFlow ops recorded primitive by primitive, in TensorFlow's own order, so that
/// values and gradients follow TF exactly. Shared by the `tf.nn` losses, the Keras 3
/// TensorFlow backend and tf-keras.
enum TensorFlowOps {
  typealias Value<S: LossScalar> = LossTrace<S>.Value

  /// `tf.nn.sigmoid_cross_entropy_with_logits` (`nn_impl.py`):
  /// `where(x ≥ 0, x, 0) − x·z + log1p(exp(where(x ≥ 0, −x, x)))`. The `where` form keeps
  /// the gradient at `x = 0` equal to the true `0.5 − z`.
  static func sigmoidCrossEntropyWithLogits<S: LossScalar>(
    _ t: inout LossTrace<S>, labels: Value<S>, logits: Value<S>
  ) throws -> Value<S> {
    try Shape.requireSame(t.shape(labels), "labels", as: t.shape(logits), "logits")
    let cond = t[logits].map { $0 >= 0 }
    let zeros = t.constant(Tensor(repeating: 0, shape: t.shape(logits)), name: "zeros_like(logits)")
    let reluLogits = try t.select(cond, logits, zeros)
    let negated = t.negate(logits)
    let negAbsLogits = try t.select(cond, negated, logits)
    let product = try t.multiply(logits, labels)
    let linear = try t.subtract(reluLogits, product)
    let softplus = t.log1p(t.exp(negAbsLogits))
    return try t.add(linear, softplus)
  }

  /// `tf.nn.weighted_cross_entropy_with_logits` (`nn_impl.py`, v2):
  /// `(1 − z)·x + (1 + (q − 1)·z)·(log1p(exp(−|x|)) + relu(−x))`.
  /// TF's `abs′(0) = 0` and `relu′(0) = 0` make its gradient at `x = 0` equal `1 − z`.
  static func weightedCrossEntropyWithLogits<S: LossScalar>(
    _ t: inout LossTrace<S>, labels: Value<S>, logits: Value<S>,
    posWeight: TF.WeightedCrossEntropyWithLogits.PositiveWeight
  ) throws -> Value<S> {
    try Shape.requireSame(t.shape(labels), "labels", as: t.shape(logits), "logits")
    // `pos_weight - 1` is Python arithmetic for a float, a tensor op for a tensor.
    let posWeightMinusOne: Value<S>
    switch posWeight {
    case .scalar(let q): posWeightMinusOne = t.constant(S(q - 1), name: "pos_weight - 1")
    case .tensor(let q):
      let weight = t.constant(q.converted(), name: "pos_weight")
      posWeightMinusOne = try t.subtract(weight, t.constant(S(1)))
    }
    let scaledLabels = try t.binary(.multiply, posWeightMinusOne, labels, argument: "pos_weight")
    let logWeight = try t.add(t.constant(S(1)), scaledLabels)
    let oneMinusLabels = t.subtract(1, labels)
    let linear = try t.multiply(oneMinusLabels, logits)
    let softplus = t.log1p(t.exp(t.negate(t.abs(logits))))
    let reluNeg = t.relu(t.negate(logits))
    let bracket = try t.add(softplus, reluNeg)
    let weighted = try t.binary(.multiply, logWeight, bracket, argument: "pos_weight")
    return try t.add(linear, weighted)
  }

  /// `tf.nn.softmax_cross_entropy_with_logits` (v2) along `axis`: moves the axis to the
  /// end, then runs the fused kernel (`xent_op.h`), whose loss is `Σ y·(log S − s)` and
  /// whose gradient is `softmax − y` even when the labels do not sum to one.
  static func softmaxCrossEntropyWithLogits<S: LossScalar>(
    _ t: inout LossTrace<S>, labels: Value<S>, logits: Value<S>, axis: Int
  ) throws -> Value<S> {
    var labels = labels
    if t.shape(labels) != t.shape(logits) {
      // The kernel broadcasts labels against logits (e.g. one label row for a batch).
      guard Shape.broadcast(t.shape(labels), t.shape(logits)) == t.shape(logits) else {
        throw LossError.shapeMismatch(
          argument: "labels", expected: "the shape of logits \(Shape.describe(t.shape(logits))) or one that broadcasts to it",
          got: Shape.describe(t.shape(labels)))
      }
      labels = t.constant(Kernels.broadcast(t[labels], to: t.shape(logits)), name: "labels broadcast to logits")
    }
    let rank = t.shape(logits).count
    guard rank > 0 else {
      throw LossError.shapeMismatch(argument: "logits", expected: "rank at least 1", got: "a scalar")
    }
    let resolved = try Shape.resolve(axis: axis, rank: rank)
    let permutation = Kernels.movingToEnd(resolved, rank: rank)
    let movedLogits = t.transpose(logits, permutation)
    let movedLabels = t.transpose(labels, permutation)
    let (loss, backprop) = Kernels.softmaxCrossEntropy(logits: t.operand(movedLogits), labels: t.operand(movedLabels), t.environment)
    return t.fused(.softmaxCrossEntropy(labels: t[movedLabels], backprop: backprop), [movedLogits], loss)
  }

  /// `tf.nn.sparse_softmax_cross_entropy_with_logits`: class axis last, labels of rank
  /// `rank(logits) − 1`; an out-of-range label raises (TF's CPU kernel does).
  static func sparseSoftmaxCrossEntropyWithLogits<S: LossScalar>(
    _ t: inout LossTrace<S>, labels: Tensor<Int>, logits: Value<S>, labelArgument: String = "labels",
    logitsArgument: String = "logits"
  ) throws -> Value<S> {
    let logitsShape = t.shape(logits)
    guard !logitsShape.isEmpty else {
      throw LossError.shapeMismatch(argument: logitsArgument, expected: "rank at least 1", got: "a scalar")
    }
    guard labels.rank == logitsShape.count - 1 else {
      throw LossError.shapeMismatch(
        argument: labelArgument,
        expected: "rank \(logitsShape.count - 1) (rank of \(logitsArgument) \(Shape.describe(logitsShape)) minus 1)",
        got: "shape \(Shape.describe(labels.shape))")
    }
    guard labels.shape == Array(logitsShape.dropLast()) else {
      throw LossError.shapeMismatch(
        argument: labelArgument, expected: "shape \(Shape.describe(Array(logitsShape.dropLast())))",
        got: Shape.describe(labels.shape))
    }
    let classes = logitsShape.last!
    try ClassLabels.requireInRange(labels, classes: classes, argument: labelArgument)
    let (loss, backprop) = Kernels.sparseSoftmaxCrossEntropy(logits: t.operand(logits), labels: labels.scalars, t.environment)
    return t.fused(.sparseSoftmaxCrossEntropy(labels: labels.scalars, backprop: backprop), [logits], loss)
  }

  /// `tf.nn.softmax(x, axis)`: TF swaps `axis` with the last axis, applies the kernel,
  /// and swaps back.
  static func softmax<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>, axis: Int) throws -> Value<S> {
    let rank = t.shape(x).count
    let resolved = try Shape.resolve(axis: axis, rank: rank)
    var swap = Array(0..<rank)
    swap.swapAt(resolved, rank - 1)
    let moved = t.transpose(x, swap)
    let probabilities = t.softmax(moved)
    return t.transpose(probabilities, swap)
  }

  /// `tf.nn.log_poisson_loss`: `exp(c) − c·z`, plus Stirling's term
  /// `z·log z − z + 0.5·log(2πz)` where `z > 1` (or `z < 0`) when `computeFullLoss`.
  static func logPoissonLoss<S: LossScalar>(
    _ t: inout LossTrace<S>, targets: Value<S>, logInput: Value<S>, computeFullLoss: Bool
  ) throws -> Value<S> {
    try Shape.requireSame(t.shape(targets), "targets", as: t.shape(logInput), "log_input")
    let product = try t.multiply(logInput, targets)
    var result = try t.subtract(t.exp(logInput), product)
    if computeFullLoss {
      result = try t.step("stirling-term", "Stirling's approximation of log(z!) where z > 1 (compute_full_loss)") { t in
      let zLogZ = try t.multiply(targets, t.log(targets))
      let halfLog = try t.multiply(t.constant(S(0.5)), t.log(t.multiply(t.constant(S(2 * Double.pi)), targets)))
      let stirling = try t.add(t.subtract(zLogZ, targets), halfLog)
      let cond = t[targets].map { $0 >= 0 && $0 <= 1 }
      let zeros = t.constant(Tensor(repeating: 0, shape: t.shape(targets)), name: "zeros_like(targets)")
      let term = try t.select(cond, zeros, stirling)
      return try t.add(result, term)
      }
    }
    return result
  }

  /// `tf.clip_by_value(x, lo, hi)`: `maximum(minimum(x, hi), lo)`, so the gradient on a
  /// bound follows the policy's tie rule (TensorFlow: it passes through).
  static func clipByValue<S: LossScalar>(_ t: inout LossTrace<S>, _ x: Value<S>, _ lo: S, _ hi: S) -> Value<S> {
    t.maximum(t.minimum(x, hi), lo)
  }
}

extension Kernels {
  /// TF's `SoftmaxCrossEntropyWithLogits` kernel on the last axis (`xent_op.h`), step by
  /// step as its Eigen expressions evaluate: `s = x − max x` per row; `S = Σ exp s` per
  /// row (the exp of each row's run of classes, see ``ElementaryFunctions``); loss
  /// `Σ y·(log S − s)` with `log S` evaluated over the batch; backprop `exp(s)/S − y`
  /// with `exp(s)` evaluated over the whole tensor.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func softmaxCrossEntropy<S: LossScalar>(
    logits: Tensor<S>, labels: Tensor<S>, _ environment: KernelEnvironment
  ) -> (loss: Tensor<S>, backprop: Tensor<S>) {
    let classes = logits.shape.last ?? 1
    let rows = Shape.count(Array(logits.shape.dropLast()))
    let shifted = shiftedRows(logits, rows: rows, classes: classes, environment)
    let sums = rowExpSums(shifted, rows: rows, classes: classes, environment)
    let logSums = apply(.log, sums, environment).map { environment.flushed($0) }
    var loss = [S](repeating: 0, count: rows)
    var terms = [S](repeating: 0, count: classes)
    for row in 0..<rows {
      let base = row * classes
      for j in 0..<classes { terms[j] = environment.flushed(labels.scalars[base + j] * environment.flushed(logSums[row] - shifted[base + j])) }
      loss[row] = rowSum(terms[...], first: base, environment)
    }
    let backprop = softmaxBackprop(shifted, sums: sums, classes: classes, environment) { row, j in labels.scalars[row * classes + j] }
    return (Tensor(shape: Array(logits.shape.dropLast()), scalars: loss), Tensor(shape: logits.shape, scalars: backprop))
  }

  /// TF's `SparseSoftmaxCrossEntropyWithLogits` kernel (`sparse_xent_op.h`): loss
  /// `log S − s_label` with the C library's `log` (a scalar generator), backprop
  /// `exp(s)/S − onehot(label)` with `exp(s)` evaluated over the whole tensor.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func sparseSoftmaxCrossEntropy<S: LossScalar>(
    logits: Tensor<S>, labels: [Int], _ environment: KernelEnvironment
  ) -> (loss: Tensor<S>, backprop: Tensor<S>) {
    let classes = logits.shape.last ?? 1
    let rows = labels.count
    let shifted = shiftedRows(logits, rows: rows, classes: classes, environment)
    let sums = rowExpSums(shifted, rows: rows, classes: classes, environment)
    let loss = (0..<rows).map { row in environment.flushed(S.log(sums[row]) - shifted[row * classes + labels[row]]) }
    let backprop = softmaxBackprop(shifted, sums: sums, classes: classes, environment) { row, j in j == labels[row] ? 1 : 0 }
    return (Tensor(shape: Array(logits.shape.dropLast()), scalars: loss), Tensor(shape: logits.shape, scalars: backprop))
  }

  /// The backprop both xent kernels end with, `exp(s)/S − y` per row, `exp(s)` evaluated
  /// over the whole tensor; `label(row, j)` is `y` of class `j` (one-hot for the sparse
  /// kernel).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func softmaxBackprop<S: LossScalar>(
    _ shifted: [S], sums: [S], classes: Int, _ environment: KernelEnvironment, label: (_ row: Int, _ j: Int) -> S
  ) -> [S] {
    var backprop = apply(.exp, shifted, environment)
    for row in sums.indices {
      for j in 0..<classes {
        let i = row * classes + j
        backprop[i] = environment.flushed(environment.flushed(environment.flushed(backprop[i]) / sums[row]) - label(row, j))
      }
    }
    return backprop
  }

  /// `x − max(x)` per row of `classes` elements.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func shiftedRows<S: LossScalar>(_ logits: Tensor<S>, rows: Int, classes: Int, _ environment: KernelEnvironment) -> [S] {
    var shifted = logits.scalars
    for row in 0..<rows {
      let base = row * classes
      var m = -S.infinity
      for j in 0..<classes { m = maximum(m, logits.scalars[base + j]) }
      for j in 0..<classes { shifted[base + j] = environment.flushed(logits.scalars[base + j] - m) }
    }
    return shifted
  }

  /// `Σ exp(s)` per row, in the reduction's order; the reducer evaluates `exp` on each
  /// row's run of classes.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func rowExpSums<S: LossScalar>(_ shifted: [S], rows: Int, classes: Int, _ environment: KernelEnvironment) -> [S] {
    (0..<rows).map { row in
      let base = row * classes
      let exponentials = apply(.exp, Array(shifted[base..<(base + classes)]), environment).map { environment.flushed($0) }
      return rowSum(exponentials[...], first: base, environment)
    }
  }
}
