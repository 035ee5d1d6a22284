import LossKit

/// Writes JSON text. Floating-point values use the shortest representation that reads
/// back to the same value *in the dtype that produced them*, so a float32 loss prints as
/// `5.3726983`, not `5.372698307037354`. Non-finite values become the strings `"nan"`,
/// `"inf"` and `"-inf"`.
public enum JSONWriter {
  /// Compact single-line rendering of a value.
  public static func write(_ value: JSONValue) -> String {
    var out = ""
    write(value, into: &out)
    return out
  }

  static func write(_ value: JSONValue, into out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let d, let integer):
      if let integer { out += String(integer) } else { out += number(d) }
    case .string(let s): out += quote(s)
    case .array(let elements):
      out += "["
      for (i, element) in elements.enumerated() {
        if i > 0 { out += ", " }
        write(element, into: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, member) in members.enumerated() {
        if i > 0 { out += ", " }
        out += quote(member.key)
        out += ": "
        write(member.value, into: &out)
      }
      out += "}"
    }
  }

  /// A `Double` as JSON text (non-finite values as strings).
  public static func number(_ d: Double) -> String {
    if d.isNaN { return "\"nan\"" }
    if d.isInfinite { return d < 0 ? "\"-inf\"" : "\"inf\"" }
    return "\(d)"
  }

  /// A `Float` as JSON text, in its own shortest form.
  public static func number(_ f: Float) -> String {
    if f.isNaN { return "\"nan\"" }
    if f.isInfinite { return f < 0 ? "\"-inf\"" : "\"inf\"" }
    return "\(f)"
  }

  /// A number as text output prints it: the shortest form that reads back exactly in
  /// `dtype`, and `nan`, `inf`, `-inf` for non-finite values (a NaN's sign is not
  /// shown), the same words JSON output uses.
  public static func text(_ value: Double, dtype: DType) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return dtype == .float32 ? "\(Float(value))" : "\(value)"
  }

  /// A tensor as text output prints it: a nested list of ``text(_:dtype:)`` numbers,
  /// or a bare number for a scalar.
  public static func text(_ tensor: Tensor<Double>, dtype: DType) -> String {
    tensor.nestedList { text($0, dtype: dtype) }
  }

  /// A JSON string literal.
  public static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
