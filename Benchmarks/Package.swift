// swift-tools-version: 6.1
// Regression benchmarks for LossKit's fused kernels (ordo-one/benchmark). A package
// of its own, so that LossKit itself never depends on the benchmark tooling:
//
//   cd Benchmarks && swift package benchmark
//
// See README.md beside this file for baselines and the regression check.
import PackageDescription

let package = Package(
  name: "LossKitBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "LossKit", path: ".."),
    // Only the MallocInterposer trait: its malloc counters need no system library (no
    // jemalloc). The default traits would add RuntimeInterposer, which serves ARC
    // metrics only and pulls in ordo-one/swift-runtime-interposer on Swift 6.3/Linux,
    // a package the local mirror does not carry.
    .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // The suite's metrics, thresholds and registration (the seeded cases themselves are
    // LossKit's `LossKitBenchmarkCases`, the ones `losskit bench` times).
    .target(
      name: "LossKitBenchmarkSupport",
      dependencies: [
        .product(name: "LossKit", package: "LossKit"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Sources/LossKitBenchmarkSupport"
    ),
    benchmarkTarget("FusedLoss"),
    benchmarkTarget("FusedGradient"),
    benchmarkTarget("ReferencePaths"),
  ]
)

/// One benchmark executable: the plugin finds it under Benchmarks/<name>/.
func benchmarkTarget(_ name: String) -> Target {
  .executableTarget(
    name: name,
    dependencies: [
      "LossKitBenchmarkSupport",
      .product(name: "LossKit", package: "LossKit"),
      .product(name: "LossKitBenchmarkCases", package: "LossKit"),
      .product(name: "Benchmark", package: "benchmark"),
    ],
    path: "Benchmarks/\(name)",
    plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
  )
}
