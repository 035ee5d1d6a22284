import CLossKitKernels

/// The fused binary cross-entropy of Keras 3 and tf-keras, on probabilities or logits: one pass
/// over `y_pred` and `y_true` that computes, for each leaf of Eigen's summation tree, the
/// elementwise losses (and gradients) with the framework's clip, ε placement, packet
/// math and float32 rounding into a cache-sized scratch, then sums the leaf in Eigen's
/// order — the float operations of the traced path, without its full-size tensors.
///
/// Covered: float32, `y_true` and `y_pred` of the same shape (rank ≥ 1), the mean over
/// the last axis, no sample weight, every reduction, label smoothing, `from_logits`
/// (`tf.nn.sigmoid_cross_entropy_with_logits` elementwise). Anything else returns nil
/// and runs traced.
enum BinaryCrossentropyKernel {
  static let leaf = 8 * EigenSummation.leafSize

  static func evaluate<C: KerasConvention>(
    _ loss: KerasBinaryCrossentropy<C>, _ inputs: LossInputs<Float>, gradient wantsGradient: Bool
  ) throws -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, !shape.isEmpty,
      Shape.normalize(axis: loss.axis, rank: shape.count) == shape.count - 1, !shape.contains(0)
    else { return nil }
    let environment = KernelEnvironment(loss.policy)
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else { return nil }
    let columns = shape.last!
    let count = inputs.yPred.count
    let rows = count / columns
    let reduction = ReductionKind(loss.reduction.rawValue)
    let perSampleIsScalar = shape.count == 1

    // The incoming gradient per element at the elementwise formula, as the trace's
    // backward pass forms it: 1/rows (divide_no_nan) or 1, divided by the row length
    // (and negated through the probability form's `−(…)`).
    let outer: Float = perSampleIsScalar || reduction != .mean ? 1 : 1 / Float(rows)
    let perElement = outer / Float(columns)
    let (keep, half): (Float, Float) = C.labelSmoothingFactors(loss.labelSmoothing)
    let smoothing = lk_label_smoothing(keep: keep, half: half, smooth: loss.labelSmoothing != 0 ? 1 : 0)
    let fromLogits = loss.fromLogits
    let config = lk_bce_prob_config(
      lower: Float(Keras.epsilon), upper: Float(1 - Keras.epsilon),
      epsilon_in_log: C.framework == .keras ? 0 : Float(Keras.epsilon), seed: -perElement, keep: keep,
      half: half, smooth: loss.labelSmoothing != 0 ? 1 : 0)
    let scalarFrom = count - count % packet
    let flushes = environment.flushesSubnormals

    var gradient = [Float](repeating: 0, count: wantsGradient ? count : 0)
    // Per-sample values are kept only when they are the output (or a long row's mean);
    // otherwise each piece sums its own in the outer tree's order.
    let keepsMeans = reduction == .none || perSampleIsScalar || columns > leaf
    var means = [Float](repeating: 0, count: keepsMeans ? rows : 0)
    let outerTree = keepsMeans ? EigenTree(count: 0) : EigenTree(count: rows)
    var outerSums = [Float](repeating: 0, count: outerTree.leaves.count)
    inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        gradient.withUnsafeMutableBufferPointer { gBuffer in
          means.withUnsafeMutableBufferPointer { meanBuffer in
           outerSums.withUnsafeMutableBufferPointer { outerBuffer in
            let p = pBuffer.baseAddress!, y = yBuffer.baseAddress!
            let g = wantsGradient ? gBuffer.baseAddress : nil
            let mean = UncheckedSendable(meanBuffer.baseAddress)
            let outerSum = UncheckedSendable(outerBuffer.baseAddress)
            /// The Eigen leaf sum of the losses of elements [start, start + n).
            func leafSum(_ start: Int, _ n: Int, _ scratch: UnsafeMutablePointer<Float>) -> Float {
              if fromLogits {
                withUnsafePointer(to: smoothing) { s in
                  lk_sigmoid_xent(p + start, y + start, n, max(0, scalarFrom - start), perElement, s, scratch, g.map { $0 + start })
                }
              } else {
                withUnsafePointer(to: config) { c in
                  lk_bce_prob(p + start, y + start, n, max(0, scalarFrom - start), c, scratch, g.map { $0 + start })
                }
              }
              return n == 1 ? scratch[0] : lk_eigen_leaf_sum(scratch, n)
            }
            if columns > leaf {
              // Long rows: the leaves of every row's tree, in parallel.
              let rowTree = EigenTree(count: columns)
              let perRow = rowTree.leaves.count
              var sums = [Float](repeating: 0, count: rows * perRow)
              sums.withUnsafeMutableBufferPointer { sumBuffer in
                let sum = UncheckedSendable(sumBuffer.baseAddress!)
                FusedExecution.forEach(rows * perRow, elements: count) { item in
                  let previous = flushes ? lk_enter_flush_to_zero() : 0
                  defer { if flushes { lk_restore_float_environment(previous) } }
                  let (row, piece) = item.quotientAndRemainder(dividingBy: perRow)
                  let part = rowTree.leaves[piece]
                  withUnsafeTemporaryAllocation(of: Float.self, capacity: leaf) { scratch in
                    sum.value[item] = leafSum(row * columns + part.start, part.count, scratch.baseAddress!)
                  }
                }
              }
              let previous = flushes ? lk_enter_flush_to_zero() : 0
              for row in 0..<rows {
                mean.value![row] = rowTree.combine(Array(sums[(row * perRow)..<((row + 1) * perRow)])) / Float(columns)
              }
              if flushes { lk_restore_float_environment(previous) }
            } else if keepsMeans {
              // Short rows whose means are the output: a block of rows per piece.
              let rowsPerPiece = max(1, leaf / columns)
              let pieces = (rows + rowsPerPiece - 1) / rowsPerPiece
              FusedExecution.forEach(pieces, elements: count) { piece in
                let previous = flushes ? lk_enter_flush_to_zero() : 0
                defer { if flushes { lk_restore_float_environment(previous) } }
                withUnsafeTemporaryAllocation(of: Float.self, capacity: leaf) { scratch in
                  for row in (piece * rowsPerPiece)..<min(rows, (piece + 1) * rowsPerPiece) {
                    let sum = leafSum(row * columns, columns, scratch.baseAddress!)
                    mean.value![row] = columns == 1 ? sum : sum / Float(columns)
                  }
                }
              }
            } else {
              // Short rows reduced to one value: each leaf of the outer tree (at most
              // 8192 rows) computes its rows' means into a scratch and sums them.
              FusedExecution.forEach(outerTree.leaves.count, elements: count) { piece in
                let previous = flushes ? lk_enter_flush_to_zero() : 0
                defer { if flushes { lk_restore_float_environment(previous) } }
                let part = outerTree.leaves[piece]
                withUnsafeTemporaryAllocation(of: Float.self, capacity: leaf) { scratch in
                  withUnsafeTemporaryAllocation(of: Float.self, capacity: leaf) { rowMeans in
                    for r in 0..<part.count {
                      let row = part.start + r
                      let sum = leafSum(row * columns, columns, scratch.baseAddress!)
                      rowMeans[r] = columns == 1 ? sum : sum / Float(columns)
                    }
                    outerSum.value![piece] = part.count == 1 ? 0 + rowMeans[0] : lk_eigen_leaf_sum(rowMeans.baseAddress!, part.count)
                  }
                }
              }
            }
           }
          }
        }
      }
    }
    let value: Tensor<Float>
    if perSampleIsScalar {
      value = Tensor(means[0])
    } else if reduction == .none {
      value = Tensor(shape: Array(shape.dropLast()), scalars: means)
    } else {
      let previous = flushes ? lk_enter_flush_to_zero() : 0
      let total = keepsMeans
        ? means.withUnsafeBufferPointer { EigenSummation.innerSum($0, start: 0, count: rows, first: 0, packet: packet) }
        : outerTree.combine(outerSums)
      value = Tensor(reduction == .sum ? total : total / Float(rows))
      if flushes { lk_restore_float_environment(previous) }
    }
    return LossEvaluation(loss: value, gradient: Tensor(shape: wantsGradient ? shape : [0], scalars: gradient))
  }
}

/// The final reduction of a Keras-family loss, by its Python value.
enum ReductionKind {
  case mean, sum, none

  init(_ name: String) {
    switch name {
    case "sum": self = .sum
    case "none": self = .none
    default: self = .mean  // sum_over_batch_size, mean, mean_with_sample_weight without weights, auto
    }
  }
}

extension KerasBinaryCrossentropy {
  public func fused(_ inputs: LossInputs<Float>, gradient: Bool) throws -> LossEvaluation<Float>? {
    try BinaryCrossentropyKernel.evaluate(self, inputs, gradient: gradient)
  }
}

extension BinaryCrossentropyKernel {
  /// The per-element losses of `loss` on `inputs`, summed exactly (pieces of 64 Ki
  /// elements in parallel, their double-double sums combined in order).
  static func exactElementSum<C: KerasConvention>(
    _ loss: KerasBinaryCrossentropy<C>, _ inputs: LossInputs<Float>
  ) -> ExactElementSum? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, !shape.isEmpty,
      Shape.normalize(axis: loss.axis, rank: shape.count) == shape.count - 1
    else { return nil }
    let environment = KernelEnvironment(loss.policy)
    let packet = environment.elementaryFunctions.packet(Float.self)
    guard packet > 0 else { return nil }
    let count = inputs.yPred.count
    let scalarFrom = count - count % packet
    let (keep, half): (Float, Float) = C.labelSmoothingFactors(loss.labelSmoothing)
    let smoothing = lk_label_smoothing(keep: keep, half: half, smooth: loss.labelSmoothing != 0 ? 1 : 0)
    let config = lk_bce_prob_config(
      lower: Float(Keras.epsilon), upper: Float(1 - Keras.epsilon),
      epsilon_in_log: C.framework == .keras ? 0 : Float(Keras.epsilon), seed: 0, keep: keep, half: half,
      smooth: smoothing.smooth)
    let piece = 1 << 16
    let pieces = (count + piece - 1) / piece
    var partial = [ExactSum](repeating: ExactSum(), count: pieces)
    let flushes = environment.flushesSubnormals
    let fromLogits = loss.fromLogits
    inputs.yPred.scalars.withUnsafeBufferPointer { pBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        partial.withUnsafeMutableBufferPointer { out in
          let pointers = UncheckedSendable((pBuffer.baseAddress!, yBuffer.baseAddress!, out.baseAddress!))
          FusedExecution.forEach(pieces, elements: count) { i in
            let previous = flushes ? lk_enter_flush_to_zero() : 0
            defer { if flushes { lk_restore_float_environment(previous) } }
            let (p, y, out) = pointers.value
            let start = i * piece
            let n = min(piece, count - start)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: piece) { scratch in
              if fromLogits {
                withUnsafePointer(to: smoothing) { s in
                  lk_sigmoid_xent(p + start, y + start, n, max(0, scalarFrom - start), 0, s, scratch.baseAddress!, nil)
                }
              } else {
                withUnsafePointer(to: config) { c in
                  lk_bce_prob(p + start, y + start, n, max(0, scalarFrom - start), c, scratch.baseAddress!, nil)
                }
              }
              var sum = ExactSum()
              sum.add(UnsafeBufferPointer(start: scratch.baseAddress!, count: n))
              out[i] = sum
            }
          }
        }
      }
    }
    var total = ExactSum()
    for sum in partial { total.add(sum) }
    return ExactElementSum(sum: total, elements: count, groupSize: shape.last!, rows: shape.count == 1 ? 1 : shape[0])
  }
}

extension KerasBinaryCrossentropy: ExactlyReducible {
  public func exactElementSum(_ inputs: LossInputs<Float>) throws -> ExactElementSum? {
    BinaryCrossentropyKernel.exactElementSum(self, inputs)
  }
}
