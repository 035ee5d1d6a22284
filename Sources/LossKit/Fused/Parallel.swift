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

  /// Inputs smaller than this many elements run on the calling thread.
  static let parallelThreshold = 1 << 16

  /// Runs `body(i)` for every `i` in `0..<count`, on up to ``threads`` threads.
  static func forEach(_ count: Int, elements: Int, _ body: (Int) -> Void) {
    let workers = elements < parallelThreshold ? 1 : min(threads, count)
    if workers <= 1 {
      for i in 0..<count { body(i) }
      return
    }
    // Contiguous ranges of pieces per worker: each worker streams through its own part.
    // The pieces write disjoint outputs, so sharing `body` across threads is safe.
    withoutActuallyEscaping(body) { body in
      let shared = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let begin = count * worker / workers
        let end = count * (worker + 1) / workers
        for i in begin..<end { shared.value(i) }
      }
    }
  }
}

/// A value shared across the worker threads of one fused kernel call, which touch
/// disjoint memory.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
