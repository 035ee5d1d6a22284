import CLossKitKernels
import LossKit
import LossKitBenchmarkCases
import Testing

/// Whether the streaming loops issue software prefetches is a choice per CPU (cpu.c: not
/// on AMD Zen 4, where the hardware prefetcher alone streams faster). It must change the
/// time only: these tests hold every benchmark kernel to the same bits either way.
// Serialized: the tests switch the process-wide choice (other suites are unaffected,
// since it changes no result).
@Suite("Software prefetch choice", .serialized)
struct PrefetchPolicyTests {
  /// The CPU's choice, read before this suite sets anything (every test reads it first,
  /// and only this suite sets the choice).
  static let cpuChoice = lk_software_prefetch()

  @Test func aChoiceSetIsReadBackAndMinusOneRestoresTheCPUs() {
    let chosen = Self.cpuChoice
    defer { lk_set_software_prefetch(-1) }
    FusedExecution.softwarePrefetch = false
    #expect(lk_software_prefetch() == 0 && !FusedExecution.softwarePrefetch)
    FusedExecution.softwarePrefetch = true
    #expect(lk_software_prefetch() == 1 && FusedExecution.softwarePrefetch)
    lk_set_software_prefetch(-1)
    #expect(lk_software_prefetch() == chosen)
  }

  /// Every `losskit bench` case (2^17 elements: sixteen of Eigen's leaves, 128 softmax
  /// rows of 1,000 logits), value and gradient, with and without software prefetches: a
  /// guard against a per-CPU choice that ever does more than issue prefetches.
  @Test func theChoiceChangesNoResult() throws {
    _ = Self.cpuChoice
    defer { lk_set_software_prefetch(-1) }
    for benchmark in BenchmarkCase.standard(n: 1 << 17) {
      let function = try benchmark.makeFunction()
      var results: [[LossEvaluation<Float>]] = []
      for prefetch in [true, false] {
        FusedExecution.softwarePrefetch = prefetch
        results.append([
          try function.evaluate(benchmark.inputs, gradient: false), try function.evaluate(benchmark.inputs, gradient: true),
        ])
      }
      let label = "\(benchmark.framework.rawValue)/\(benchmark.loss)\(benchmark.optionSuffix)"
      for (with, without) in zip(results[0], results[1]) {
        #expect(FusedKernelTests.differences(with.loss, without.loss) == 0, "\(label) loss")
        #expect(FusedKernelTests.differences(with.gradient, without.gradient) == 0, "\(label) gradient")
      }
      // On the fused kernels (the only code that prefetches), not the trace.
      #expect(try function.fused(benchmark.inputs, gradient: false) != nil, "\(label)")
    }
  }

  /// The memory floor reads every value once whichever way it reads ahead. Small
  /// integers, so that every partial sum is exact in float32 (each vector lane adds at most
  /// 8,192 of a piece's values, all below 96: under 2^24) and the sum must equal the exact one.
  @Test func theFloorSumsEveryValueOnceInEveryMode() {
    let count = 3 * (1 << 16) + 1000  // whole pieces and a short one, with a scalar tail
    let a = (0..<count).map { Float($0 % 64) }
    let b = (0..<count).map { Float($0 % 32) }
    let exact = zip(a, b).reduce(0.0) { $0 + Double($1.0) + Double($1.1) }
    for prefetch in FusedExecution.FloorPrefetch.allCases {
      #expect(FusedExecution.streamingFloor(a, b, prefetch: prefetch) == exact, "\(prefetch)")
    }
  }
}
