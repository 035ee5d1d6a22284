import LossKit

/// Tensors in JSON: `{"shape": [...], "data": [...]}` (flat, row-major), a nested
/// list, or a bare number. Data elements are numbers or the strings `"nan"`, `"inf"`,
/// `"-inf"` (also `"infinity"`, any case).
public enum TensorJSON {
  /// Reads a tensor; `path` names the value in error messages.
  public static func decode(_ value: JSONValue, path: String) throws(InputError) -> Tensor<Double> {
    switch value {
    case .object:
      guard let shapeValue = value["shape"] else {
        throw InputError(path, "expected {\"shape\": [...], \"data\": [...]}, but \"shape\" is missing")
      }
      guard let dataValue = value["data"] else {
        throw InputError(path, "expected {\"shape\": [...], \"data\": [...]}, but \"data\" is missing")
      }
      let shape = try decodeShape(shapeValue, path: path + ".shape")
      guard case .array(let elements) = dataValue else {
        throw InputError(path + ".data", "expected a flat array of numbers, got \(dataValue.kindDescription)")
      }
      var scalars = [Double]()
      scalars.reserveCapacity(elements.count)
      for (i, element) in elements.enumerated() {
        scalars.append(try scalar(element, path: "\(path).data[\(i)]"))
      }
      let expected = shape.reduce(1, *)
      guard scalars.count == expected else {
        throw InputError(path, "shape \(shape) needs \(expected) elements, but data has \(scalars.count)")
      }
      return Tensor(shape: shape, scalars: scalars)
    case .array:
      // The shape is read down the first elements; every list is then checked against it.
      var shape: [Int] = []
      var probe = value
      while case .array(let elements) = probe {
        shape.append(elements.count)
        guard let first = elements.first else { break }
        probe = first
      }
      // No reserveCapacity from the probed shape: a hostile ragged list could make it
      // huge before `flatten` finds the raggedness.
      var scalars: [Double] = []
      try flatten(value, depth: 0, shape: shape, into: &scalars, path: path)
      return Tensor(shape: shape, scalars: scalars)
    default:
      return Tensor(try scalar(value, path: path))
    }
  }

  /// A shape: an array of non-negative integers.
  static func decodeShape(_ value: JSONValue, path: String) throws(InputError) -> [Int] {
    guard case .array(let dims) = value else {
      throw InputError(path, "expected an array of non-negative integers, got \(value.kindDescription)")
    }
    var shape: [Int] = []
    for (i, dim) in dims.enumerated() {
      guard case .number(_, let integer?) = dim, integer >= 0 else {
        throw InputError("\(path)[\(i)]", "expected a non-negative integer, got \(dim.kindDescription)")
      }
      shape.append(integer)
    }
    guard checkedElementCount(shape) != nil else { throw InputError(path, "shape \(shape) is too large") }
    return shape
  }

  /// One element: a number or a non-finite spelled as a string.
  public static func scalar(_ value: JSONValue, path: String) throws(InputError) -> Double {
    switch value {
    case .number(let d, _): return d
    case .string(let s):
      switch s.lowercased() {
      case "nan", "+nan", "-nan": return .nan
      case "inf", "+inf", "infinity", "+infinity": return .infinity
      case "-inf", "-infinity": return -.infinity
      default: throw InputError(path, "expected a number, got \(value.kindDescription)")
      }
    default:
      throw InputError(path, "expected a number, got \(value.kindDescription)")
    }
  }

  /// Flattens a nested list that must match `shape` everywhere.
  private static func flatten(
    _ value: JSONValue, depth: Int, shape: [Int], into scalars: inout [Double], path: String
  ) throws(InputError) {
    if depth == shape.count {
      guard case .array = value else {
        scalars.append(try scalar(value, path: path))
        return
      }
      throw InputError(path, "ragged nested list: expected a number here, got a list")
    }
    guard case .array(let elements) = value else {
      throw InputError(path, "ragged nested list: expected a list of \(shape[depth]) elements, got \(value.kindDescription)")
    }
    guard elements.count == shape[depth] else {
      throw InputError(path, "ragged nested list: expected \(shape[depth]) elements, got \(elements.count)")
    }
    for (i, element) in elements.enumerated() {
      try flatten(element, depth: depth + 1, shape: shape, into: &scalars, path: "\(path)[\(i)]")
    }
  }

  /// A tensor as `{"shape": [...], "data": [...]}`, each value in the shortest form
  /// that reads back exactly in `dtype` (non-finite values as `"nan"`, `"inf"`).
  public static func value(_ tensor: Tensor<Double>, dtype: DType) -> JSONValue {
    let data: [JSONValue] = tensor.scalars.map {
      dtype == .float32 ? JSONValueEncoder.number(Float($0)) : JSONValueEncoder.number($0)
    }
    return .object([("shape", .array(tensor.shape.map { .number(Double($0), integer: $0) })), ("data", .array(data))])
  }

  /// The same as ``value(_:dtype:)``, as compact JSON text.
  public static func encode(_ tensor: Tensor<Double>, dtype: DType) -> String {
    JSONWriter.write(value(tensor, dtype: dtype))
  }
}
