import CLossKitKernels
import Dispatch

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// How many threads the fused kernels use. Results do not depend on it: work is split
/// into pieces fixed by the input's size alone, and partial results are combined in a
/// fixed order.
public enum FusedExecution {
  /// The number of worker threads (default: the active processors). Set it to measure
  /// scaling or to leave cores to other work.
  nonisolated(unsafe) public static var threads: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

  /// Whether the kernels' streaming loops issue software prefetches ahead of their reads:
  /// the CPU's choice (not on AMD Zen 4, where the hardware prefetcher alone streams
  /// faster), or `LOSSKIT_PREFETCH=0`/`1` from the environment. Setting it changes the
  /// time only, never a result.
  public static var softwarePrefetch: Bool {
    get { lk_software_prefetch() != 0 }
    set { lk_set_software_prefetch(newValue ? 1 : 0) }
  }

  /// Inputs smaller than this many elements run on the calling thread.
  static let parallelThreshold = 1 << 16

  /// Runs `body(i)` for every `i` in `0..<count`, on up to ``threads`` threads; with
  /// `flushingSubnormals`, each worker runs its range under ``withFlushing(_:_:)``.
  static func forEach(_ count: Int, elements: Int, flushingSubnormals flushes: Bool = false, _ body: (Int) -> Void) {
    let workers = elements < parallelThreshold ? 1 : min(threads, count)
    if workers <= 1 {
      withFlushing(flushes) { for i in 0..<count { body(i) } }
      return
    }
    // Contiguous ranges of pieces per worker: each worker streams through its own part.
    // The pieces write disjoint outputs, so sharing `body` across threads is safe.
    withoutActuallyEscaping(body) { body in
      let shared = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let begin = count * worker / workers
        let end = count * (worker + 1) / workers
        withFlushing(flushes) { for i in begin..<end { shared.value(i) } }
      }
    }
  }

  /// A new array of `count` floats that `body` initialises entirely (its pointer is nil
  /// when `count` is 0; `body` runs regardless). Large arrays ask
  /// for huge pages first (``lk_advise_huge_pages``): a first write to a fresh 128 MiB
  /// output otherwise takes a page fault every 4 KiB, which costs more than most losses.
  static func output(count: Int, _ body: (UnsafeMutablePointer<Float>?) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { out, initialized in
      lk_advise_huge_pages(out.baseAddress, count * MemoryLayout<Float>.stride)
      body(out.baseAddress)
      initialized = count
    }
  }

  /// A new array of `count` floats, `fill(start, n, out)` writing the `n` values at
  /// `start` to `out`, over pieces of 64 Ki elements in parallel (``forEach``).
  static func elementwiseOutput(
    count: Int, flushingSubnormals flushes: Bool = false, _ fill: (_ start: Int, _ n: Int, _ out: UnsafeMutablePointer<Float>) -> Void
  ) -> [Float] {
    output(count: count) { out in
      let target = UncheckedSendable(out)
      let piece = 1 << 16
      forEach((count + piece - 1) / piece, elements: count, flushingSubnormals: flushes) { i in
        fill(i * piece, min(piece, count - i * piece), target.value! + i * piece)
      }
    }
  }

  /// An unreduced loss of `y_pred` and a `y_true` of the same shape, over pieces of 64 Ki
  /// elements in parallel: `kernel(start, n, yPred, yTrue, loss, gradient)` reads the `n`
  /// elements from `start` (the pointers already offset) and writes their losses and,
  /// when a gradient is wanted, their gradients (to the caller's buffer when given).
  static func elementwiseLoss(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?,
    flushingSubnormals flushes: Bool = false,
    _ kernel: (
      _ start: Int, _ n: Int, _ yPred: UnsafePointer<Float>, _ yTrue: UnsafePointer<Float>, _ loss: UnsafeMutablePointer<Float>,
      _ gradient: UnsafeMutablePointer<Float>?
    ) -> Void
  ) -> LossEvaluation<Float> {
    let shape = inputs.yPred.shape
    precondition(inputs.yTrue.shape == shape, "elementwiseLoss: y_true \(inputs.yTrue.shape), y_pred \(shape)")
    return inputs.yPred.scalars.withUnsafeBufferPointer { p in
      inputs.yTrue.scalars.withUnsafeBufferPointer { t in
        // The addresses are nil only for empty inputs, when no piece runs.
        let pointers = UncheckedSendable((p.baseAddress, t.baseAddress))
        return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
          let target = UncheckedSendable(g)
          let loss = elementwiseOutput(count: p.count, flushingSubnormals: flushes) { start, n, out in
            kernel(start, n, pointers.value.0! + start, pointers.value.1! + start, out, target.value.map { $0 + start })
          }
          return Tensor(shape: shape, scalars: loss)
        }
      }
    }
  }

  /// The per-element losses of an elementwise loss summed exactly, without forming them
  /// as a tensor: `kernel(start, n, yPred, yTrue, loss)` as for ``elementwiseLoss``, over
  /// pieces of 64 Ki elements in parallel into a scratch, each piece's double-double sum
  /// combined in order (``KerasRowMeanKernel/exactElementSum(shape:flushes:_:)``). Every
  /// element is its own per-sample value (a group of one). Nil when the shapes differ or
  /// the input is empty, which run traced.
  static func elementwiseExactSum(
    _ inputs: LossInputs<Float>, flushingSubnormals flushes: Bool = false,
    _ kernel: (
      _ start: Int, _ n: Int, _ yPred: UnsafePointer<Float>, _ yTrue: UnsafePointer<Float>, _ loss: UnsafeMutablePointer<Float>
    ) -> Void
  ) -> ExactElementSum? {
    elementwiseExactSum(inputs, flushingSubnormals: flushes) { start, n, yPred, yTrue in
      KerasRowMeanKernel.scratchSum(start: start, count: n) { first, m, scratch in
        kernel(first, m, yPred + (first - start), yTrue + (first - start), scratch)
      }
    }
  }

  /// ``elementwiseExactSum(_:flushingSubnormals:_:)`` with a kernel that sums the losses
  /// of a piece exactly itself (`pieceSum(start, n, yPred + start, yTrue + start)`),
  /// without storing them.
  static func elementwiseExactSum(
    _ inputs: LossInputs<Float>, flushingSubnormals flushes: Bool = false,
    pieceSum: (_ start: Int, _ n: Int, _ yPred: UnsafePointer<Float>, _ yTrue: UnsafePointer<Float>) -> ExactSum
  ) -> ExactElementSum? {
    let shape = inputs.yPred.shape, count = inputs.yPred.count
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape, count > 0 else { return nil }
    return inputs.yPred.scalars.withUnsafeBufferPointer { p in
      inputs.yTrue.scalars.withUnsafeBufferPointer { t in
        let pointers = UncheckedSendable((p.baseAddress!, t.baseAddress!))
        let pieces = KerasRowMeanKernel.exactElementSum(shape: [count], flushes: flushes) { start, n in
          pieceSum(start, n, pointers.value.0 + start, pointers.value.1 + start)
        }
        return ExactElementSum(sum: pieces.sum, elements: count, groupSize: 1, rows: shape.first ?? 1)
      }
    }
  }

  /// A new array of one float per row of `classes` values, `fill(first, count, out,
  /// scratch)` writing rows `first..<first + count` to `out` (already offset to row
  /// `first`), over ``forEachRowBlock``'s blocks in parallel.
  static func rowOutput(
    rows: Int, classes: Int, flushingSubnormals flushes: Bool = false,
    _ fill: (_ first: Int, _ count: Int, _ out: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>) -> Void
  ) -> [Float] {
    output(count: rows) { out in
      let target = UncheckedSendable(out)
      forEachRowBlock(rows: rows, classes: classes, flushingSubnormals: flushes) { first, count, scratch in
        fill(first, count, target.value! + first, scratch)
      }
    }
  }

  /// One loss per row of `logits` (class axis last), with `labelsPerRow` labels a row,
  /// over row blocks in parallel: `kernel(logits, labels, count, loss, gradient, scratch)`
  /// runs `count` rows (the pointers already offset to the block's first row) and writes
  /// their losses and, when a gradient is wanted, their gradients (to the caller's buffer
  /// when given) — ``elementwiseLoss`` for row-wise kernels.
  static func rowLoss<Label>(
    logits: Tensor<Float>, labels: [Label], labelsPerRow: Int, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?,
    _ kernel: (
      _ logits: UnsafePointer<Float>, _ labels: UnsafePointer<Label>, _ count: Int, _ loss: UnsafeMutablePointer<Float>,
      _ gradient: UnsafeMutablePointer<Float>?, _ scratch: UnsafeMutablePointer<Float>
    ) -> Void
  ) -> LossEvaluation<Float> {
    let shape = logits.shape
    let classes = shape.last!
    let rows = logits.count / classes
    precondition(labels.count == rows * labelsPerRow, "rowLoss: \(labels.count) labels for \(rows) rows")
    return logits.scalars.withUnsafeBufferPointer { x in
      labels.withUnsafeBufferPointer { y in
        // The addresses are nil only for empty inputs, when no block runs.
        let pointers = UncheckedSendable((x.baseAddress, y.baseAddress))
        return KerasRowMeanKernel.withGradient(gradient, shape: shape, into: buffer) { g in
          let target = UncheckedSendable(g)
          let loss = rowOutput(rows: rows, classes: classes) { first, count, out, scratch in
            kernel(
              pointers.value.0! + first * classes, pointers.value.1! + first * labelsPerRow, count, out,
              target.value.map { $0 + first * classes }, scratch)
          }
          return Tensor(shape: Array(shape.dropLast()), scalars: loss)
        }
      }
    }
  }

  /// Runs `body(first, count, scratch)` over blocks of consecutive rows of `classes`
  /// values, in parallel, each with a scratch of `classes` floats: the row-wise kernels'
  /// driver. Each row's result depends on the row alone. A block holds about 1 Mi values
  /// (each block's first rows restart the kernels' row pipeline: sparse softmax over
  /// 2^25 logits on one thread, 0.178–0.195 → 0.171–0.190 ns/logit against 256 Ki in
  /// two A/B series, within this VM's noise but never slower), but
  /// at most an eighth of the input above 64 Ki values, so that both cores share
  /// mid-sized inputs.
  static func forEachRowBlock(
    rows: Int, classes: Int, flushingSubnormals flushes: Bool = false,
    _ body: (_ first: Int, _ count: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void
  ) {
    let blockValues = min(1 << 20, max(1 << 16, rows * classes / 8))
    let rowsPerBlock = max(1, blockValues / max(1, classes))
    let blocks = (rows + rowsPerBlock - 1) / rowsPerBlock
    forEach(blocks, elements: rows * classes, flushingSubnormals: flushes) { block in
      let first = block * rowsPerBlock
      withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, classes)) { scratch in
        body(first, min(rowsPerBlock, rows - first), scratch.baseAddress!)
      }
    }
  }

  /// Runs `body` with the x86 DAZ and FTZ flags set when `flushes` (TensorFlow's and
  /// XLA's threads run with them: the policy's subnormal handling), then restores the
  /// thread's previous flags.
  static func withFlushing<R>(_ flushes: Bool, _ body: () -> R) -> R {
    guard flushes else { return body() }
    let previous = lk_enter_flush_to_zero()
    defer { lk_restore_float_environment(previous) }
    return body()
  }
}

/// A value shared across the worker threads of one fused kernel call, which touch
/// disjoint memory.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
