import Benchmark
import Foundation
import LossKit

/// The suite's shared settings and the one way its benchmarks are registered, so that
/// every benchmark measures the same metrics under the same regression thresholds.
public enum LossKitBenchmarks {
  /// Elements per input array: 2^22 keeps one fused call at a few milliseconds, so each
  /// benchmark runs some hundreds of iterations in its second.
  public static let elements = 1 << 22

  /// Classes per row for the softmax losses (as `losskit bench`).
  public static let classes = 1000

  /// Picoseconds per element (per logit for the softmax losses), from the same clock
  /// reading as the wall clock: the figure `losskit bench` prints (in ns), per iteration.
  public static var picosecondsPerElement: BenchmarkMetric {
    .custom("ps/element", polarity: .prefersSmaller, useScalingFactor: false)
  }

  /// CPU time of the whole process (every thread) per element, in picoseconds: unlike
  /// the wall clock, it does not grow while another process holds the core, so it is
  /// the metric that tells a regression from a busy machine.
  public static var cpuPicosecondsPerElement: BenchmarkMetric {
    .custom("CPU ps/element", polarity: .prefersSmaller, useScalingFactor: false)
  }

  /// Allowed change before `baseline check` reports a regression (or an improvement),
  /// in percent of the baseline's value at a percentile of the iterations.
  ///
  /// CPU time is the gate: `CPU ps/element` may grow 40% at p25 and 50% at p50, so a
  /// 2× slowdown (+100%) fails by a wide margin. Measured on the shared two-core
  /// machine with a load average of 4–6, two runs of the same build differed by at
  /// most 12% in CPU time at p0, p25 and p50, while their wall clocks differed by up
  /// to 2.6× at p50 (another process holding a core for part of a run).
  ///
  /// The wall clock (`Time`, `ps/element`, `Throughput`) therefore only catches what
  /// CPU time cannot see, such as a kernel that waits instead of computing, and only
  /// from 2.5× at p25 (+150%; throughput −60%, the same limit seen from the other
  /// side). On a quiet machine, tighten these to the CPU limits.
  ///
  /// Allocations: the counts are deterministic (17 to 1,672 blocks per call here);
  /// a change of more than 50 at the median (an allocation per row or per piece of
  /// the work, or a tensor per primitive) is reported.
  public static var thresholds: [BenchmarkMetric: BenchmarkThresholds] {
    [
      cpuPicosecondsPerElement: .init(relative: [.p25: 40, .p50: 50]),
      .wallClock: .init(relative: [.p25: 150]),
      picosecondsPerElement: .init(relative: [.p25: 150]),
      .throughput: .init(relative: [.p25: 60]),
      .mallocCountTotal: .init(absolute: [.p50: 50]),
    ]
  }

  /// The configuration of every benchmark: about a second of iterations after three
  /// warm-up calls.
  public static var configuration: Benchmark.Configuration {
    Benchmark.Configuration(
      metrics: [.wallClock, .throughput, picosecondsPerElement, cpuPicosecondsPerElement, .mallocCountTotal],
      warmupIterations: 3,
      maxDuration: .seconds(1),
      maxIterations: 10_000,
      thresholds: thresholds
    )
  }

  /// How many times each iteration repeats its work: 1, or `LOSSKIT_BENCH_REPEAT` from
  /// the environment. Setting it to 2 simulates a 2× regression, to check that the
  /// thresholds catch one (README.md, "Checking the thresholds").
  public static let repeats: Int = {
    guard let text = ProcessInfo.processInfo.environment["LOSSKIT_BENCH_REPEAT"] else { return 1 }
    return max(1, Int(text) ?? 1)
  }()

  /// Registers a benchmark named `name` that times `body` on `threads` fused-kernel
  /// threads, per `elements` elements.
  public static func register(
    _ name: String, elements: Int, threads: Int, _ body: @escaping @Sendable () throws -> Void
  ) {
    Benchmark(
      name, configuration: configuration,
      closure: { benchmark in
        let wallStart = Nanoseconds.wallClock(), cpuStart = Nanoseconds.processCPU()
        for _ in 0..<repeats { try body() }
        let wall = Nanoseconds.wallClock() - wallStart, cpu = Nanoseconds.processCPU() - cpuStart
        benchmark.stopMeasurement()
        benchmark.measurement(picosecondsPerElement, Int((Double(wall) * 1000 / Double(elements)).rounded()))
        benchmark.measurement(cpuPicosecondsPerElement, Int((Double(cpu) * 1000 / Double(elements)).rounded()))
      },
      setup: { FusedExecution.threads = threads })
  }

  /// The same benchmark once per thread count, named `name [threads=T]`.
  public static func register(
    _ name: String, elements: Int, threads counts: [Int], _ body: @escaping @Sendable () throws -> Void
  ) {
    for threads in counts { register("\(name) [threads=\(threads)]", elements: elements, threads: threads, body) }
  }
}

/// Clock readings in nanoseconds.
enum Nanoseconds {
  static func wallClock() -> Int64 { read(CLOCK_MONOTONIC) }
  /// The CPU time consumed so far by all the threads of this process.
  static func processCPU() -> Int64 { read(CLOCK_PROCESS_CPUTIME_ID) }

  private static func read(_ clock: clockid_t) -> Int64 {
    var time = timespec()
    clock_gettime(clock, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }
}
