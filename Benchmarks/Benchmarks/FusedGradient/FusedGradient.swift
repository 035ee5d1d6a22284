import Benchmark
import LossKit
import LossKitBenchmarkCases
import LossKitBenchmarkSupport

/// The loss value and its gradient with respect to `y_pred` on the default path, which
/// is each configuration's fused kernel (one pass writing the gradient array).
let benchmarks: @Sendable () -> Void = {
  for benchmarkCase in BenchmarkCase.standard(n: LossKitBenchmarks.elements, classes: LossKitBenchmarks.classes) {
    let inputs = benchmarkCase.inputs
    guard let function = try? benchmarkCase.makeFunction(), (try? function.fused(inputs, gradient: true)) != nil else {
      fatalError("\(benchmarkCase.name): no fused gradient kernel for the benchmark's inputs")
    }
    LossKitBenchmarks.register("gradient \(benchmarkCase.name)", elements: benchmarkCase.elements, threads: [1, 2]) {
      blackHole(try function.evaluate(inputs, gradient: true))
    }
  }
}
