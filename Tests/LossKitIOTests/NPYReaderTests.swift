import Foundation
import LossKit
import LossKitIO
import Testing

/// `Tests/Fixtures/npy/manifest.json`, written by `Tools/fixtures/make_npy.py` next to
/// the files. Read with Foundation's JSONDecoder, independently of LossKitIO's parser.
struct NPYManifest: Decodable {
  struct Entry: Decodable {
    var descr: String
    var version: [Int]
    var fortran_order: Bool
    var shape: [Int]
    var values: [Value]
  }

  /// A number, or "nan" / "inf" / "-inf".
  struct Value: Decodable {
    var double: Double
    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let d = try? container.decode(Double.self) {
        double = d
        return
      }
      switch try container.decode(String.self) {
      case "nan": double = .nan
      case "inf": double = .infinity
      case "-inf": double = -.infinity
      case let other:
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "unexpected value \(other)")
      }
    }
  }

  var numpy: String
  var files: [String: Entry]
  var errors: [String: String]

  static func load() throws -> NPYManifest {
    try JSONDecoder().decode(NPYManifest.self, from: Data(contentsOf: Fixtures.npy.appendingPathComponent("manifest.json")))
  }

  /// The readable files, for parameterised tests (empty if the manifest is missing;
  /// `manifestIsComplete` then fails).
  static let readableFiles: [String] = ((try? load())?.files.keys.sorted()) ?? []
}

/// Builds an `.npy` file by hand: magic, version, header length, the header dict padded
/// with spaces and a newline to a multiple of 64 bytes (as numpy does), then `data`.
func npyBytes(_ dict: String, version: UInt8 = 1, data: [UInt8] = []) -> [UInt8] {
  let prefix = version == 1 ? 10 : 12
  let unpadded = prefix + dict.utf8.count + 1
  let header = dict + String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
  let n = header.utf8.count
  var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
  out += version == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : (0..<4).map { UInt8((n >> (8 * $0)) & 0xFF) }
  return out + Array(header.utf8) + data
}

/// The `InputError` that reading `bytes` throws, or nil (with a recorded issue).
func npyFailure(_ bytes: [UInt8], name: String = "data.npy", sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
  do throws(InputError) {
    let t = try NPYReader.read(bytes, name: name)
    Issue.record("read a tensor of shape \(t.shape), expected an error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

@Suite("NPYReader")
struct NPYReaderTests {
  @Test("the manifest lists every fixture numpy wrote")
  func manifestIsComplete() throws {
    let manifest = try NPYManifest.load()
    #expect(manifest.numpy.hasPrefix("2."), "numpy \(manifest.numpy)")
    let expected: Set = [
      "float32_2x3.npy", "float64_3.npy", "int64_labels_4.npy", "int64_extremes_4.npy", "int8_4.npy", "int16_be_4.npy",
      "uint8_2x2.npy", "uint16_3.npy", "bool_5.npy", "float32_be_2x2.npy", "float64_fortran_2x3.npy",
      "float64_fortran_2x3x4.npy", "scalar_0d.npy", "empty_0.npy", "empty_2x0.npy", "float16_9.npy",
      "float32_v2_3.npy", "float64_v3_2x2.npy",
    ]
    #expect(Set(manifest.files.keys) == expected)
    #expect(Set(manifest.errors.keys) == ["truncated_data.npy", "truncated_header.npy", "bad_magic.npy", "complex128.npy", "structured.npy", "unicode.npy"])
    // The fixtures cover what they claim to.
    #expect(manifest.files["float64_fortran_2x3.npy"]?.fortran_order == true)
    #expect(manifest.files["float64_fortran_2x3x4.npy"]?.fortran_order == true)
    #expect(manifest.files["float32_be_2x2.npy"]?.descr == ">f4")
    #expect(manifest.files["float32_v2_3.npy"]?.version == [2, 0])
    #expect(manifest.files["float64_v3_2x2.npy"]?.version == [3, 0])
    let withNonFinite = try #require(manifest.files["float32_2x3.npy"]).values.map(\.double)
    #expect(withNonFinite.contains { $0.isNaN } && withNonFinite.contains(.infinity) && withNonFinite.contains(-.infinity))
  }

  /// Widening float16/float32/integers/bool to Double is exact, and the manifest's
  /// decimal values are Python reprs that read back exactly, so the comparison is bit
  /// for bit (tolerance zero; NaN matches NaN, -0.0 must stay -0.0).
  @Test("every numpy-written file reads with numpy's shape and values", arguments: NPYManifest.readableFiles)
  func matchesNumPy(file: String) throws {
    let manifest = try NPYManifest.load()
    let entry = try #require(manifest.files[file])
    let tensor = try NPYReader.read(try Fixtures.bytes(file), name: file)
    #expect(tensor.shape == entry.shape)
    let expected = entry.values.map(\.double)
    #expect(identical(tensor.scalars, expected), "first difference \(firstDifference(tensor.scalars, expected))")
  }

  @Test("Fortran order comes out row-major")
  func fortranOrder() throws {
    let bytes = try Fixtures.bytes("float64_fortran_2x3.npy")
    // The file really is column-major: its raw doubles are the columns.
    let raw = stride(from: bytes.count - 48, to: bytes.count, by: 8).map { offset in
      Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) })
    }
    #expect(raw == [0.5, 3.5, 1.5, 4.5, 2.5, 5.5])
    let t = try NPYReader.read(bytes, name: "f.npy")
    #expect(t.shape == [2, 3])
    #expect(t.scalars == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5])

    // Rank 3: element (i, j, k) of arange(24).reshape(2, 3, 4) * 1.25 is (12i + 4j + k) * 1.25.
    let cube = try NPYReader.read(try Fixtures.bytes("float64_fortran_2x3x4.npy"), name: "f3.npy")
    #expect(cube.shape == [2, 3, 4])
    #expect(cube.scalars == (0..<24).map { Double($0) * 1.25 })
  }

  @Test("rank 0, empty arrays, bool and uint8")
  func specialShapes() throws {
    let scalar = try NPYReader.read(try Fixtures.bytes("scalar_0d.npy"), name: "s.npy")
    #expect(scalar.shape == [] && scalar.scalars == [2.75])
    let empty = try NPYReader.read(try Fixtures.bytes("empty_0.npy"), name: "e.npy")
    #expect(empty.shape == [0] && empty.scalars.isEmpty)
    let empty2 = try NPYReader.read(try Fixtures.bytes("empty_2x0.npy"), name: "e2.npy")
    #expect(empty2.shape == [2, 0] && empty2.scalars.isEmpty)
    let flags = try NPYReader.read(try Fixtures.bytes("bool_5.npy"), name: "b.npy")
    #expect(flags.scalars == [1, 0, 1, 1, 0])
    let bytes = try NPYReader.read(try Fixtures.bytes("uint8_2x2.npy"), name: "u.npy")
    #expect(bytes.shape == [2, 2] && bytes.scalars == [0, 1, 128, 255])
  }

  /// Every one of the 65,536 half-precision bit patterns, against Swift's own Float16
  /// (exact widening, tolerance zero; every NaN pattern must read as NaN).
  @Test("float16: all 65,536 bit patterns")
  func allHalfPrecisionValues() throws {
    let data = (0..<65536).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let t = try NPYReader.read(npyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (65536,), }", data: data), name: "h.npy")
    let expected = (0..<65536).map { Double(Float16(bitPattern: UInt16($0))) }
    #expect(identical(t.scalars, expected), "first difference \(firstDifference(t.scalars, expected))")
  }

  /// `TensorSource.loadFloat32` (compute's float32 inputs) gives every numpy-written
  /// file's values rounded to float32, as the float64 reader's converted; little-endian
  /// float32 C-order files are read straight from the file (`readFloat32(path:)`, nil
  /// for every other layout), the rest through the float64 reader.
  @Test("float32 reading: the float64 reader's values rounded", arguments: NPYManifest.readableFiles)
  func float32Reading(file: String) throws {
    let entry = try #require(try NPYManifest.load().files[file])
    let path = Fixtures.npy.appendingPathComponent(file).path
    let wide = try NPYReader.read(try Fixtures.bytes(file), name: file).converted(to: Float.self)
    let loaded = try TensorSource.loadFloat32(path, argument: "--y-pred")
    #expect(loaded.shape == wide.shape && loaded.scalars.map(\.bitPattern) == wide.scalars.map(\.bitPattern))
    let direct = try NPYReader.readFloat32(path: path, name: file)
    #expect((direct != nil) == (entry.descr == "<f4" && !entry.fortran_order), "\(entry.descr)")
    if let direct { #expect(direct.shape == wide.shape && direct.scalars.map(\.bitPattern) == wide.scalars.map(\.bitPattern)) }
  }

  @Test("float32 reading from the path: a truncated file is the same error")
  func float32ReadingTruncated() throws {
    let path = Fixtures.npy.appendingPathComponent("truncated_data.npy").path
    #expect(throws: InputError("truncated_data.npy", "truncated .npy data: shape [2, 3] of <f4 needs 24 bytes, found 19")) {
      _ = try NPYReader.readFloat32(path: path, name: "truncated_data.npy")
    }
  }

  @Test("the hand-built header matches what numpy writes")
  func builderMatchesNumPy() throws {
    let file = try Fixtures.bytes("float32_2x3.npy")
    let built = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data: Array(file.suffix(24)))
    #expect(built == file)
  }

  // MARK: Errors

  @Test("files numpy wrote that the reader must reject", arguments: [
    ("truncated_data.npy", "truncated .npy data: shape [2, 3] of <f4 needs 24 bytes, found 19"),
    ("truncated_header.npy", "truncated .npy header"),
    ("bad_magic.npy", "not a .npy file"),
    ("complex128.npy", "unsupported .npy dtype '<c16'"),
    ("structured.npy", "structured dtypes are not supported"),
    ("unicode.npy", "unsupported .npy dtype '<U2'"),
  ])
  func rejectedFixtures(file: String, fragment: String) throws {
    let error = try #require(npyFailure(try Fixtures.bytes(file), name: file))
    #expect(error.location == file)
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("every prefix of a valid file is an InputError, never a crash", arguments: ["float32_2x3.npy", "float32_v2_3.npy", "float64_fortran_2x3x4.npy"])
  func everyPrefix(file: String) throws {
    let bytes = try Fixtures.bytes(file)
    for cut in 0..<bytes.count {
      _ = npyFailure(Array(bytes[..<cut]))
    }
  }

  @Test("hand-built headers that must be rejected", arguments: [
    // Beyond the 2^40-element limit.
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627777,), }", "too large"),
    // Products that overflow Int.
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "too large"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", "too large"),
    // Exactly 2^40 elements is allowed by the header but 8 TiB of data are missing:
    // rejected by the size check before anything is allocated.
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }", "needs 8796093022208 bytes, found 0"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }", "invalid dimension"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", "invalid dimension"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }", "invalid dimension"),
    ("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "unsupported .npy dtype '|O'"),
    ("{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }", "unsupported .npy dtype '<f16'"),
    ("{'descr': '<i3', 'fortran_order': False, 'shape': (1,), }", "unsupported .npy dtype '<i3'"),
    ("{'descr': '<M8[D]', 'fortran_order': False, 'shape': (1,), }", "unsupported .npy dtype"),
    ("{'descr': '<f8', 'shape': (1,), }", "no 'fortran_order'"),
    ("{'descr': '<f8', 'fortran_order': False, }", "no 'shape' tuple"),
    ("{'fortran_order': False, 'shape': (1,), }", "no 'descr'"),
  ])
  func badHeaders(header: String, fragment: String) throws {
    let error = try #require(npyFailure(npyBytes(header)))
    #expect(error.location == "data.npy")
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("format versions and header lengths")
  func versions() throws {
    var v4 = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }")
    v4[6] = 4
    #expect(npyFailure(v4)?.message.contains("unsupported .npy format version 4.0") == true)
    // A version 2 file cut before its 4-byte header length.
    #expect(npyFailure([0x93] + Array("NUMPY".utf8) + [2, 0, 0x10, 0])?.message.contains("truncated .npy header") == true)
    // A header length that points past the end of the file.
    var long = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }")
    long[8] = 0xFF
    long[9] = 0xFF
    #expect(npyFailure(long)?.message.contains("truncated .npy header: expected 65535 header bytes") == true)
    // Version 2 with a hand-built header reads.
    let v2 = npyBytes("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", version: 2, data: [0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 1, 0])
    #expect(try NPYReader.read(v2, name: "v2.npy").scalars == [-2, 256])
    #expect(npyFailure([])?.message.contains("not a .npy file") == true)
  }
}
