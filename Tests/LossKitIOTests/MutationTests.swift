import Foundation
import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

/// Randomly damaged inputs — flipped, inserted, deleted bytes and truncations of real
/// files — must be read or rejected with an `InputError`, never crash the reader.
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

  @Test func npyFiles() throws {
    var rng = SplitMix64(seed: 0xDA4A6E)
    for name in ["float32_2x3.npy", "float64_fortran_2x3x4.npy", "int64_labels_4.npy", "float64_v3_2x2.npy"] {
      let original = try Fixtures.bytes(name)
      for _ in 0..<500 {
        do { _ = try NPYReader.read(Self.mutate(original, &rng), name: name) } catch {}
      }
    }
  }

  @Test func caseFiles() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/conformance/keras/SparseCategoricalCrossentropy.json")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    // A small but complete file: the header and three cases.
    let text = lines[0...3].joined(separator: "\n") + "\n" + lines[4].dropLast() + "]}"
    let original = Array(text.utf8)
    _ = try CaseFile.parse(original, name: "sample")
    var rng = SplitMix64(seed: 0xCA5E)
    for _ in 0..<400 {
      guard let file = try? CaseFile.parse(Self.mutate(original, &rng), name: "mutated") else { continue }
      for case .valid(let lossCase) in file.entries { _ = CaseRunner.run(lossCase) }
    }
  }

  @Test func csvAndInlineValues() {
    var rng = SplitMix64(seed: 0xC5F)
    let csv = Array("0.5,1,nan\n-inf,2e-3,7\n# note\n1,2,3\n".utf8)
    let inline = Array("[[0.1,0.9],[0.8,0.2]]".utf8)
    for _ in 0..<1000 {
      do { _ = try CSVReader.read(String(decoding: Self.mutate(csv, &rng), as: UTF8.self), name: "x.csv") } catch {}
      let text = String(decoding: Self.mutate(inline, &rng), as: UTF8.self)
      do { _ = try TensorSource.parseInline(text, argument: "--y-pred") } catch {}
    }
  }
}
