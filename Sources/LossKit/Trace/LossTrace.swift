/// A record of one evaluation of a loss: every primitive operation in the order the
/// framework performs it, grouped into named steps, with its value.
///
/// Each loss in LossKit is written once, as a function that records its steps on a
/// `LossTrace` (see ``LossFunction``). Recording computes the forward values with the
/// framework's own order of operations in `Scalar`; ``gradient(of:withRespectTo:)``
/// then walks the record backwards applying each primitive's gradient *as the framework
/// defines it* (TensorFlow's `Maximum` passes the gradient on ties, its fused softmax
/// cross-entropy returns `softmax − labels`, ...), which is what reproduces their
/// gradient quirks. `losskit explain` prints the same record.
public struct LossTrace<Scalar: LossScalar>: Sendable {
  /// A handle to a recorded value.
  public struct Value: Hashable, Sendable {
    public let id: Int
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
    /// `softmax` along the last axis.
    case softmax
    /// TensorFlow's fused `SoftmaxCrossEntropyWithLogits` kernel on the last axis; its
    /// gradient is the kernel's `backprop` output, `softmax − labels`.
    case softmaxCrossEntropy(labels: Tensor<Scalar>, backprop: Tensor<Scalar>)
    /// TensorFlow's fused `SparseSoftmaxCrossEntropyWithLogits` kernel on the last axis.
    case sparseSoftmaxCrossEntropy(labels: [Int], backprop: Tensor<Scalar>)
    /// Rows (along axis 0) kept by a boolean mask, as `tensor[mask]`.
    case gatherRows(mask: [Bool])
    /// The inverse of `gatherRows`: rows scattered back into zeros (`tf.scatter_nd`).
    case scatterRows(mask: [Bool])
  }

  /// One recorded operation.
  public struct Node: Sendable {
    /// The named step the operation belongs to (e.g. "clip y_pred to [ε, 1 − ε]").
    public let step: String
    public let operation: Operation
    public let inputs: [Value]
    public let value: Tensor<Scalar>
    /// Whether the value depends on the differentiable input.
    public let isDifferentiable: Bool
  }

  /// Every recorded operation, in execution order.
  public private(set) var nodes: [Node] = []
  /// The step that new operations are recorded under.
  public var step: String = ""
  /// The differentiable input (`y_pred`), once recorded.
  public private(set) var differentiableInput: Value?

  public init() {}

  /// The value of a recorded node.
  public subscript(value: Value) -> Tensor<Scalar> { nodes[value.id].value }

  /// The shape of a recorded node.
  public func shape(_ value: Value) -> [Int] { nodes[value.id].value.shape }

  mutating func append(_ operation: Operation, _ inputs: [Value], _ value: Tensor<Scalar>) -> Value {
    let differentiable: Bool
    switch operation {
    case .input: differentiable = true
    case .constant: differentiable = false
    default: differentiable = inputs.contains { nodes[$0.id].isDifferentiable }
    }
    nodes.append(Node(step: step, operation: operation, inputs: inputs, value: value, isDifferentiable: differentiable))
    let recorded = Value(id: nodes.count - 1)
    if case .input = operation { differentiableInput = recorded }
    return recorded
  }
}
