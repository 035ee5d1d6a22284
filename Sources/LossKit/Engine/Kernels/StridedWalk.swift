/// Visits the indices of a shape in row-major order, keeping one flat offset per
/// stride set in step. This one odometer drives broadcasting, transposes and
/// reductions: a stride of 0 repeats an element, permuted strides transpose.
struct StridedWalk {
  private let shape: [Int]
  private let strides: [[Int]]
  /// The current row-major multi-index.
  private(set) var index: [Int]
  /// The current offset under each stride set.
  private(set) var offsets: [Int]

  init(shape: [Int], strides: [[Int]]) {
    self.shape = shape
    self.strides = strides
    index = Array(repeating: 0, count: shape.count)
    offsets = Array(repeating: 0, count: strides.count)
  }

  /// Moves to the next index (wrapping to the start after the last).
  mutating func advance() {
    var d = shape.count - 1
    while d >= 0 {
      index[d] += 1
      for s in 0..<strides.count { offsets[s] += strides[s][d] }
      if index[d] < shape[d] { return }
      for s in 0..<strides.count { offsets[s] -= strides[s][d] * shape[d] }
      index[d] = 0
      d -= 1
    }
  }
}

extension Kernels {
  /// The elements of `x` read at `strides` over `shape`: a transpose, a broadcast, or both.
  @_specialize(where T == Float)
  @_specialize(where T == Double)
  @_specialize(where T == Bool)
  static func gather<T>(_ x: Tensor<T>, shape: [Int], strides: [Int]) -> Tensor<T> {
    let count = Shape.count(shape)
    var out = [T]()
    out.reserveCapacity(count)
    var walk = StridedWalk(shape: shape, strides: [strides])
    for _ in 0..<count {
      out.append(x.scalars[walk.offsets[0]])
      walk.advance()
    }
    return Tensor(shape: shape, scalars: out)
  }
}

extension Tensor {
  /// The tensor with its axes permuted: axis `i` of the result is axis
  /// `permutation[i]` of `self`.
  ///
  /// - Precondition: `permutation` is a permutation of `0..<rank`.
  public func transposed(_ permutation: [Int]) -> Tensor {
    precondition(permutation.sorted() == Array(0..<rank), "transposed: \(permutation) is not a permutation of the axes")
    let own = Shape.strides(shape)
    return Kernels.gather(self, shape: permutation.map { shape[$0] }, strides: permutation.map { own[$0] })
  }
}
