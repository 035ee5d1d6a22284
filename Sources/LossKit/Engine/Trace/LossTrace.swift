/// A record of one evaluation of a loss: every primitive operation in the order the
/// framework performs it, grouped into named, nestable steps, with its value.
///
/// Each loss in LossKit is written once, as a function that records its steps on a
/// `LossTrace` (see ``LossFunction``). Recording computes the forward values in the
/// framework's own order of operations in `Scalar`; ``gradient(of:withRespectTo:)``
/// then walks the record backwards applying each primitive's gradient. How primitives
/// behave where frameworks differ — the gradient at a tie of `maximum`, the order of a
/// sum, subnormal flushing — is the trace's ``policy``, which the loss's framework
/// supplies. `losskit explain` prints the same record; ``export(framework:loss:)``
/// gives it as a versioned document.
public struct LossTrace<Scalar: LossScalar>: Sendable {
  /// A handle to a recorded value. It belongs to the trace that recorded it.
  public struct Value: Hashable, Sendable {
    public let id: Int
    let trace: UInt64
  }

  /// What a node computes.
  public enum Operation: Sendable {
    /// The differentiable input (`y_pred`).
    case input(String)
    /// A constant: labels, weights, ε, a literal.
    case constant(String)
    case unary(UnaryOp)
    case binary(BinaryOp)
    /// `where(mask, a, b)`.
    case select(mask: Tensor<Bool>)
    case reduce(ReduceOp, axes: [Int]?, keepDims: Bool)
    /// Squeeze, expand_dims or reshape: the same elements under another shape.
    case reshape
    case transpose(permutation: [Int])
    /// The value repeated to a larger shape under NumPy broadcasting (`broadcast_to`,
    /// torch's `expand`); its gradient sums back over the repeated axes.
    case broadcast
    /// `softmax` along the last axis.
    case softmax
    /// TensorFlow's fused `SoftmaxCrossEntropyWithLogits` kernel on the last axis; its
    /// gradient is the kernel's `backprop` output, `softmax − labels`.
    case softmaxCrossEntropy(labels: Tensor<Scalar>, backprop: Tensor<Scalar>)
    /// TensorFlow's fused `SparseSoftmaxCrossEntropyWithLogits` kernel on the last axis.
    case sparseSoftmaxCrossEntropy(labels: [Int], backprop: Tensor<Scalar>)
    /// A framework kernel with its own backward formula: its value was computed by the
    /// kernel, and `vjp` maps the gradient of its output to the gradient of its first
    /// input (torch's `binary_cross_entropy` backward `(x − y) / max((1 − x)·x, 1e-12)`
    /// is not the derivative of its clamped forward, for example).
    case kernel(name: String, vjp: @Sendable (Tensor<Scalar>) -> Tensor<Scalar>)
    /// `clamp(x, lower, upper)` as one op (torch's `clamp`, `clamp_min`, `clamp_max`);
    /// its gradient on a bound follows ``GradientRules/clampAtBound``.
    case clamp(lower: Scalar?, upper: Scalar?)
    /// Rows (along axis 0) kept by a boolean mask, as `tensor[mask]`.
    case gatherRows(mask: [Bool])
    /// The inverse of `gatherRows`: rows scattered back into zeros (`tf.scatter_nd`).
    case scatterRows(mask: [Bool])
    /// Element `i` of the output is element `indices[i]` of the input (flat, row-major),
    /// or `fill` where the index is nil (an out-of-bounds index in JAX's `fill` mode).
    /// Its gradient scatter-adds into zeros and drops the filled positions (XLA's
    /// `gather` and its transpose, `scatter-add`).
    case gather(indices: [Int?], fill: Scalar)
    /// The inputs joined along `axis` (`jnp.concatenate`, `jnp.stack` after expanding).
    case concatenate(axis: Int)
    /// A function with its own derivative rule of several inputs (JAX's `custom_jvp`,
    /// e.g. `jnp.logaddexp`): `vjp` maps the gradient of the output to the gradient of
    /// each input (nil for an input it does not differentiate).
    case customGradient(name: String, vjp: @Sendable (Tensor<Scalar>) -> [Tensor<Scalar>?])

    /// The operation's name in trace exports (`log`, `maximum`, `reduce_sum`, ...).
    public var name: String {
      switch self {
      case .input: "input"
      case .constant: "constant"
      case .unary(let op): op.rawValue
      case .binary(let op): op.rawValue
      case .select: "where"
      case .reduce(let op, _, _): "reduce_" + op.rawValue
      case .reshape: "reshape"
      case .transpose: "transpose"
      case .broadcast: "broadcast_to"
      case .softmax: "softmax"
      case .softmaxCrossEntropy: "softmax_cross_entropy_with_logits"
      case .sparseSoftmaxCrossEntropy: "sparse_softmax_cross_entropy_with_logits"
      case .kernel(let name, _): name
      case .clamp: "clamp"
      case .gatherRows: "boolean_mask"
      case .scatterRows: "scatter_nd"
      case .gather: "gather"
      case .concatenate: "concatenate"
      case .customGradient(let name, _): name
      }
    }

    /// Whether the operation is floating-point arithmetic (and so subject to subnormal
    /// flushing), rather than a copy, a sign-bit operation or a selection.
    var isArithmetic: Bool {
      switch self {
      case .input, .constant, .select, .reshape, .transpose, .broadcast, .gatherRows, .scatterRows, .gather, .concatenate: false
      case .unary(let op): op != .negate && op != .abs
      default: true
      }
    }
  }

  /// One recorded operation.
  public struct Node: Sendable {
    public let operation: Operation
    public let inputs: [Value]
    public let value: Tensor<Scalar>
    /// Whether the value depends on the differentiable input.
    public let isDifferentiable: Bool
    /// The index in ``LossTrace/steps`` of the innermost step open when the operation
    /// was recorded, or nil outside every step.
    public let step: Int?
  }

  /// How primitives behave: the framework's gradient rules, summation order,
  /// elementary functions and subnormal handling.
  public let policy: FrameworkPolicy
  /// Every recorded operation, in execution order.
  public private(set) var nodes: [Node] = []
  /// Every step opened with ``step(_:_:_:_:)``, in the order they were opened.
  public internal(set) var steps: [RecordedStep] = []
  /// The differentiable input (`y_pred`), once recorded.
  public private(set) var differentiableInput: Value?
  /// The step new operations are recorded under.
  var openStep: Int? = nil
  /// Identifies this trace's values.
  private let token: UInt64

  public init(policy: FrameworkPolicy) {
    self.policy = policy
    var generator = SystemRandomNumberGenerator()
    token = generator.next()
  }

  /// The value of a recorded node.
  ///
  /// - Precondition: `value` was recorded on this trace.
  public subscript(value: Value) -> Tensor<Scalar> { nodes[check(value)].value }

  /// The shape of a recorded node.
  public func shape(_ value: Value) -> [Int] { nodes[check(value)].value.shape }

  private func check(_ value: Value) -> Int {
    precondition(value.trace == token, "LossTrace: a Value from another trace was used")
    return value.id
  }

  /// The kernel settings this trace's policy implies.
  var environment: KernelEnvironment { KernelEnvironment(policy) }

  mutating func append(_ operation: Operation, _ inputs: [Value], _ value: Tensor<Scalar>) -> Value {
    let differentiable: Bool
    switch operation {
    case .input: differentiable = true
    case .constant: differentiable = false
    default: differentiable = inputs.contains { nodes[check($0)].isDifferentiable }
    }
    let stored = operation.isArithmetic ? environment.flushed(value) : value
    nodes.append(Node(operation: operation, inputs: inputs, value: stored, isDifferentiable: differentiable, step: openStep))
    let recorded = Value(id: nodes.count - 1, trace: token)
    if case .input = operation { differentiableInput = recorded }
    return recorded
  }

  /// The operand values of an arithmetic operation, with subnormals read as zero when
  /// the policy flushes them (DAZ).
  func operand(_ value: Value) -> Tensor<Scalar> { environment.flushed(self[value]) }
}
