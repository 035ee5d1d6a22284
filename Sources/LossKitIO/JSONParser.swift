/// A strict JSON parser (RFC 8259) that also accepts the bare non-finite tokens users
/// write: `NaN`, `Infinity`, `-Infinity` (Python's `json` module) and `nan`, `inf`,
/// `-inf` (Python's `str()` of a list from NumPy's `tolist()`). Nesting is limited
/// so that hostile input cannot exhaust the stack.
public struct JSONParser {
  private let bytes: [UInt8]
  private var position = 0
  private var depth = 0
  private static let maximumDepth = 256

  /// Parses a complete document.
  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  /// Parses a complete document from UTF-8 bytes.
  public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue()
    parser.skipWhitespace()
    guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private func error(_ message: String) -> JSONSyntaxError {
    let message = position >= bytes.count && !message.contains("truncated")
      ? "\(message), but the input ends here; it may be truncated" : message
    var line = 1
    var column = 1
    for byte in bytes[..<min(position, bytes.count)] {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return JSONSyntaxError(message: message, line: line, column: column)
  }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }
  private var next: UInt8? { position + 1 < bytes.count ? bytes[position + 1] : nil }

  /// `Infinity` (Python's `json`), `inf` or `infinity` (Python's `str`), positive.
  private mutating func parseInfinity() throws(JSONSyntaxError) -> Double {
    let spellings = ["Infinity", "inf", "infinity"]
    let start = position
    while let c = current, (c | 0x20) >= UInt8(ascii: "a"), (c | 0x20) <= UInt8(ascii: "z") { position += 1 }
    let word = String(decoding: bytes[start..<position], as: UTF8.self)
    if spellings.contains(word) { return .infinity }
    // A cut-off spelling at the end of the input is reported there, as truncated.
    if position < bytes.count || !spellings.contains(where: { $0.hasPrefix(word) }) { position = start }
    throw error("expected Infinity, inf or infinity")
  }

  private mutating func skipWhitespace() {
    while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
  }

  private mutating func expect(_ literal: String) throws(JSONSyntaxError) {
    for byte in literal.utf8 {
      guard current == byte else { throw error("expected \"\(literal)\"") }
      position += 1
    }
  }

  private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    guard let c = current else { throw error("unexpected end of input; the file may be truncated") }
    switch c {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      if next == UInt8(ascii: "a") {
        try expect("nan")
        return .number(.nan, integer: nil)
      }
      try expect("null")
      return .null
    case UInt8(ascii: "N"):
      try expect("NaN")
      return .number(.nan, integer: nil)
    case UInt8(ascii: "I"), UInt8(ascii: "i"):
      return .number(try parseInfinity(), integer: nil)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try parseNumber()
    case UInt8(ascii: "'"):
      throw error("unexpected character \"'\": JSON strings use double quotes (this looks like a Python repr)")
    case UInt8(ascii: "a"):
      throw error("unexpected character 'a' (a NumPy repr like array([...]) is not JSON; use .tolist())")
    case UInt8(ascii: "T"), UInt8(ascii: "F"):
      throw error("unexpected character '\(Character(Unicode.Scalar(c)))' (JSON spells booleans true and false)")
    default:
      throw error("unexpected character '\(Character(Unicode.Scalar(c)))'")
    }
  }

  private mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    if depth > Self.maximumDepth { throw error("nesting deeper than \(Self.maximumDepth) levels") }
  }

  private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    position += 1
    var members: [(key: String, value: JSONValue)] = []
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else {
        if current == UInt8(ascii: "'") {
          throw error("expected a string key in an object: JSON strings use double quotes (this looks like a Python repr)")
        }
        throw error("expected a string key in an object")
      }
      let key = try parseString()
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
      position += 1
      skipWhitespace()
      members.append((key, try parseValue()))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"):
        position += 1
        return .object(members)
      case nil: throw error("unexpected end of input inside an object; the file may be truncated")
      default: throw error("expected ',' or '}' in an object")
      }
    }
  }

  private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    position += 1
    var elements: [JSONValue] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      position += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue())
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"):
        position += 1
        return .array(elements)
      case nil: throw error("unexpected end of input inside an array; the file may be truncated")
      default: throw error("expected ',' or ']' in an array")
      }
    }
  }

  private mutating func parseString() throws(JSONSyntaxError) -> String {
    position += 1  // opening quote
    var scalars = String.UnicodeScalarView()
    var run = [UInt8]()
    func flush() {
      if !run.isEmpty {
        scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
        run.removeAll(keepingCapacity: true)
      }
    }
    while true {
      guard let c = current else { throw error("unterminated string; the file may be truncated") }
      if c < 0x20 { throw error("control character inside a string (escape it)") }
      position += 1
      switch c {
      case UInt8(ascii: "\""):
        flush()
        return String(scalars)
      case UInt8(ascii: "\\"):
        flush()
        guard let e = current else { throw error("unterminated escape") }
        position += 1
        switch e {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800..<0xDC00).contains(code) {
            guard current == UInt8(ascii: "\\") else { throw error("unpaired surrogate in \\u escape") }
            position += 1
            guard current == UInt8(ascii: "u") else { throw error("unpaired surrogate in \\u escape") }
            position += 1
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate in \\u escape") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
          scalars.append(scalar)
        default:
          throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
        }
      default:
        run.append(c)
      }
    }
  }

  private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let c = current else { throw error("truncated \\u escape") }
      position += 1
      let digit: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in \\u escape")
      }
      value = value * 16 + digit
    }
    return value
  }

  private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
    let start = position
    if current == UInt8(ascii: "-") {
      position += 1
      if current == UInt8(ascii: "I") || current == UInt8(ascii: "i") {
        return .number(-(try parseInfinity()), integer: nil)
      }
    }
    func digits() -> Int {
      let begin = position
      while let c = current, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { position += 1 }
      return position - begin
    }
    let leadingZero = current == UInt8(ascii: "0")
    guard digits() > 0 else { throw error("expected digits in a number") }
    if leadingZero && position - start > (bytes[start] == UInt8(ascii: "-") ? 2 : 1) {
      throw error("leading zeros are not allowed in JSON numbers")
    }
    var isInteger = true
    if current == UInt8(ascii: ".") {
      position += 1
      isInteger = false
      guard digits() > 0 else { throw error("expected digits after the decimal point") }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      isInteger = false
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard digits() > 0 else { throw error("expected digits in the exponent") }
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    guard let value = Double(text) else { throw error("invalid number \(text)") }
    return .number(value, integer: isInteger ? Int(text) : nil)
  }
}
