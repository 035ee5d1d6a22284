import Foundation
import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

/// Shared helpers for the LossKitIO tests.
enum Fixtures {
  /// `Tests/Fixtures/npy`, written by `Tools/fixtures/make_npy.py` with the real numpy.
  static let npy = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/npy")

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: npy.appendingPathComponent(name)))
  }
}

/// A scratch directory under `FileManager.default.temporaryDirectory`, removed by `remove()`.
struct ScratchDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("LossKitIOTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// Writes `contents` to `name` and returns the full path.
  func write(_ name: String, _ contents: [UInt8]) throws -> String {
    let file = url.appendingPathComponent(name)
    try Data(contents).write(to: file)
    return file.path
  }

  func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Exact equality that also tells -0.0 from 0.0 and lets NaN equal NaN. Used wherever a
/// reader must reproduce a value bit for bit (widening to Double is exact, and decimal
/// text written with Python's repr or Swift's description round-trips exactly), so the
/// tolerance is zero.
func identical(_ a: Double, _ b: Double) -> Bool {
  (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern
}

func identical(_ a: [Double], _ b: [Double]) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { identical($0, $1) }
}

/// The first index where two arrays differ (under `identical`), for failure messages.
func firstDifference(_ a: [Double], _ b: [Double]) -> String {
  if a.count != b.count { return "counts \(a.count) vs \(b.count)" }
  for i in a.indices where !identical(a[i], b[i]) { return "[\(i)]: \(a[i]) vs \(b[i])" }
  return "none"
}

/// Parses JSON text that the test itself wrote and knows to be valid.
func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }
