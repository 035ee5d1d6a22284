import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
  @Test("strings: quotes, backslashes and control characters are escaped")
  func quoting() {
    #expect(JSONWriter.quote("plain") == #""plain""#)
    #expect(JSONWriter.quote("a\"b\\c") == #""a\"b\\c""#)
    #expect(JSONWriter.quote("\n\r\t") == #""\n\r\t""#)
    #expect(JSONWriter.quote("\u{0}\u{1}\u{08}\u{0C}\u{1F}") == #""\u0000\u0001\u0008\u000c\u001f""#)
    // Non-ASCII and '/' are written as they are.
    #expect(JSONWriter.quote("é/😀中") == "\"é/😀中\"")
    #expect(JSONWriter.quote("") == #""""#)
  }

  @Test("compact rendering of every kind of value")
  func rendering() {
    let value = JSONValue.object([
      (key: "b", value: .number(1, integer: 1)),
      (key: "a", value: .array([.bool(true), .bool(false), .null, .string("x")])),
      (key: "e", value: .object([])),
      (key: "f", value: .array([])),
      (key: "g", value: .number(2.5, integer: nil)),
    ])
    #expect(JSONWriter.write(value) == #"{"b": 1, "a": [true, false, null, "x"], "e": {}, "f": [], "g": 2.5}"#)
  }

  @Test("Double: shortest round-trip form; non-finite as strings", arguments: [
    (0.1, "0.1"), (1.0, "1.0"), (-0.0, "-0.0"), (1e-7, "1e-07"), (Double(Float(0.1)), "0.10000000149011612"),
    (5.3726983070373535, "5.3726983070373535"), (.nan, #""nan""#), (.infinity, #""inf""#), (-.infinity, #""-inf""#),
  ])
  func doubles(value: Double, text: String) {
    #expect(JSONWriter.number(value) == text)
  }

  @Test("Float: its own shortest form, not the Double's", arguments: [
    (Float(5.3726983), "5.3726983"), (Float(0.1), "0.1"), (Float(1), "1.0"), (Float(-2.5e-8), "-2.5e-08"),
    (Float.nan, #""nan""#), (Float.infinity, #""inf""#), (-Float.infinity, #""-inf""#),
  ])
  func floats(value: Float, text: String) {
    #expect(JSONWriter.number(value) == text)
  }

  @Test("write → parse returns the same document")
  func roundTrip() throws {
    let allControls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
    let value = JSONValue.object([
      (key: "controls", value: .string(allControls)),
      (key: "quotes \" and \\", value: .string("\u{7F}\u{2028}é😀")),
      (key: "numbers", value: .array([
        .number(3, integer: 3), .number(-7, integer: -7), .number(0.1, integer: nil), .number(1e-7, integer: nil),
        .number(1e20, integer: nil), .number(Double.greatestFiniteMagnitude, integer: nil),
        .number(Double.leastNonzeroMagnitude, integer: nil), .number(-0.0, integer: nil),
      ])),
      (key: "nested", value: .array([.object([(key: "", value: .null)]), .array([.array([])]), .bool(false)])),
    ])
    let text = JSONWriter.write(value)
    #expect(try JSONParser.parse(text) == value, "\(text)")
  }

  /// Every finite Double, written and read back, is the same bit pattern (zero tolerance:
  /// Swift's description is the shortest text that round-trips).
  @Test("random doubles round-trip through JSONWriter and JSONParser")
  func randomDoubles() throws {
    var generator = SplitMix64(seed: 0x1055_0001)
    var failures: [String] = []
    for _ in 0..<20_000 {
      let d = Double(bitPattern: generator.next())
      guard d.isFinite else { continue }
      let text = JSONWriter.number(d)
      guard case .number(let back, _) = try JSONParser.parse(text), back.bitPattern == d.bitPattern else {
        failures.append(text)
        continue
      }
    }
    #expect(failures.count == 0, "first failures: \(failures.prefix(10))")
  }

  /// A float32 value written with `number(_: Float)` is read as a Double and rounded to
  /// Float by the loss request; that path must give back the same Float bit pattern.
  @Test("random floats round-trip through their shortest text")
  func randomFloats() throws {
    var generator = SplitMix64(seed: 0x1055_0002)
    var failures: [String] = []
    for _ in 0..<50_000 {
      let f = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
      guard f.isFinite else { continue }
      let text = JSONWriter.number(f)
      guard case .number(let back, _) = try JSONParser.parse(text), Float(back).bitPattern == f.bitPattern else {
        failures.append(text)
        continue
      }
      // Float's own form: at most 9 significant digits (a Double rendering has up to 17).
      let mantissa = text.prefix { $0 != "e" }.filter(\.isNumber).drop { $0 == "0" }
      let significant = String(mantissa).reversed().drop { $0 == "0" }
      if significant.count > 9 { failures.append("too many digits: \(text)") }
    }
    #expect(failures.count == 0, "first failures: \(failures.prefix(10))")
  }

  @Test("non-finite values written as strings read back through TensorJSON.scalar")
  func nonFiniteThroughTensorJSON() throws {
    for value in [Double.nan, .infinity, -.infinity] {
      let parsed = try JSONParser.parse(JSONWriter.number(value))
      #expect(identical(try TensorJSON.scalar(parsed, path: "x"), value))
    }
  }
}
