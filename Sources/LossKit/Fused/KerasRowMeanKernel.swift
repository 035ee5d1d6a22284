import CLossKitKernels

/// The reduction every Keras-family elementwise loss shares, fused: per-element losses
/// computed a leaf of Eigen's summation tree at a time into a cache-sized scratch, the
/// mean over the last axis (`tf.reduce_mean`: the row's Eigen tree, then `/ columns`),
/// then the batch reduction (`none`, `sum`, or the sum over Eigen's tree divided by the
/// row count) — the float operations of the traced path, without its full-size tensors.
/// Leaves run in parallel and combine in the tree's order, so the result does not depend
/// on the thread count.
///
/// The caller supplies `elementwise(start, n, scratch, gradient)`: the losses of
/// elements `[start, start + n)` into `scratch`, and, when `gradient` is non-nil, their
/// gradients times ``seed(shape:reduction:)`` into `gradient + start`.
enum KerasRowMeanKernel {
  static let leaf = 8 * EigenSummation.leafSize

  /// The incoming gradient per element at the elementwise formula, as the trace's
  /// backward pass forms it: `1/rows` (the mean's `divide_no_nan`) or 1, then divided
  /// by the row length (`reduce_mean`'s gradient).
  static func seed(shape: [Int], reduction: ReductionKind) -> Float {
    let rows = shape.count == 1 ? 1 : shape.dropLast().reduce(1, *)
    let outer: Float = shape.count == 1 || reduction != .mean ? 1 : 1 / Float(rows)
    return outer / Float(shape.last!)
  }

  typealias Elementwise = (_ start: Int, _ count: Int, _ scratch: UnsafeMutablePointer<Float>, _ gradient: UnsafeMutablePointer<Float>?) -> Void

  /// The reduced loss of a `shape` (rank ≥ 1, no zero extent) input.
  /// A leaf's sum computed with its elements in one pass (`(start, count, gradient) →
  /// sum`), the same float operations as `elementwise` then `lk_eigen_leaf_sum`.
  typealias LeafSum = (_ start: Int, _ count: Int, _ gradient: UnsafeMutablePointer<Float>?) -> Float

  static func evaluate(
    shape: [Int], reduction: ReductionKind, packet: Int, flushes: Bool, gradient: UnsafeMutablePointer<Float>?,
    leafSum fusedLeafSum: LeafSum? = nil, _ elementwise: Elementwise
  ) -> Tensor<Float> {
    let columns = shape.last!
    let count = shape.reduce(1, *)
    let rows = count / columns
    let perSampleIsScalar = shape.count == 1
    let gradientPointer = UncheckedSendable(gradient)
    func leafSum(_ start: Int, _ n: Int, _ scratch: UnsafeMutablePointer<Float>) -> Float {
      // (One element is its own sum: the trace adds no zero to it.)
      if let fusedLeafSum, n > 1 { return fusedLeafSum(start, n, gradientPointer.value) }
      elementwise(start, n, scratch, gradientPointer.value)
      return n == 1 ? scratch[0] : lk_eigen_leaf_sum(scratch, n)
    }
    /// `body` with a scratch for `leafSum`: a leaf's worth (32 KiB, a heap allocation)
    /// for the elementwise path, one float when a fused leaf sum takes every leaf of
    /// more than one element.
    func withLeafScratch<R>(_ body: (UnsafeMutablePointer<Float>) -> R) -> R {
      if fusedLeafSum != nil {
        var one: Float = 0
        return withUnsafeMutablePointer(to: &one, body)
      }
      return withUnsafeTemporaryAllocation(of: Float.self, capacity: leaf) { body($0.baseAddress!) }
    }
    // Per-sample values are kept only when they are the output (or a long row's mean);
    // otherwise each piece sums its own in the outer tree's order.
    let keepsMeans = reduction == .none || perSampleIsScalar || columns > leaf
    var means = [Float](repeating: 0, count: keepsMeans ? rows : 0)
    let outerTree = EigenTree(count: keepsMeans ? 0 : rows, packet: packet)
    var outerSums = [Float](repeating: 0, count: outerTree.leaves.count)
    means.withUnsafeMutableBufferPointer { meanBuffer in
      outerSums.withUnsafeMutableBufferPointer { outerBuffer in
        let mean = UncheckedSendable(meanBuffer.baseAddress)
        let outerSum = UncheckedSendable(outerBuffer.baseAddress)
        if columns > leaf {
          // Long rows: the leaves of every row's tree, in parallel.
          let rowTree = EigenTree(count: columns, packet: packet)
          let perRow = rowTree.leaves.count
          var sums = [Float](repeating: 0, count: rows * perRow)
          sums.withUnsafeMutableBufferPointer { sumBuffer in
            let sum = UncheckedSendable(sumBuffer.baseAddress!)
            FusedExecution.forEach(rows * perRow, elements: count, flushingSubnormals: flushes) { item in
              let (row, piece) = item.quotientAndRemainder(dividingBy: perRow)
              let part = rowTree.leaves[piece]
              sum.value[item] = withLeafScratch { leafSum(row * columns + part.start, part.count, $0) }
            }
          }
          FusedExecution.withFlushing(flushes) {
            for row in 0..<rows {
              mean.value![row] = rowTree.combine(sums[(row * perRow)..<((row + 1) * perRow)]) / Float(columns)
            }
          }
        } else if keepsMeans {
          // Short rows whose means are the output: a block of rows per piece.
          let rowsPerPiece = max(1, leaf / columns)
          let pieces = (rows + rowsPerPiece - 1) / rowsPerPiece
          FusedExecution.forEach(pieces, elements: count, flushingSubnormals: flushes) { piece in
            withLeafScratch { scratch in
              let first = piece * rowsPerPiece, last = min(rows, (piece + 1) * rowsPerPiece)
              if columns == 1 {
                // Rows of one element are their own means: the block's values in one call
                // (the same bits as one call per row), straight into the output.
                elementwise(first, last - first, mean.value! + first, gradientPointer.value)
                return
              }
              for row in first..<last {
                let sum = leafSum(row * columns, columns, scratch)
                mean.value![row] = sum / Float(columns)
              }
            }
          }
        } else {
          // Short rows reduced to one value: each leaf of the outer tree (at most 8192
          // rows) computes its rows' means into a scratch and sums them.
          FusedExecution.forEach(outerTree.leaves.count, elements: count, flushingSubnormals: flushes) { piece in
            let part = outerTree.leaves[piece]
            withLeafScratch { scratch in
              withUnsafeTemporaryAllocation(of: Float.self, capacity: leaf) { rowMeans in
                if columns == 1 {
                  // Rows of one element: the leaf's values in one call, as above.
                  elementwise(part.start, part.count, rowMeans.baseAddress!, gradientPointer.value)
                } else {
                  for r in 0..<part.count {
                    let row = part.start + r
                    let sum = leafSum(row * columns, columns, scratch)
                    rowMeans[r] = sum / Float(columns)
                  }
                }
                outerSum.value![piece] =
                  part.count == 1 ? 0 + rowMeans[0] : lk_eigen_leaf_sum(rowMeans.baseAddress!, part.count)
              }
            }
          }
        }
      }
    }
    if perSampleIsScalar { return Tensor(means[0]) }
    if reduction == .none { return Tensor(shape: Array(shape.dropLast()), scalars: means) }
    return FusedExecution.withFlushing(flushes) {
      let total = keepsMeans
        ? means.withUnsafeBufferPointer { EigenSummation.innerSum($0, start: 0, count: rows, first: 0, packet: packet) }
        : outerTree.combine(outerSums)
      return Tensor(reduction == .sum ? total : total / Float(rows))
    }
  }

  /// Runs `body` with a gradient buffer of `count` floats — the caller's when given
  /// (written in place), else a new uninitialised array returned as a tensor of `shape`.
  static func withGradient(
    _ wanted: Bool, shape: [Int], into provided: UnsafeMutableBufferPointer<Float>?,
    _ body: (UnsafeMutablePointer<Float>?) -> Tensor<Float>
  ) -> LossEvaluation<Float> {
    let count = shape.reduce(1, *)
    if let provided {
      precondition(provided.count == count, "gradient buffer of \(provided.count) elements for \(count)")
      return LossEvaluation(loss: body(provided.baseAddress), gradient: Tensor(shape: [0], scalars: []))
    }
    guard wanted else { return LossEvaluation(loss: body(nil), gradient: Tensor(shape: [0], scalars: [])) }
    var loss = Tensor<Float>(0)
    let gradient = FusedExecution.output(count: count) { loss = body($0) }
    return LossEvaluation(loss: loss, gradient: Tensor(shape: shape, scalars: gradient))
  }

  /// The per-element losses of a `shape` input summed exactly: pieces of 64 Ki elements
  /// in parallel (`elementwise` into a scratch a block at a time, then a double-double
  /// sum), combined in order — for ``ExactlyReducible``.
  static func exactElementSum(shape: [Int], flushes: Bool, _ elementwise: Elementwise) -> ExactElementSum {
    exactElementSum(shape: shape, flushes: flushes) { start, n in
      scratchSum(start: start, count: n) { first, m, scratch in elementwise(first, m, scratch, nil) }
    }
  }

  /// The exact sum of the losses of elements `[start, start + count)`, computed by
  /// `losses(first, n, scratch)` a block at a time into a scratch that stays in the L1
  /// cache.
  static func scratchSum(
    start: Int, count: Int, _ losses: (_ first: Int, _ n: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void
  ) -> ExactSum {
    let block = 1 << 11
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scratch in
      var sum = ExactSum()
      for first in stride(from: start, to: start + count, by: block) {
        let n = min(block, start + count - first)
        losses(first, n, scratch.baseAddress!)
        sum.add(UnsafeBufferPointer(start: scratch.baseAddress!, count: n))
      }
      return sum
    }
  }

  /// ``exactElementSum(shape:flushes:_:)`` with a kernel that sums the losses of
  /// elements `[start, start + n)` exactly itself (`pieceSum(start, n)`), without
  /// storing them.
  static func exactElementSum(shape: [Int], flushes: Bool, pieceSum: (_ start: Int, _ count: Int) -> ExactSum)
    -> ExactElementSum
  {
    let count = shape.reduce(1, *)
    let piece = 1 << 16
    let pieces = (count + piece - 1) / piece
    var partial = [ExactSum](repeating: ExactSum(), count: pieces)
    partial.withUnsafeMutableBufferPointer { out in
      let target = UncheckedSendable(out.baseAddress!)
      FusedExecution.forEach(pieces, elements: count, flushingSubnormals: flushes) { i in
        target.value[i] = pieceSum(i * piece, min(piece, count - i * piece))
      }
    }
    var total = ExactSum()
    for sum in partial { total.add(sum) }
    return ExactElementSum(sum: total, elements: count, groupSize: shape.last!, rows: shape.count == 1 ? 1 : shape[0])
  }
}
