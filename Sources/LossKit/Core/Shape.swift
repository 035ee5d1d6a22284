/// Shape arithmetic shared by the kernels and the traced operations.
public enum Shape {
  /// The element count of a shape.
  static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// Row-major strides of a shape.
  static func strides(_ shape: [Int]) -> [Int] {
    var strides = Array(repeating: 1, count: shape.count)
    var running = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = running
      running *= shape[i]
    }
    return strides
  }

  /// NumPy broadcasting of two shapes (trailing axes aligned; 1 stretches), or nil
  /// when they are incompatible.
  static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = Array(repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 {
        out[i] = da
      } else if da == 1 {
        out[i] = db
      } else {
        return nil
      }
    }
    return out
  }

  /// Resolves a possibly negative axis against a rank, or nil when out of range.
  static func normalize(axis: Int, rank: Int) -> Int? {
    let resolved = axis < 0 ? axis + rank : axis
    return (0..<rank).contains(resolved) ? resolved : nil
  }

  /// Resolves `axis` against `rank`, or throws naming `parameter` (the framework's name
  /// for the axis argument).
  static func resolve(axis: Int, rank: Int, parameter: String = "axis") throws -> Int {
    guard let resolved = normalize(axis: axis, rank: rank) else {
      throw LossError.invalidParameter(
        name: parameter, expected: rank == 0 ? "inputs of rank at least 1" : "an axis in [-\(rank), \(rank))",
        got: "\(axis)")
    }
    return resolved
  }

  /// Throws unless `a` and `b` have the same shape: `a` is named as the argument at
  /// fault, `b` as the reference.
  static func requireSame(_ a: [Int], _ aName: String, as b: [Int], _ bName: String) throws {
    guard a == b else {
      throw LossError.shapeMismatch(
        argument: aName, expected: "the same shape as \(bName) \(describe(b))", got: describe(a))
    }
  }

  /// `shape` without the dimension at `axis`.
  static func removing(_ axis: Int, from shape: [Int]) -> [Int] {
    var result = shape
    result.remove(at: axis)
    return result
  }

  /// Renders a shape the way the frameworks print it: `(2, 3)`, `(3,)`, `()`.
  public static func describe(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }
}
