import Foundation
@testable import LossKit
import LossKitIO
import Testing

/// The optax outputs the case format has no place for — `smooth_labels` (a label
/// transform) and CTC's forward probabilities — recorded from optax by
/// `Tools/conformance/generate_optax.py` into `Tests/Fixtures/optax`.
@Suite("Optax outputs outside the case format")
struct OptaxExtraOutputTests {

  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/optax")

  static func cases(_ name: String) throws -> [JSONValue] {
    let root = try JSONParser.parse([UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name))))
    guard case .array(let cases)? = root["cases"] else { throw InputError(name, "expected cases") }
    return cases
  }

  static func tensor(_ value: JSONValue?, _ path: String) throws -> Tensor<Double> {
    guard let value else { throw InputError(path, "missing") }
    return try TensorJSON.decode(value, path: path)
  }

  /// The mean LossKit shows for an unreduced optax loss (`compare`, the cross-framework
  /// table) is `jnp.mean`'s, bit for bit: XLA multiplies the sum by the rounded
  /// reciprocal of the count.
  @Test func unreducedValuesAreAveragedAsJNPMean() throws {
    let cases = try Self.cases("means.json")
    #expect(cases.count == 16)
    for c in cases {
      guard case .string(let id)? = c["id"], case .string(let dtype)? = c["dtype"], let dt = DType(rawValue: dtype) else {
        Issue.record("a means.json case without id or dtype")
        continue
      }
      let values = try Self.tensor(c["values"], "\(id).values")
      let expected = try Self.tensor(c["mean"], "\(id).mean").scalars[0]
      let shown = LossFamilies.frameworkReduction(values, weights: nil, .mean, framework: .optax, dtype: dt)
      if values.rank == 1 {
        #expect(shown.bitPattern == expected.bitPattern, "\(id): \(shown) vs jnp.mean \(expected)")
      } else {
        // A full sum of a 2-D array: LLVM may reassociate XLA's window loop (its fadd
        // carries `reassoc`, XLASummation), so the sum, not the reciprocal, can differ:
        // within one ulp of the dtype.
        let ulp = dt == .float32 ? Double(Float(expected).ulp) : expected.ulp
        #expect(Swift.abs(shown - expected) <= ulp, "\(id): \(shown) vs jnp.mean \(expected)")
      }
    }
  }

  /// float32 sums of 4096 elements or more (YNNPACK's order under XLA) as jnp.sum gave
  /// them, bit for bit: over the last axis (rows of 1 to 40,000) and over every axis of
  /// 1-D and 2-D inputs (5,000 to 120,000 elements). The inputs come from the formula
  /// generate_optax.py used.
  @Test func largeSumsAreJNPSumsBitForBit() throws {
    let cases = try Self.cases("sums.json")
    #expect(cases.count == 11)
    let environment = KernelEnvironment(FrameworkPolicy.jax)
    for (i, c) in cases.enumerated() {
      guard case .array(let dims)? = c["shape"] else {
        Issue.record("sums.json case \(i) without a shape")
        continue
      }
      let shape = dims.compactMap { value -> Int? in if case .number(_, let n?) = value { n } else { nil } }
      let count = shape.reduce(1, *)
      let values = (0..<count).map { i -> Float in
        let u = (UInt64(i) &* 2_654_435_761 &+ 12345) % 4_294_967_296
        return Float(Double(u) / 4_294_967_296.0 * 40.0 - 20.0)
      }
      let lastAxis: Bool = if case .number? = c["axis"] { true } else { false }
      let x = Tensor(shape: shape, scalars: values)
      let sums = Kernels.reduce(.sum, x, axes: lastAxis ? [shape.count - 1] : nil, keepDims: false, environment)
      let expected = try Self.tensor(c["sum"], "sums[\(i)]")
      let differing = zip(sums.scalars, expected.scalars).filter { Double($0).bitPattern != $1.bitPattern }.count
      #expect(sums.count == expected.count && differing == 0, "\(shape) axis \(lastAxis ? "-1" : "None"): \(differing) of \(expected.count) differ")
    }
  }

  @Test func smoothLabelsMatchesOptax() throws {
    let cases = try Self.cases("smooth_labels.json")
    #expect(cases.count == 10)
    for (i, c) in cases.enumerated() {
      let labels = try Self.tensor(c["labels"], "labels")
      let expected = try Self.tensor(c["expected"], "expected")
      guard case .number(let alpha, _)? = c["alpha"], case .string(let dtype)? = c["dtype"] else {
        Issue.record("case \(i): alpha/dtype")
        continue
      }
      let axis: Optax.Axes
      switch c["axis"] {
      case .number(_, let a?)?: axis = .axis(a)
      case .array(let list)?: axis = .tuple(list.compactMap { if case .number(_, let a?) = $0 { a } else { nil } })
      default: axis = .all
      }
      let mask: Tensor<Bool>? = try c["where"].flatMap { $0 == .null ? nil : try Self.tensor($0, "where").map { $0 != 0 } }
      let got: Tensor<Double> =
        dtype == "float32"
        ? try Optax.smoothLabels(labels.converted(to: Float.self), alpha: alpha, axis: axis, where: mask).converted()
        : try Optax.smoothLabels(labels, alpha: alpha, axis: axis, where: mask)
      let tolerance = Tolerance.loss(dtype == "float32" ? .float32 : .float64)
      #expect(CaseRunner.compare(got, expected, tolerance, what: "smooth_labels") == nil, "case \(i) (\(dtype))")
    }
  }

  @Test func ctcForwardProbabilitiesMatchOptax() throws {
    let cases = try Self.cases("ctc_forward_probs.json")
    #expect(cases.count == 4)
    for (i, c) in cases.enumerated() {
      guard case .string(let dtype)? = c["dtype"] else {
        Issue.record("case \(i): dtype")
        continue
      }
      let loss = Optax.CTCLossWithForwardProbs(
        logitPaddings: try Self.tensor(c["logit_paddings"], "logit_paddings"),
        labelPaddings: try Self.tensor(c["label_paddings"], "label_paddings"))
      let logits = try Self.tensor(c["logits"], "logits")
      let labels = try Self.tensor(c["labels"], "labels").map { Int($0) }
      let outputs: (Tensor<Double>, Tensor<Double>, Tensor<Double>)
      if dtype == "float32" {
        let r = try loss.forwardProbabilities(logits: logits.converted(to: Float.self), labels: labels)
        outputs = (r.loss.converted(), r.logAlphaBlank.converted(), r.logAlphaEmit.converted())
      } else {
        let r = try loss.forwardProbabilities(logits: logits, labels: labels)
        outputs = (r.loss, r.logAlphaBlank, r.logAlphaEmit)
      }
      let tolerance = Tolerance.loss(dtype == "float32" ? .float32 : .float64)
      let expected = c["expected"]
      for (name, got) in [("loss", outputs.0), ("logalpha_blank", outputs.1), ("logalpha_emit", outputs.2)] {
        let want = try Self.tensor(expected?[name], name)
        #expect(CaseRunner.compare(got, want, tolerance, what: name) == nil, "case \(i) (\(dtype)) \(name)")
      }
    }
  }
}
