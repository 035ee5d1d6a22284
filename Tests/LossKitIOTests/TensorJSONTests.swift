import Foundation
import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

/// Decodes `text` (which must be valid JSON) with `TensorJSON.decode` at `path`.
func decodeTensor(_ text: String, path: String = "y_pred") throws -> Tensor<Double> {
  try TensorJSON.decode(try json(text), path: path)
}

/// The `InputError` that decoding `text` throws, or nil (with a recorded issue).
func decodeFailure(
  _ text: String, path: String = "y_pred", sourceLocation: SourceLocation = #_sourceLocation
) throws -> InputError? {
  let value = try json(text)
  do throws(InputError) {
    let tensor = try TensorJSON.decode(value, path: path)
    Issue.record("decoded \(text) as \(tensor) (shape \(tensor.shape)), expected an error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

@Suite("TensorJSON")
struct TensorJSONTests {
  // MARK: decode

  @Test("{\"shape\", \"data\"} is a flat row-major tensor")
  func shapeAndData() throws {
    let t = try decodeTensor(#"{"shape": [2, 3], "data": [1, 2, 3, 4, 5.5, -6]}"#)
    #expect(t.shape == [2, 3])
    #expect(t.scalars == [1, 2, 3, 4, 5.5, -6])
    // Members in any order, extra members ignored.
    let u = try decodeTensor(#"{"data": [7], "note": "x", "shape": []}"#)
    #expect(u.shape == [] && u.scalars == [7])
    let empty = try decodeTensor(#"{"shape": [2, 0, 3], "data": []}"#)
    #expect(empty.shape == [2, 0, 3] && empty.scalars.isEmpty)
  }

  @Test("nested lists: the shape is inferred", arguments: [
    ("[1, 2, 3]", [3], [1.0, 2, 3]),
    ("[[1, 2, 3], [4, 5, 6]]", [2, 3], [1.0, 2, 3, 4, 5, 6]),
    ("[[[1], [2]]]", [1, 2, 1], [1.0, 2]),
    ("[[0.1, 0.9], [0.8, 0.2]]", [2, 2], [0.1, 0.9, 0.8, 0.2]),
    ("[]", [0], []),
    ("[[], []]", [2, 0], []),
    ("[[[]]]", [1, 1, 0], []),
    ("[[[], []], [[], []], [[], []]]", [3, 2, 0], []),
  ])
  func nestedLists(text: String, shape: [Int], scalars: [Double]) throws {
    let t = try decodeTensor(text)
    #expect(t.shape == shape)
    #expect(t.scalars == scalars)
  }

  @Test("a bare number is rank 0")
  func bareNumber() throws {
    let t = try decodeTensor("0.5")
    #expect(t.shape == [] && t.scalars == [0.5] && t.isScalar)
    let i = try decodeTensor("3")
    #expect(i.shape == [] && i.scalars == [3])
    let nan = try decodeTensor(#""nan""#)
    #expect(nan.shape == [] && nan.scalars[0].isNaN)
  }

  @Test("non-finite values spelled as strings (any case) or as Python tokens")
  func nonFinite() throws {
    let t = try decodeTensor(
      #"{"shape": [10], "data": ["nan", "inf", "-inf", "Infinity", "-Infinity", "NaN", "+inf", "INF", NaN, -Infinity]}"#)
    let expected: [Double] = [.nan, .infinity, -.infinity, .infinity, -.infinity, .nan, .infinity, .infinity, .nan, -.infinity]
    #expect(identical(t.scalars, expected), "\(t.scalars)")
    let nested = try decodeTensor(#"[["nan", 1], ["-inf", "infinity"]]"#)
    #expect(nested.shape == [2, 2])
    #expect(identical(nested.scalars, [.nan, 1, -.infinity, .infinity]))
  }

  @Test("exact values: 0.10000000149011612 stays the float32 0.1 (tolerance zero)")
  func exactValues() throws {
    let t = try decodeTensor(#"{"shape": [2], "data": [0.10000000149011612, -0.0]}"#)
    #expect(t.scalars[0].bitPattern == Double(Float(0.1)).bitPattern)
    #expect(t.scalars[1].bitPattern == (-0.0).bitPattern)
  }

  // MARK: decode errors

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var label: String
    var text: String
    var location: String
    var fragment: String
    var testDescription: String { label }
  }

  static let errorCases: [ErrorCase] = [
    ErrorCase(label: "ragged: short row", text: "[[1, 2], [3]]", location: "y_pred[1]", fragment: "ragged nested list: expected 2 elements, got 1"),
    ErrorCase(label: "ragged: long row", text: "[[1], [2, 3]]", location: "y_pred[1]", fragment: "expected 1 elements, got 2"),
    ErrorCase(label: "ragged: number instead of a list", text: "[[1, 2], 3]", location: "y_pred[1]", fragment: "expected a list of 2 elements, got the number 3.0"),
    ErrorCase(label: "ragged: list instead of a number", text: "[1, [2]]", location: "y_pred[1]", fragment: "expected a number here, got a list"),
    ErrorCase(label: "ragged: deep", text: "[[[1, 2], [3, 4]], [[5, 6], [7]]]", location: "y_pred[1][1]", fragment: "expected 2 elements, got 1"),
    ErrorCase(label: "ragged: empty then full", text: "[[], [1]]", location: "y_pred[1]", fragment: "expected 0 elements, got 1"),
    ErrorCase(label: "count mismatch (short)", text: #"{"shape": [2, 2], "data": [1, 2, 3]}"#, location: "y_pred", fragment: "shape [2, 2] needs 4 elements, but data has 3"),
    ErrorCase(label: "count mismatch (long)", text: #"{"shape": [], "data": [1, 2]}"#, location: "y_pred", fragment: "needs 1 elements, but data has 2"),
    ErrorCase(label: "negative dimension", text: #"{"shape": [2, -1], "data": []}"#, location: "y_pred.shape[1]", fragment: "expected a non-negative integer, got the number -1.0"),
    ErrorCase(label: "fractional dimension", text: #"{"shape": [2.5], "data": [1, 2]}"#, location: "y_pred.shape[0]", fragment: "non-negative integer"),
    ErrorCase(label: "string dimension", text: #"{"shape": ["2"], "data": [1, 2]}"#, location: "y_pred.shape[0]", fragment: "non-negative integer"),
    ErrorCase(label: "shape not an array", text: #"{"shape": 2, "data": [1, 2]}"#, location: "y_pred.shape", fragment: "expected an array of non-negative integers"),
    ErrorCase(label: "shape too large", text: #"{"shape": [1048576, 1048576, 2], "data": []}"#, location: "y_pred.shape", fragment: "too large"),
    ErrorCase(label: "shape overflows Int", text: #"{"shape": [4294967296, 4294967296, 4294967296], "data": []}"#, location: "y_pred.shape", fragment: "too large"),
    ErrorCase(label: "shape missing", text: #"{"data": [1]}"#, location: "y_pred", fragment: "\"shape\" is missing"),
    ErrorCase(label: "data missing", text: #"{"shape": [1]}"#, location: "y_pred", fragment: "\"data\" is missing"),
    ErrorCase(label: "data not an array", text: #"{"shape": [1], "data": 1}"#, location: "y_pred.data", fragment: "expected a flat array of numbers, got the number 1.0"),
    ErrorCase(label: "nested data in the flat form", text: #"{"shape": [2], "data": [[1], [2]]}"#, location: "y_pred.data[0]", fragment: "expected a number, got an array of 1 elements"),
    ErrorCase(label: "string element (flat)", text: #"{"shape": [2], "data": [1, "x"]}"#, location: "y_pred.data[1]", fragment: "expected a number, got the string \"x\""),
    ErrorCase(label: "bool element (nested)", text: "[[1, true]]", location: "y_pred[0][1]", fragment: "expected a number, got true"),
    ErrorCase(label: "null element (nested)", text: "[1, null]", location: "y_pred[1]", fragment: "expected a number, got null"),
    ErrorCase(label: "object element (nested)", text: "[1, {}]", location: "y_pred[1]", fragment: "got an object"),
    ErrorCase(label: "bare null", text: "null", location: "y_pred", fragment: "expected a number, got null"),
    ErrorCase(label: "bare non-numeric string", text: #""infinite""#, location: "y_pred", fragment: "expected a number, got the string \"infinite\""),
  ]

  @Test("errors name the path and what was wrong", arguments: errorCases)
  func errors(_ c: ErrorCase) throws {
    let error = try #require(try decodeFailure(c.text))
    #expect(error.location == c.location, "\(error)")
    #expect(error.message.contains(c.fragment), "\(error)")
    #expect(error.description == "\(error.location): \(error.message)")
  }

  @Test("the path given by the caller is the root of every location")
  func pathPrefix() throws {
    let error = try #require(try decodeFailure("[[1], [2, 3]]", path: "cases[4].y_true"))
    #expect(error.location == "cases[4].y_true[1]")
  }

  /// A tiny document can claim a huge shape down its first elements (here 2^64 or 2^40
  /// elements in about 300 bytes); it is ragged and must be rejected as such, without
  /// sizing anything by the claimed shape. Run in a child process so that a trap or an
  /// allocation failure fails this test rather than killing the suite.
  @Test("a ragged list whose first elements claim 2^64 elements is an error, not a crash")
  func hugeInferredShapeOverflow() async {
    await #expect(processExitsWith: .success) {
      var text = "[0, 0]"
      for _ in 1..<64 { text = "[" + text + ", 0]" }  // shape read down the first elements: [2] * 64
      let value = try! JSONParser.parse(text)
      do throws(InputError) {
        _ = try TensorJSON.decode(value, path: "x")
        exit(2)
      } catch {
        exit(error.message.contains("ragged") ? 0 : 3)
      }
    }
  }

  @Test("a ragged list whose first elements claim 2^40 elements is an error, not an 8 TiB allocation")
  func hugeInferredShapeAllocation() async {
    await #expect(processExitsWith: .success) {
      var text = "[0, 0]"
      for _ in 1..<40 { text = "[" + text + ", 0]" }  // [2] * 40: 2^40 doubles
      let value = try! JSONParser.parse(text)
      do throws(InputError) {
        _ = try TensorJSON.decode(value, path: "x")
        exit(2)
      } catch {
        exit(error.message.contains("ragged") ? 0 : 3)
      }
    }
  }

  @Test("the same ragged shape at a harmless size names the first bad list")
  func raggedDeepSmall() throws {
    var text = "[0, 0]"
    for _ in 1..<6 { text = "[" + text + ", 0]" }  // shape [2] * 6
    let error = try #require(try decodeFailure(text, path: "x"))
    #expect(error.location == "x" + String(repeating: "[0]", count: 4) + "[1]", "\(error)")
    #expect(error.message.contains("ragged"))
  }

  // MARK: encode

  @Test("encode: float32 values in Float's shortest form, float64 in Double's")
  func encodeDTypes() {
    let t = Tensor(shape: [2, 2], scalars: [Double(Float(0.1)), 5.3726983070373535, .nan, -.infinity])
    #expect(
      TensorJSON.encode(t, dtype: .float32)
        == #"{"shape": [2, 2], "data": [0.1, 5.3726983, "nan", "-inf"]}"#)
    #expect(
      TensorJSON.encode(t, dtype: .float64)
        == #"{"shape": [2, 2], "data": [0.10000000149011612, 5.3726983070373535, "nan", "-inf"]}"#)
    #expect(TensorJSON.encode(Tensor<Double>(2.5), dtype: .float64) == #"{"shape": [], "data": [2.5]}"#)
    #expect(TensorJSON.encode(Tensor<Double>(shape: [0, 3], scalars: []), dtype: .float32) == #"{"shape": [0, 3], "data": []}"#)
    #expect(TensorJSON.encode(Tensor([Double.infinity]), dtype: .float32) == #"{"shape": [1], "data": ["inf"]}"#)
  }

  /// encode → parse → decode gives back the tensor: bit for bit in float64 (tolerance
  /// zero), and the same Float values in float32.
  @Test("encode → parse → decode round trip")
  func encodeRoundTrip() throws {
    var generator = SplitMix64(seed: 0x7E45_0001)
    var values = (0..<500).map { _ in Double(bitPattern: generator.next()) }.filter(\.isFinite)
    values += [.nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude]
    let t = Tensor<Double>(shape: [values.count], scalars: values)

    let back64 = try decodeTensor(TensorJSON.encode(t, dtype: .float64))
    #expect(back64.shape == t.shape)
    #expect(identical(back64.scalars, t.scalars), "\(firstDifference(back64.scalars, t.scalars))")

    let f32 = t.map { Double(Float($0)) }
    let back32 = try decodeTensor(TensorJSON.encode(f32, dtype: .float32))
    #expect(back32.shape == t.shape)
    let same = zip(back32.scalars, f32.scalars).allSatisfy { a, b in
      (a.isNaN && b.isNaN) || Float(a).bitPattern == Float(b).bitPattern
    }
    #expect(same)

    let matrix = Tensor<Double>(shape: [2, 3, 1], scalars: [1, 2, 3, 4, 5, 6])
    let back = try decodeTensor(TensorJSON.encode(matrix, dtype: .float32))
    #expect(back == matrix)
  }
}
