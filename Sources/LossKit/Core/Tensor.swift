/// A dense, row-major array with a shape: the values a loss reads and returns.
///
/// `Tensor` is a plain value type (copy-on-write through its `Array` storage). Rank 0 is a
/// scalar (`shape == []`, one element). Element types are `Float` and `Double` for values,
/// `Int` for class labels and `Bool` for masks.
public struct Tensor<Scalar>: Sendable where Scalar: Sendable {
  /// The size of each dimension, outermost first.
  public private(set) var shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  ///
  /// Read-only so that the element count always fills the shape; change elements with
  /// ``subscript(flat:)`` or ``withUnsafeMutableBufferPointer(_:)``, which cannot
  /// change the count.
  public private(set) var scalars: [Scalar]

  /// Creates a tensor from a shape and its row-major elements.
  ///
  /// - Precondition: every dimension is non-negative and `scalars.count` is the product
  ///   of `shape`. (Readers that take shapes from users validate them first and throw
  ///   ``LossError/shapeMismatch(argument:expected:got:)`` instead.)
  public init(shape: [Int], scalars: [Scalar]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in \(shape)")
    precondition(
      scalars.count == shape.reduce(1, *),
      "Tensor: \(scalars.count) elements do not fill shape \(shape)")
    self.shape = shape
    self.scalars = scalars
  }

  /// A rank-0 tensor holding one value.
  public init(_ scalar: Scalar) {
    self.shape = []
    self.scalars = [scalar]
  }

  /// A rank-1 tensor of the given values.
  public init(_ scalars: [Scalar]) {
    self.shape = [scalars.count]
    self.scalars = scalars
  }

  /// A tensor of `shape` with every element equal to `value`.
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// The number of dimensions.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var count: Int { scalars.count }
  /// True for a rank-0 tensor.
  public var isScalar: Bool { shape.isEmpty }

  /// The shape as the frameworks print it: `(2, 3)`, `(3,)`, `()`.
  public var shapeDescription: String { Shape.describe(shape) }

  /// The same elements viewed with another shape of the same element count.
  ///
  /// - Precondition: `newShape` has as many elements as `shape`.
  public func reshaped(to newShape: [Int]) -> Tensor {
    Tensor(shape: newShape, scalars: scalars)
  }

  /// The element at a row-major (flat) index.
  ///
  /// - Precondition: `0 <= index < count`.
  public subscript(flat index: Int) -> Scalar {
    get { scalars[index] }
    set { scalars[index] = newValue }
  }

  /// Gives `body` mutable access to the elements in row-major order. The buffer has
  /// exactly ``count`` elements; it cannot be resized, so the shape stays valid.
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try scalars.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
  }

  /// Applies `transform` to every element.
  @_specialize(where Scalar == Float, T == Bool)
  @_specialize(where Scalar == Double, T == Bool)
  @_specialize(where Scalar == Float, T == Float)
  @_specialize(where Scalar == Double, T == Double)
  public func map<T>(_ transform: (Scalar) throws -> T) rethrows -> Tensor<T> {
    Tensor<T>(shape: shape, scalars: try scalars.map(transform))
  }
}

extension Tensor: Equatable where Scalar: Equatable {}
extension Tensor: Hashable where Scalar: Hashable {}

extension Tensor: CustomStringConvertible {
  /// A nested-list rendering, e.g. `[[0.1, 0.9], [0.8, 0.2]]`; a scalar prints bare.
  public var description: String { nestedList { "\($0)" } }

  /// The tensor as nested lists of `format(element)`, e.g. `[[0.1, 0.9], [0.8, 0.2]]`; a
  /// scalar is its element alone, an empty dimension `[]`.
  public func nestedList(_ format: (Scalar) -> String) -> String {
    if shape.isEmpty { return format(scalars[0]) }
    var out = ""
    var index = 0
    func emit(_ dim: Int) {
      out += "["
      for i in 0..<shape[dim] {
        if i > 0 { out += ", " }
        if dim == shape.count - 1 {
          out += format(scalars[index])
          index += 1
        } else {
          emit(dim + 1)
        }
      }
      out += "]"
    }
    emit(0)
    return out
  }
}

extension Tensor where Scalar: BinaryFloatingPoint {
  /// The same values converted to another floating-point type (rounding to nearest).
  public func converted<T: BinaryFloatingPoint & Sendable>(to _: T.Type = T.self) -> Tensor<T> {
    // To its own type: the same storage (copy-on-write), not a copy of every value.
    if let same = self as? Tensor<T> { return same }
    // float32 ↔ float64, the common case, as a plain loop over the buffers (it vectorises;
    // `map` does not).
    if let doubles = self as? Tensor<Double>, T.self == Float.self {
      return Tensor<Float>(shape: shape, scalars: Self.convert(doubles.scalars) { Float($0) }) as! Tensor<T>
    }
    if let floats = self as? Tensor<Float>, T.self == Double.self {
      return Tensor<Double>(shape: shape, scalars: Self.convert(floats.scalars) { Double($0) }) as! Tensor<T>
    }
    return Tensor<T>(shape: shape, scalars: scalars.map { T($0) })
  }

  @inline(__always)
  private static func convert<A, B>(_ values: [A], _ convert: (A) -> B) -> [B] {
    values.withUnsafeBufferPointer { source in
      [B](unsafeUninitializedCapacity: source.count) { out, initialized in
        for i in 0..<source.count { (out.baseAddress! + i).initialize(to: convert(source[i])) }
        initialized = source.count
      }
    }
  }
}
