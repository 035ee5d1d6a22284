import Foundation
import LossKit
import LossKitIO
import Testing

/// Replays every case of `Tests/Fixtures/conformance`, which the committed generator
/// (`Tools/conformance/generate.py`) produced by running TensorFlow 2.21, Keras 3.15.1
/// and tf-keras 2.21 themselves. Tolerances are ``Tolerance/loss(_:)`` and
/// ``Tolerance/gradient(_:)``; their documentation gives the reasons.
@Suite("Conformance with the real frameworks")
struct ConformanceTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/conformance")

  static var files: [String] {
    let enumerator = FileManager.default.enumerator(atPath: fixtures.path)
    var found: [String] = []
    while let item = enumerator?.nextObject() as? String {
      if item.hasSuffix(".json") { found.append(item) }
    }
    return found.sorted()
  }

  /// Cases where LossKit deliberately does not do what the framework does, each with
  /// the reason. Such a case must fail with an error in LossKit.
  static let deliberateDeviations: [String: String] = [
    "keras/CategoricalGeneralizedCrossEntropy/label-out-of-range-52":
      "Keras one-hot encodes an out-of-range label as zeros and returns 1/q with a NaN gradient; "
      + "LossKit reports the label as an error, as it does for every sparse loss",
  ]

  static func load(_ file: String) throws -> CaseFile {
    let data = try Data(contentsOf: fixtures.appendingPathComponent(file))
    return try CaseFile.parse([UInt8](data), name: file)
  }

  @Test("every case matches the framework", arguments: files)
  func replay(file: String) throws {
    let caseFile = try Self.load(file)
    var failures: [String] = []
    for entry in caseFile.entries {
      switch entry {
      case .invalid(let id, let error):
        failures.append("\(id): cannot read the case: \(error)")
      case .valid(let lossCase):
        guard let expected = lossCase.expected else {
          failures.append("\(lossCase.id): no expected values")
          continue
        }
        let outcome = CaseRunner.run(lossCase)
        if let reason = Self.deliberateDeviations[lossCase.id] {
          if case .computed = outcome { failures.append("\(lossCase.id): expected LossKit to reject it (\(reason))") }
          continue
        }
        if let problem = CaseRunner.mismatch(outcome, expected: expected) {
          failures.append("\(lossCase.id): \(problem)")
        }
      }
    }
    #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(caseFile.entries.count) cases differ:\n" + failures.joined(separator: "\n")))
  }
}
