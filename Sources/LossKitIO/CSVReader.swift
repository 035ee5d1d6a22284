import LossKit

/// Reads numbers from comma-separated text: one row per line, the same number of
/// fields on every row. A single line reads as a 1-D tensor, several lines as a 2-D
/// `(rows, columns)` tensor. Blank lines and lines starting with `#` are skipped;
/// `nan`, `inf` and `-inf` are accepted.
public enum CSVReader {
  public static func read(_ text: String, name: String) throws(InputError) -> Tensor<Double> {
    var rows: [[Double]] = []
    var lineNumber = 0
    // `isNewline` also splits "\r\n", which Swift treats as one Character.
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      lineNumber += 1
      let trimmed = line.trimmingWhitespace()
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      var row: [Double] = []
      for (column, field) in trimmed.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
        let token = field.trimmingWhitespace()
        guard let value = Double(token) else {
          let shown = token.isEmpty ? "an empty field" : "'\(token.prefix(40))'"
          throw InputError("\(name) line \(lineNumber), column \(column + 1)", "expected a number, got \(shown)")
        }
        row.append(value)
      }
      if let first = rows.first, first.count != row.count {
        throw InputError("\(name) line \(lineNumber)", "expected \(first.count) fields like the first row, got \(row.count)")
      }
      rows.append(row)
    }
    guard let first = rows.first else { throw InputError(name, "no numbers found") }
    if rows.count == 1 { return Tensor(shape: [first.count], scalars: first) }
    return Tensor(shape: [rows.count, first.count], scalars: rows.flatMap { $0 })
  }
}

extension Substring {
  func trimmingWhitespace() -> Substring {
    var s = self
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return s
  }
}
