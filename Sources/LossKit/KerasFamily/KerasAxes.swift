/// The `axis` argument of Keras's `Dice` and `Tversky`: `None` (every axis, the batch
/// included, so the per-sample loss is one scalar) or an axis or tuple of axes.
public enum KerasAxes: Sendable, Hashable, ParameterConvertible {
  /// `axis=None`: reduce over every element.
  case all
  /// One or more axes (negative values count from the end).
  case axes([Int])

  public init?(parameterValue: ParameterValue) {
    switch parameterValue {
    case .null: self = .all
    case .int(let axis): self = .axes([axis])
    case .tensor(let tensor):
      guard tensor.rank <= 1, tensor.scalars.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e9 }) else { return nil }
      self = .axes(tensor.scalars.map { Int($0) })
    default: return nil
    }
  }

  public var parameterValue: ParameterValue {
    switch self {
    case .all: .null
    case .axes(let axes) where axes.count == 1: .int(axes[0])
    case .axes(let axes): .tensor(Tensor(axes.map(Double.init)))
    }
  }

  public static var parameterExpectation: String { "null, an integer axis or a list of axes" }

  /// The axes resolved against `rank` (nil for every axis), or an error naming `axis`.
  func resolved(rank: Int) throws -> [Int]? {
    guard case .axes(let axes) = self else { return nil }
    let resolved = try axes.map { try Shape.resolve(axis: $0, rank: rank) }
    guard Set(resolved).count == resolved.count else {
      throw LossError.invalidParameter(name: "axis", expected: "distinct axes", got: "\(axes)")
    }
    return resolved.sorted()
  }

  var description: String {
    switch self {
    case .all: "None"
    case .axes(let axes): axes.count == 1 ? "\(axes[0])" : "(" + axes.map(String.init).joined(separator: ", ") + ")"
    }
  }
}
