import Benchmark
import LossKit
import LossKitBenchmarkCases
import LossKitBenchmarkSupport

/// The loss value (no gradient) on the default path, which is each configuration's
/// fused kernel: what `losskit bench` times, on one thread and on two.
let benchmarks: @Sendable () -> Void = {
  for benchmarkCase in BenchmarkCase.standard(n: LossKitBenchmarks.elements, classes: LossKitBenchmarks.classes) {
    let inputs = benchmarkCase.inputs
    guard let function = try? benchmarkCase.makeFunction(), (try? function.fused(inputs, gradient: false)) != nil else {
      fatalError("\(benchmarkCase.name): no fused kernel for the benchmark's inputs")
    }
    LossKitBenchmarks.register("value \(benchmarkCase.name)", elements: benchmarkCase.elements, threads: [1, 2]) {
      blackHole(try function.evaluate(inputs, gradient: false).loss)
    }
  }
}
