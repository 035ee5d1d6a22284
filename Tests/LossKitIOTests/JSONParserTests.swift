import Foundation
import LossKit
import LossKitIO
import Testing

/// The error `JSONParser` throws for `text`, or nil (with a recorded issue) if it parses.
func parseFailure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONSyntaxError? {
  do throws(JSONSyntaxError) {
    let value = try JSONParser.parse(text)
    Issue.record("parsed \(text.debugDescription) as \(value), expected a syntax error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// A document that must fail, where, and with what in the message.
struct SyntaxErrorCase: Sendable, CustomTestStringConvertible {
  var label: String
  var text: String
  var line: Int
  var column: Int
  var fragment: String
  var testDescription: String { label }
}

@Suite("JSONParser")
struct JSONParserTests {
  // MARK: Values

  @Test("objects keep key order; arrays, literals and nesting")
  func structure() throws {
    let value = try JSONParser.parse(#" { "b" : 1 , "a" : [ true , false , null ] , "c" : { } , "d" : [ ] } "#)
    guard case .object(let members) = value else {
      Issue.record("expected an object, got \(value)")
      return
    }
    #expect(members.map(\.key) == ["b", "a", "c", "d"])
    #expect(value["b"] == .number(1, integer: 1))
    #expect(value["a"] == .array([.bool(true), .bool(false), .null]))
    #expect(value["c"] == .object([]))
    #expect(value["d"] == .array([]))
    #expect(value["missing"] == nil)
  }

  @Test("a repeated key keeps both members; the subscript returns the first")
  func repeatedKey() throws {
    let value = try JSONParser.parse(#"{"k": 1, "k": 2}"#)
    guard case .object(let members) = value else {
      Issue.record("expected an object")
      return
    }
    #expect(members.count == 2)
    #expect(value["k"] == .number(1, integer: 1))
  }

  @Test("whitespace of all four kinds around values")
  func whitespace() throws {
    #expect(try JSONParser.parse(" \t\r\n[\n1\t,\r2 ]\n\n") == .array([.number(1, integer: 1), .number(2, integer: 2)]))
  }

  @Test("string escapes")
  func escapes() throws {
    #expect(try JSONParser.parse(#""a\"b\\c\/d""#) == .string("a\"b\\c/d"))
    #expect(try JSONParser.parse(#""\b\f\n\r\t""#) == .string("\u{08}\u{0C}\n\r\t"))
    #expect(try JSONParser.parse(#""caf\u00e9""#) == .string("café"))
    #expect(try JSONParser.parse(#""\u00C9\u00e9""#) == .string("Éé"))
    #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
    // A surrogate pair is one scalar, U+1F600.
    let smile = try JSONParser.parse(#""\ud83d\ude00""#)
    #expect(smile == .string("😀"))
    if case .string(let s) = smile { #expect(s.unicodeScalars.map(\.value) == [0x1F600]) }
    // Raw UTF-8 passes through unchanged, mixed with escapes.
    #expect(try JSONParser.parse("\"é😀\\n中\"") == .string("é😀\n中"))
  }

  @Test("invalid escapes and surrogates are errors", arguments: [
    (#""\x""#, "invalid escape"),
    (#""\ud83d""#, "unpaired surrogate"),
    (#""\ud83dx""#, "unpaired surrogate"),
    (#""\ud83d\u0041""#, "invalid low surrogate"),
    (#""\ude00""#, #"invalid \u escape"#),
    (#""\u12G4""#, "invalid hex digit"),
  ])
  func badEscapes(text: String, fragment: String) throws {
    let error = try #require(parseFailure(text))
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("integers carry their Int value; fractions and exponents do not")
  func integersAndFloats() throws {
    #expect(try JSONParser.parse("42") == .number(42, integer: 42))
    #expect(try JSONParser.parse("-7") == .number(-7, integer: -7))
    #expect(try JSONParser.parse("0") == .number(0, integer: 0))
    #expect(try JSONParser.parse("42.0") == .number(42, integer: nil))
    #expect(try JSONParser.parse("1e2") == .number(100, integer: nil))
    // -0 is the integer 0 but keeps its sign as a Double.
    guard case .number(let negativeZero, let integer) = try JSONParser.parse("-0") else {
      Issue.record("-0 is not a number")
      return
    }
    #expect(integer == 0)
    #expect(negativeZero == 0 && negativeZero.sign == .minus)
    // 2^53 + 1 is exact as an Int even though the Double rounds it.
    #expect(try JSONParser.parse("9007199254740993") == .number(9_007_199_254_740_992, integer: 9_007_199_254_740_993))
    // Too large for Int: a Double only.
    #expect(try JSONParser.parse("99999999999999999999") == .number(1e20, integer: nil))
    #expect(try JSONParser.parse("-9223372036854775808") == .number(-9.223372036854775808e18, integer: Int.min))
  }

  @Test("exponents", arguments: [
    ("1.5e3", 1500.0), ("2E-2", 0.02), ("1e+2", 100.0), ("-3.25E+1", -32.5), ("5e-324", Double.leastNonzeroMagnitude), ("1e400", .infinity),
  ])
  func exponents(text: String, value: Double) throws {
    #expect(try JSONParser.parse(text) == .number(value, integer: nil))
  }

  @Test("Python's NaN, Infinity and -Infinity tokens")
  func pythonNonFinite() throws {
    let value = try JSONParser.parse("[NaN, Infinity, -Infinity]")
    guard case .array(let elements) = value, elements.count == 3,
      case .number(let nan, nil) = elements[0], case .number(let inf, nil) = elements[1],
      case .number(let negInf, nil) = elements[2]
    else {
      Issue.record("unexpected \(value)")
      return
    }
    #expect(nan.isNaN)
    #expect(inf == .infinity)
    #expect(negInf == -.infinity)
    // Python's str() of a list of floats (as users paste numpy's tolist()): lowercase.
    let lower = try JSONParser.parse("[nan, inf, -inf, infinity]")
    guard case .array(let words) = lower, words.count == 4, case .number(let n, nil) = words[0],
      case .number(let i, nil) = words[1], case .number(let m, nil) = words[2], case .number(let j, nil) = words[3]
    else {
      Issue.record("unexpected \(lower)")
      return
    }
    #expect(n.isNaN && i == .infinity && m == -.infinity && j == .infinity)
    // Nothing looser than those two families.
    for text in ["NAN", "Inf", "-NaN", "+Infinity", "infin", "nul"] {
      _ = parseFailure(text)
    }
  }

  /// Decimal text written by Python's repr (17 significant digits or fewer) must read
  /// back to the very same double: the comparison is on bit patterns, tolerance zero.
  @Test("doubles round-trip exactly", arguments: [
    ("0.10000000149011612", Double(Float(0.1))),
    ("5.3726983070373535", Double(Float(5.3726983))),
    ("0.1", 0.1),
    ("2.2250738585072014e-308", 2.2250738585072014e-308),
    ("4.9406564584124654e-324", Double.leastNonzeroMagnitude),
    ("1.7976931348623157e308", Double.greatestFiniteMagnitude),
    ("-1.0000000000000002", -1.0000000000000002),
    ("0.30000000000000004", 0.1 + 0.2),
  ])
  func exactDoubles(text: String, expected: Double) throws {
    guard case .number(let d, nil) = try JSONParser.parse(text) else {
      Issue.record("\(text) is not a non-integer number")
      return
    }
    #expect(d.bitPattern == expected.bitPattern, "\(text) read as \(d)")
  }

  @Test("number syntax that JSON does not allow", arguments: ["+1", ".5", "1.", "1.e5", "1e", "1e+", "-", "--1", "0x10", "[1 2]"])
  func badNumbers(text: String) {
    _ = parseFailure(text)
  }

  /// RFC 8259 §6: `int = zero / ( digit1-9 *DIGIT )`; the parser documents itself as strict.
  @Test("a leading zero is not JSON", arguments: ["01", "-01", "[00]", "[1, 007]"])
  func leadingZero(text: String) {
    _ = parseFailure(text)
  }

  @Test("incomplete literals are errors", arguments: ["tru", "nul", "falsy", "True", "NaNa", "Infinit"])
  func badLiterals(text: String) {
    _ = parseFailure(text)
  }

  // MARK: Errors with positions

  static let positioned: [SyntaxErrorCase] = [
    SyntaxErrorCase(
      label: "trailing comma in an array", text: "{\n  \"a\": [1, 2,]\n}", line: 2, column: 14,
      fragment: "unexpected character ']'"),
    SyntaxErrorCase(
      label: "trailing comma in an object", text: "{\"a\": 1,\n}", line: 2, column: 1,
      fragment: "expected a string key"),
    SyntaxErrorCase(
      label: "missing colon", text: "{\n  \"key\" 1\n}", line: 2, column: 9, fragment: "expected ':' after the key \"key\""),
    SyntaxErrorCase(
      label: "missing comma in an array", text: "[1\n 2]", line: 2, column: 2, fragment: "expected ',' or ']'"),
    SyntaxErrorCase(
      label: "missing comma in an object", text: "{\"a\": 1 \"b\": 2}", line: 1, column: 9, fragment: "expected ',' or '}'"),
    SyntaxErrorCase(
      label: "unterminated string", text: "{\"a\":\n \"abc", line: 2, column: 6, fragment: "unterminated string"),
    SyntaxErrorCase(
      label: "truncated inside an array", text: "{\"a\": [1, 2", line: 1, column: 12, fragment: "truncated"),
    SyntaxErrorCase(
      label: "truncated inside an object", text: "{\"a\": 1", line: 1, column: 8, fragment: "truncated"),
    SyntaxErrorCase(label: "truncated after a colon", text: "{\"a\": ", line: 1, column: 7, fragment: "truncated"),
    SyntaxErrorCase(label: "truncated after a comma", text: "[1,\n", line: 2, column: 1, fragment: "truncated"),
    SyntaxErrorCase(label: "empty document", text: "", line: 1, column: 1, fragment: "truncated"),
    SyntaxErrorCase(label: "only whitespace", text: " \n ", line: 2, column: 2, fragment: "truncated"),
    SyntaxErrorCase(
      label: "garbage after the value", text: "{\"a\": 1} x", line: 1, column: 10, fragment: "unexpected text after"),
    SyntaxErrorCase(label: "a second value", text: "[1]\n]", line: 2, column: 1, fragment: "unexpected text after"),
    SyntaxErrorCase(label: "two numbers", text: "1 2", line: 1, column: 3, fragment: "unexpected text after"),
    SyntaxErrorCase(
      label: "non-string key", text: "{1: 2}", line: 1, column: 2, fragment: "expected a string key"),
    // Columns count characters, not bytes: é is 2 bytes and 😀 is 4, but one column each.
    SyntaxErrorCase(
      label: "column after multi-byte characters", text: "[\"é😀\", x]", line: 1, column: 8,
      fragment: "unexpected character 'x'"),
    // The column of the offending control character itself (as Python's json reports it).
    SyntaxErrorCase(label: "tab inside a string", text: "[\"a\tb\"]", line: 1, column: 4, fragment: "control character"),
    SyntaxErrorCase(label: "newline inside a string", text: "[\"ab\ncd\"]", line: 1, column: 5, fragment: "control character"),
    SyntaxErrorCase(
      label: "NUL inside a string", text: "{\"k\": \"x\u{0}\"}", line: 1, column: 9, fragment: "control character"),
  ]

  @Test("syntax errors report line and column", arguments: positioned)
  func positionedErrors(_ c: SyntaxErrorCase) throws {
    let error = try #require(parseFailure(c.text))
    #expect(error.message.contains(c.fragment), "message: \(error.message)")
    #expect(error.line == c.line && error.column == c.column, "reported line \(error.line), column \(error.column)")
    #expect(error.description == "line \(error.line), column \(error.column): \(error.message)")
  }

  @Test("the same document parses from a String and from bytes")
  func bytesAndString() throws {
    let text = "{\"é\": [1.5, \"\\u00e9\"]}"
    #expect(try JSONParser.parse(text) == JSONParser.parse(Array(text.utf8)))
  }

  // MARK: Truncation

  static let document = #"{"a": [1.5, -2e3, true, null, "x\u00e9y"], "b": {"c": NaN, "d": -Infinity}, "e": false}"#

  /// Cutting a document anywhere must give an error (never a value and never a crash),
  /// located at the end of the input.
  @Test("every prefix of a document fails at the end of the input")
  func everyPrefixFails() throws {
    _ = try JSONParser.parse(Self.document)
    let bytes = Array(Self.document.utf8)
    for cut in 0..<bytes.count {
      let prefix = Array(bytes[..<cut])
      do throws(JSONSyntaxError) {
        let value = try JSONParser.parse(prefix)
        Issue.record("prefix of \(cut) bytes parsed as \(value)")
      } catch {
        // The document is one line of ASCII, so the end is column cut + 1.
        #expect(error.line == 1 && error.column == cut + 1, "cut at \(cut): \(error)")
      }
    }
  }

  /// A truncated file should say so: every error raised at the very end of the input
  /// should mention truncation, whatever token was cut (the parser already does for
  /// arrays, objects, strings and \u escapes).
  @Test("every prefix of a document says it may be truncated")
  func everyPrefixSaysTruncated() throws {
    let bytes = Array(Self.document.utf8)
    var silent: [String] = []
    for cut in 0..<bytes.count {
      do throws(JSONSyntaxError) {
        _ = try JSONParser.parse(Array(bytes[..<cut]))
      } catch where !error.message.contains("truncated") {
        silent.append("…\(String(decoding: bytes[max(0, cut - 8)..<cut], as: UTF8.self)) → \(error.message)")
      } catch {}
    }
    #expect(silent.count == 0, "\(silent.count) cuts do not mention truncation:\n\(silent.joined(separator: "\n"))")
  }

  // MARK: Nesting limit

  @Test("nesting up to 256 levels parses; 257 is an error at the 257th bracket")
  func nestingLimit() throws {
    let ok = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
    var value = try JSONParser.parse(ok)
    var depth = 0
    while case .array(let elements) = value {
      depth += 1
      guard let first = elements.first else { break }
      value = first
    }
    #expect(depth == 256)

    let deep = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
    let error = try #require(parseFailure(deep))
    #expect(error.message.contains("nesting deeper than 256"), "\(error)")
    #expect(error.line == 1 && error.column == 257, "\(error)")

    let objects = String(repeating: "{\"a\":", count: 257) + "1" + String(repeating: "}", count: 257)
    let objectError = try #require(parseFailure(objects))
    #expect(objectError.message.contains("nesting deeper"), "\(objectError)")
    #expect(objectError.column == 256 * 5 + 1, "\(objectError)")
  }

  @Test("hostile nesting throws instead of overflowing the stack")
  func hostileNesting() throws {
    let error = try #require(parseFailure(String(repeating: "[", count: 200_000)))
    #expect(error.message.contains("nesting deeper"))
    let mixed = try #require(parseFailure(String(repeating: "[{\"k\":", count: 100_000)))
    #expect(mixed.message.contains("nesting deeper"))
  }

  /// The same, in a child process, so that a regression crashes the child and fails this
  /// test instead of taking the whole suite down.
  @Test("a million open brackets do not crash the process")
  func millionBrackets() async {
    await #expect(processExitsWith: .success) {
      let text = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
      do throws(JSONSyntaxError) {
        _ = try JSONParser.parse(text)
        exit(2)
      } catch {
        exit(error.message.contains("nesting deeper") ? 0 : 3)
      }
    }
  }
}
