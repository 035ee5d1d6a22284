import Foundation
import LossKit
import LossKitIO
import Testing

/// The worked examples of `torch.nn`'s loss docstrings (torch 2.15.0,
/// `torch/nn/modules/loss.py`), replayed through LossKit.
///
/// - Examples that print their numbers are checked against the numbers as printed
///   (`tensor(0.20...)` is checked to the digits shown).
/// - `CrossEntropyLoss`'s seeded example (`torch.manual_seed(283)`) prints
///   4.6379876136779785 and 2.55349063873291; its inputs come from torch's generator, so
///   they are read from the corpus (`docstring-seed283-*`, recorded by
///   `Tools/conformance/generate_torch.py`).
/// - Examples that only show code (random inputs, nothing printed) were run as written
///   under `torch.manual_seed(0)` by the generator, with the real torch; their inputs and
///   torch's numbers are the `docstring-seed0*` cases of the corpus.
@Suite("torch.nn docstring examples")
struct TorchDocstringTests {
  let registry = LossRegistry.standard

  func value(_ loss: String, _ yTrue: Tensor<Double>, _ yPred: Tensor<Double>, _ parameters: ParameterList = [:]) throws -> Double {
    let result = try registry.evaluate(
      LossRequest(framework: .torch, loss: loss, parameters: parameters, yTrue: yTrue, yPred: yPred))
    return result.loss.scalars[0]
  }

  /// `x` printed as torch prints a 0-dim tensor truncated to `digits` decimals
  /// (`tensor(0.85...)` shows 0.85).
  func truncated(_ x: Double, _ digits: Int) -> String {
    let scale = Foundation.pow(10, Double(digits))
    return String(format: "%.\(digits)f", (x * scale).rounded(.towardZero) / scale)
  }

  @Test func bceWithLogitsPosWeight() throws {
    // target = ones([10, 64]); output = full([10, 64], 1.5); pos_weight = ones([64])
    // criterion(output, target)  # -log(sigmoid(1.5)) → tensor(0.20...)
    let loss = try value(
      "BCEWithLogitsLoss", Tensor(repeating: 1, shape: [10, 64]), Tensor(repeating: 1.5, shape: [10, 64]),
      ["pos_weight": .tensor(Tensor(repeating: 1, shape: [64]))])
    #expect(truncated(loss, 2) == "0.20")
  }

  @Test func multiLabelMarginLoss() throws {
    // x = [[0.1, 0.2, 0.4, 0.8]], y = [[3, 0, -1, 1]] → tensor(0.85...)
    let loss = try value(
      "MultiLabelMarginLoss", Tensor(shape: [1, 4], scalars: [3, 0, -1, 1]), Tensor(shape: [1, 4], scalars: [0.1, 0.2, 0.4, 0.8]))
    #expect(truncated(loss, 2) == "0.85")
  }

  @Test func multiMarginLoss() throws {
    // x = [[0.1, 0.2, 0.4, 0.8]], y = [3] → tensor(0.32...)
    let loss = try value("MultiMarginLoss", Tensor([3]), Tensor(shape: [1, 4], scalars: [0.1, 0.2, 0.4, 0.8]))
    #expect(truncated(loss, 2) == "0.32")
  }

  static func corpusCase(_ file: String, idPrefix: String) throws -> LossCase {
    let url = ConformanceTests.fixtures.appendingPathComponent(file)
    let parsed = try CaseFile.parse([UInt8](try Data(contentsOf: url)), name: file)
    for entry in parsed.entries {
      if case .valid(let lossCase) = entry, lossCase.id.hasPrefix(idPrefix) { return lossCase }
    }
    throw InputError(file, "no case \(idPrefix)*")
  }

  @Test func crossEntropySeed283() throws {
    // loss(input, target).item() → 4.6379876136779785 (targets not in [0, 1]);
    // loss(input, target.softmax(dim=1)).item() → 2.55349063873291
    for (suffix, printed) in [("raw-target", 4.6379876136779785), ("softmax-target", 2.55349063873291)] {
      let lossCase = try Self.corpusCase("torch/CrossEntropyLoss.json", idPrefix: "torch/CrossEntropyLoss/docstring-seed283-\(suffix)")
      let result = try registry.evaluate(lossCase.request)
      #expect(Tolerance.loss(.float32).accepts(result.loss.scalars[0], printed), "\(suffix): \(result.loss.scalars[0]) vs \(printed)")
    }
  }

  /// The code-only examples, run by the generator under `torch.manual_seed(0)`.
  @Test(arguments: [
    "L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss", "NLLLoss", "CrossEntropyLoss", "PoissonNLLLoss", "GaussianNLLLoss",
    "KLDivLoss", "BCELoss", "BCEWithLogitsLoss", "HingeEmbeddingLoss", "SoftMarginLoss", "MultiLabelSoftMarginLoss",
    "CosineEmbeddingLoss", "MarginRankingLoss",
  ])
  func codeOnlyExamples(loss: String) throws {
    let url = ConformanceTests.fixtures.appendingPathComponent("torch/\(loss).json")
    let parsed = try CaseFile.parse([UInt8](try Data(contentsOf: url)), name: loss)
    let examples = parsed.entries.compactMap { entry -> LossCase? in
      if case .valid(let c) = entry, c.id.contains("/docstring-seed0") { return c }
      return nil
    }
    #expect(!examples.isEmpty)
    for example in examples {
      guard case .values(let expected, let gradient)? = example.expected else {
        Issue.record("\(example.id): no recorded values")
        continue
      }
      let result = try registry.evaluate(example.request)
      #expect(CaseRunner.compare(result.loss, expected, Tolerance.loss(result.dtype), what: "loss") == nil, "\(example.id)")
      if let gradient {
        #expect(CaseRunner.compare(result.gradient, gradient, Tolerance.gradient(result.gradientDType), what: "grad") == nil, "\(example.id)")
      }
    }
  }
}
