/// An `axis` argument as Keras and Optax take it: `None` (every axis, the batch
/// included), an integer, or a tuple of integers (a rank-1 tensor in case files).
/// Negative axes count from the end.
public enum AxisArgument: Sendable, Hashable, ParameterConvertible, ExpressibleByIntegerLiteral {
  /// `axis=None`: every axis.
  case all
  /// One or more axes.
  case axes([Int])

  public init(integerLiteral value: Int) { self = .axes([value]) }
  /// One axis.
  public static func axis(_ axis: Int) -> AxisArgument { .axes([axis]) }
  /// A tuple of axes (kept as a tuple even with one element, as Python distinguishes
  /// `axis=(1,)` from `axis=1` only in error messages).
  public static func tuple(_ axes: [Int]) -> AxisArgument { .axes(axes) }

  public init?(parameterValue: ParameterValue) {
    switch parameterValue {
    case .null: self = .all
    case .int(let axis): self = .axes([axis])
    case .tensor(let t):
      guard t.rank <= 1, t.scalars.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e9 }) else { return nil }
      self = .axes(t.scalars.map { Int($0) })
    default: return nil
    }
  }

  public var parameterValue: ParameterValue {
    switch self {
    case .all: .null
    case .axes(let a) where a.count == 1: .int(a[0])
    case .axes(let a): .tensor(Tensor(shape: [a.count], scalars: a.map(Double.init)))
    }
  }
  public static var parameterExpectation: String { "null (every axis), an integer axis or a list of axes" }

  /// The axes, non-negative and sorted, against `rank` (every axis for ``all``).
  ///
  /// - Throws: ``LossError/invalidParameter(name:expected:got:)`` naming `parameter`
  ///   for an axis out of range or repeated (NumPy's `AxisError`/"repeated axis").
  public func resolved(rank: Int, parameter: String = "axis") throws -> [Int] {
    try resolvedInOrder(rank: rank, parameter: parameter).sorted()
  }

  /// The axes, non-negative, in the order given.
  public func resolvedInOrder(rank: Int, parameter: String = "axis") throws -> [Int] {
    switch self {
    case .all: return Array(0..<rank)
    case .axes(let list):
      let resolved = try list.map { try Shape.resolve(axis: $0, rank: rank, parameter: parameter) }
      guard Set(resolved).count == resolved.count else {
        throw LossError.invalidParameter(name: parameter, expected: "distinct axes", got: "\(list)")
      }
      return resolved
    }
  }

  /// The `axes` a trace reduction takes: nil for every axis, as the trace records it.
  func reductionAxes(rank: Int) throws -> [Int]? {
    self == .all ? nil : try resolved(rank: rank)
  }

  /// The argument as Python prints it: `None`, `1`, `(1, 2)`.
  var pythonDescription: String {
    switch self {
    case .all: "None"
    case .axes(let axes): axes.count == 1 ? "\(axes[0])" : "(" + axes.map(String.init).joined(separator: ", ") + ")"
    }
  }
}
