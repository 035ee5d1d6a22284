import Benchmark
import LossKit
import LossKitBenchmarkCases
import LossKitBenchmarkSupport

/// The two paths beside the fused default: the traced engine (the reference the fused
/// kernels are tested against, and the path of every loss without a kernel) and the
/// exact reduction (`losskit compute --exact`).
let benchmarks: @Sendable () -> Void = {
  let cases = BenchmarkCase.standard(n: LossKitBenchmarks.elements, classes: LossKitBenchmarks.classes)
  func standardCase(_ name: String) -> BenchmarkCase {
    guard let found = cases.first(where: { $0.name == name }) else { fatalError("no standard case \(name)") }
    return found
  }

  // The traced engine materialises a tensor per primitive (`losskit bench --traced`: 4 to
  // 55 ns per element for the value), so it runs on 2^16 elements.
  let tracedCase = BenchmarkCase.standard(n: 1 << 16, classes: LossKitBenchmarks.classes)[0]
  let tracedFunction = try! tracedCase.makeFunction()
  LossKitBenchmarks.register(
    "traced value+gradient \(tracedCase.name)", elements: tracedCase.elements, threads: 1
  ) {
    blackHole(try tracedFunction.evaluate(tracedCase.inputs, path: .traced, gradient: true))
  }

  // The exact sum of the per-element losses (double-double accumulation fused into
  // the kernel): the value of `--exact`, to compare with the fused value benchmark of
  // the same name (the bar: at most 1.5× its time).
  for name in [
    "keras.BinaryCrossentropy", "keras.BinaryCrossentropy(from_logits=true)", "keras.MeanSquaredError", "torch.MSELoss",
    "torch.BCELoss", "torch.CrossEntropyLoss",
  ] {
    let benchmarkCase = standardCase(name)
    let inputs = benchmarkCase.inputs
    let function = try! benchmarkCase.makeFunction()
    guard let exact = function as? any ExactlyReducible, (try? exact.exactElementSum(inputs)) != nil else {
      fatalError("\(name): no exact element sum for the benchmark's inputs")
    }
    LossKitBenchmarks.register("exact sum \(name)", elements: benchmarkCase.elements, threads: [1, 2]) {
      // `ExactlyReducible` is not Sendable; the configured loss (a LossFunction) is.
      blackHole(try (function as! any ExactlyReducible).exactElementSum(inputs)?.sum.roundedFloat)
    }
  }

  // The whole library call behind `losskit compute --exact` on a request (float64
  // arrays as the CLI reads them): conversions, the exact value, and the framework's
  // gradient, for the sparse softmax loss whose exact mode sums per-sample values.
  // Some 60 ns per logit, mostly converting whole arrays, hence 2^20 logits.
  let requestCase = BenchmarkCase.standard(n: 1 << 20, classes: LossKitBenchmarks.classes)
    .first { $0.name == "tf.sparse_softmax_cross_entropy_with_logits" }!
  let request = requestCase.request
  LossKitBenchmarks.register("evaluateExactly \(requestCase.name)", elements: requestCase.elements, threads: 1) {
    blackHole(try LossRegistry.standard.evaluateExactly(request))
  }
}
