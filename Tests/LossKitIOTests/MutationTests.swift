import Foundation
import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

/// Randomly damaged inputs — flipped, inserted, deleted bytes and truncations of real
/// files — must be read or rejected with an `InputError` (or, for a case that reads, a
/// `LossError` when it is computed), never crash. A crash would take the test process
/// down, so each suite runs in an exit test: a child process that must exit normally
/// and report what happened, which the parent then checks.
@Suite("Readers survive damaged files")
struct MutationTests {
  static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var out = bytes
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      guard !out.isEmpty else { break }
      let i = Int.random(in: 0..<out.count, using: &rng)
      switch Int.random(in: 0..<4, using: &rng) {
      case 0: out[i] = UInt8.random(in: 0...255, using: &rng)
      case 1: out.insert(UInt8.random(in: 0...255, using: &rng), at: i)
      case 2: out.remove(at: i)
      default: out.removeSubrange(i...)
      }
    }
    return out
  }

  /// Tallies outcomes in the child; any error that is not the expected kind, or has no
  /// location, ends the child with a failure status and a message.
  struct Tally {
    var read = 0
    var rejected = 0

    mutating func record(_ body: () throws -> Void) {
      do {
        try body()
        read += 1
      } catch let error as InputError {
        guard !error.location.isEmpty, !error.message.isEmpty else { Tally.fail("an InputError without a location: \(error)") }
        rejected += 1
      } catch {
        Tally.fail("unexpected error type \(type(of: error)): \(error)")
      }
    }

    static func fail(_ message: String) -> Never {
      FileHandle.standardError.write(Data("FAIL \(message)\n".utf8))
      exit(1)
    }

    /// Both outcomes must occur, or the mutations did not exercise the reader.
    func report() {
      guard read > 0, rejected > 0 else { Tally.fail("read \(read), rejected \(rejected)") }
      print("read \(read) rejected \(rejected)")
    }
  }

  /// Parses the child's report.
  static func counts(_ output: [UInt8]) -> (read: Int, rejected: Int)? {
    let words = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace)
    guard words.count == 4, words[0] == "read", words[2] == "rejected", let r = Int(words[1]), let j = Int(words[3]) else {
      return nil
    }
    return (r, j)
  }

  @Test func npyFiles() async throws {
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      var rng = SplitMix64(seed: 0xDA4A6E)
      var tally = Tally()
      for name in ["float32_2x3.npy", "float64_fortran_2x3x4.npy", "int64_labels_4.npy", "float64_v3_2x2.npy"] {
        let original = try Fixtures.bytes(name)
        for _ in 0..<500 {
          let damaged = MutationTests.mutate(original, &rng)
          tally.record { _ = try NPYReader.read(damaged, name: name) }
        }
      }
      tally.report()
    }
    let counts = try #require(result.flatMap { Self.counts($0.standardOutputContent) })
    #expect(counts.read + counts.rejected == 2000)
  }

  @Test func caseFiles() async throws {
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/conformance/keras/SparseCategoricalCrossentropy.json")
      let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
      // A small but complete file: the header and three cases.
      let text = lines[0...3].joined(separator: "\n") + "\n" + lines[4].dropLast() + "]}"
      let original = Array(text.utf8)
      _ = try CaseFile.parse(original, name: "sample")
      var rng = SplitMix64(seed: 0xCA5E)
      var tally = Tally()
      for _ in 0..<400 {
        let damaged = MutationTests.mutate(original, &rng)
        tally.record {
          let file = try CaseFile.parse(damaged, name: "mutated")
          // Cases that still read must compute or fail with a message; never trap.
          for case .valid(let lossCase) in file.entries {
            if case .failed(let message, _) = CaseRunner.run(lossCase), message.isEmpty { Tally.fail("an empty error message") }
          }
        }
      }
      tally.report()
    }
    let counts = try #require(result.flatMap { Self.counts($0.standardOutputContent) })
    #expect(counts.read + counts.rejected == 400)
  }

  @Test func csvAndInlineValues() async throws {
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      var rng = SplitMix64(seed: 0xC5F)
      let csv = Array("0.5,1,nan\n-inf,2e-3,7\n# note\n1,2,3\n".utf8)
      let inline = Array("[[0.1,0.9],[0.8,0.2]]".utf8)
      var tally = Tally()
      for _ in 0..<1000 {
        let damagedCSV = String(decoding: MutationTests.mutate(csv, &rng), as: UTF8.self)
        tally.record { _ = try CSVReader.read(damagedCSV, name: "x.csv") }
        let damagedInline = String(decoding: MutationTests.mutate(inline, &rng), as: UTF8.self)
        tally.record { _ = try TensorSource.parseInline(damagedInline, argument: "--y-pred") }
      }
      tally.report()
    }
    let counts = try #require(result.flatMap { Self.counts($0.standardOutputContent) })
    #expect(counts.read + counts.rejected == 2000)
  }
}
