extension Kernels {
  /// The permutation that undoes `permutation`.
  static func inverse(_ permutation: [Int]) -> [Int] {
    var inverse = Array(repeating: 0, count: permutation.count)
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    return inverse
  }

  /// The permutation moving `axis` to the end, keeping the others in order.
  static func movingToEnd(_ axis: Int, rank: Int) -> [Int] {
    (0..<rank).filter { $0 != axis } + [axis]
  }

  /// Softmax along the last axis, `exp(x − max) / Σ exp(x − max)`, as TF's kernel
  /// (`softmax_op_functor.h`): `exp` over the whole shifted tensor, the row sums, their
  /// reciprocals, then a multiply (not a divide).
  static func softmax<S: LossScalar>(_ x: Tensor<S>, _ environment: KernelEnvironment) -> Tensor<S> {
    let classes = x.shape.last ?? 1
    guard classes > 0 else { return x }
    let rows = x.count / classes
    let shifted = shiftedRows(x, rows: rows, classes: classes, environment)
    var out = apply(.exp, shifted, environment).map { environment.flushed($0) }
    for row in 0..<rows {
      let base = row * classes
      let inverse = environment.flushed(1 / rowSum(out[base..<(base + classes)], first: base, environment))
      for j in 0..<classes { out[base + j] = environment.flushed(out[base + j] * inverse) }
    }
    return Tensor(shape: x.shape, scalars: out)
  }

  /// Rows (slices along axis 0) where `mask` is true.
  static func gatherRows<T>(_ x: Tensor<T>, mask: [Bool]) -> Tensor<T> {
    let rowSize = x.shape.dropFirst().reduce(1, *)
    var out = [T]()
    for (row, keep) in mask.enumerated() where keep {
      out.append(contentsOf: x.scalars[(row * rowSize)..<((row + 1) * rowSize)])
    }
    return Tensor(shape: [out.count / max(rowSize, 1)] + Array(x.shape.dropFirst()), scalars: out)
  }

  /// Places consecutive rows of `x` at the positions where `mask` is true; zeros elsewhere.
  static func scatterRows<S: LossScalar>(_ x: Tensor<S>, mask: [Bool]) -> Tensor<S> {
    let rowSize = x.shape.dropFirst().reduce(1, *)
    var out = [S](repeating: 0, count: mask.count * rowSize)
    var next = 0
    for (row, keep) in mask.enumerated() where keep {
      for j in 0..<rowSize { out[row * rowSize + j] = x.scalars[next * rowSize + j] }
      next += 1
    }
    return Tensor(shape: [mask.count] + Array(x.shape.dropFirst()), scalars: out)
  }
}
