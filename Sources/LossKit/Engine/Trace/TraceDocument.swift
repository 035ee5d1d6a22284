/// A recorded trace as a versioned, documented document (`losskit-trace/1`), the way
/// swift-argument-parser exports `ToolInfoV0`: what `losskit explain --json` prints and
/// what `compare` and the fused kernels use to name steps across frameworks.
///
/// The format is described in `docs/trace-format.md`. Fields are only ever added within
/// a version; a change in meaning gets a new type and format string.
public struct TraceDocumentV1: Codable, Sendable, Equatable {
  /// `losskit-trace/1`.
  public var format: String
  public var framework: String
  public var loss: String
  /// The dtype the loss computed in.
  public var dtype: String
  public var policy: Policy
  public var steps: [StepRecord]
  public var nodes: [NodeRecord]
  /// The index of the node holding the loss's output.
  public var output: Int

  public static let formatName = "losskit-trace/1"

  /// The engine policy the trace was recorded under.
  public struct Policy: Codable, Sendable, Equatable {
    public var name: String
    public var extremumTie: String
    public var summation: String
    public var elementaryFunctions: String
    public var flushesSubnormals: Bool

    enum CodingKeys: String, CodingKey {
      case name
      case extremumTie = "extremum_tie"
      case summation
      case elementaryFunctions = "elementary_functions"
      case flushesSubnormals = "flushes_subnormals"
    }
  }

  /// One step: its stable id, title, parameters, nesting, and the nodes recorded
  /// directly under it.
  public struct StepRecord: Codable, Sendable, Equatable {
    public var index: Int
    public var id: String
    public var title: String
    public var parameters: [NamedValue]
    public var parent: Int?
    public var depth: Int
    public var nodes: [Int]
  }

  /// A step parameter, `{"name": ..., "value": ...}`.
  public typealias NamedValue = ParameterAssignment

  /// One primitive operation with its value.
  public struct NodeRecord: Codable, Sendable, Equatable {
    public var index: Int
    /// The operation (`log`, `maximum`, `reduce_sum`, `input`, `constant`, ...).
    public var op: String
    /// The name of an input or constant (`y_pred`, `sample_weight`, `1e-07`).
    public var name: String?
    public var inputs: [Int]
    /// The step it was recorded under (index into `steps`), or nil.
    public var step: Int?
    public var differentiable: Bool
    public var value: TensorRecord
  }

  /// A tensor, shortened to its first elements when large.
  public struct TensorRecord: Codable, Sendable, Equatable {
    public var shape: [Int]
    /// The first `min(count, limit)` elements in row-major order.
    public var data: [Double]
    /// The number of elements of the full tensor.
    public var count: Int
    /// The dtype the numbers are exact in; float32 numbers print in their shortest form.
    public var dtype: String

    public var isTruncated: Bool { data.count < count }

    enum CodingKeys: String, CodingKey { case shape, data, count, dtype }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(shape, forKey: .shape)
      if dtype == DType.float32.rawValue {
        try container.encode(data.map { Float($0) }, forKey: .data)
      } else {
        try container.encode(data, forKey: .data)
      }
      try container.encode(count, forKey: .count)
      try container.encode(dtype, forKey: .dtype)
    }
  }
}

extension ParameterValue: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int.self) {
      self = .int(i)
    } else if let d = try? container.decode(Double.self) {
      self = .float(d)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else {
      self = .tensor(try container.decode(Tensor<Double>.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .bool(let b): try container.encode(b)
    case .int(let i): try container.encode(i)
    case .float(let d): try container.encode(d)
    case .string(let s): try container.encode(s)
    case .null: try container.encodeNil()
    case .tensor(let t): try container.encode(t)
    }
  }
}

extension Tensor: Codable where Scalar: Codable {
  enum CodingKeys: String, CodingKey { case shape, data }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let shape = try container.decode([Int].self, forKey: .shape)
    let data = try container.decode([Scalar].self, forKey: .data)
    guard shape.allSatisfy({ $0 >= 0 }), data.count == shape.reduce(1, *) else {
      throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "data does not fill shape \(shape)")
    }
    self.init(shape: shape, scalars: data)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(shape, forKey: .shape)
    try container.encode(scalars, forKey: .data)
  }
}

extension LossTrace {
  /// The trace as a ``TraceDocumentV1``; tensors are cut to their first
  /// `maximumElements` elements.
  public func document(framework: Framework, loss: String, output: Value, maximumElements: Int = 64) -> TraceDocumentV1 {
    let dtype = Scalar.dtype.rawValue
    func record(_ tensor: Tensor<Scalar>) -> TraceDocumentV1.TensorRecord {
      TraceDocumentV1.TensorRecord(
        shape: tensor.shape, data: tensor.scalars.prefix(maximumElements).map { Double($0) }, count: tensor.count, dtype: dtype)
    }
    var stepNodes = [[Int]](repeating: [], count: steps.count)
    for (index, node) in nodes.enumerated() { if let step = node.step { stepNodes[step].append(index) } }
    return TraceDocumentV1(
      format: TraceDocumentV1.formatName, framework: framework.rawValue, loss: loss, dtype: dtype,
      policy: TraceDocumentV1.Policy(
        name: policy.name, extremumTie: policy.gradientRules.extremumTie.rawValue, summation: policy.summation.description,
        elementaryFunctions: policy.elementaryFunctions.description, flushesSubnormals: policy.flushesSubnormals),
      steps: steps.enumerated().map { index, recorded in
        TraceDocumentV1.StepRecord(
          index: index, id: recorded.step.id.rawValue, title: recorded.step.title,
          parameters: recorded.step.parameters,
          parent: recorded.parent, depth: recorded.depth, nodes: stepNodes[index])
      },
      nodes: nodes.enumerated().map { index, node in
        let name: String?
        switch node.operation {
        case .input(let n), .constant(let n): name = n
        default: name = nil
        }
        return TraceDocumentV1.NodeRecord(
          index: index, op: node.operation.name, name: name, inputs: node.inputs.map(\.id), step: node.step,
          differentiable: node.isDifferentiable, value: record(node.value))
      },
      output: output.id)
  }
}

extension RecordedTrace {
  /// The trace as a ``TraceDocumentV1``.
  public func document(framework: Framework, loss: String, maximumElements: Int = 64) -> TraceDocumentV1 {
    switch self {
    case .float32(let trace, let output):
      trace.document(framework: framework, loss: loss, output: output, maximumElements: maximumElements)
    case .float64(let trace, let output):
      trace.document(framework: framework, loss: loss, output: output, maximumElements: maximumElements)
    }
  }
}
