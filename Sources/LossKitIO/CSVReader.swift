import LossKit

/// Reads numbers from comma-separated text: one row per line, the same number of
/// fields on every row.
///
/// - A UTF-8 byte-order mark (Excel's "CSV UTF-8") is skipped.
/// - A first row that is not all numbers is a header and is skipped. If its first field
///   is empty, the file is pandas' `DataFrame.to_csv()` default, whose first column is
///   the index: that column is dropped too.
/// - Blank lines and lines starting with `#` are skipped; `nan`, `inf` and `-inf` are
///   accepted (any case).
/// - Shapes follow `numpy.loadtxt(path, delimiter=",")`: a single value is a scalar
///   `()`, one row or one column is 1-D `(n,)`, otherwise `(rows, columns)`.
public enum CSVReader {
  public static func read(_ text: String, name: String) throws(InputError) -> Tensor<Double> {
    var rows: [[Double]] = []
    var parser = RowParser(name: name)
    var body = Substring(text)
    if body.first == "\u{FEFF}" { body = body.dropFirst() }
    // `isNewline` also splits "\r\n", which Swift treats as one Character.
    for line in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      if let row = try parser.row(line) { rows.append(row) }
    }
    guard let first = rows.first else {
      // A lone non-numeric row is not a header but a malformed row ("1;2"): say why.
      if let (line, fields) = parser.header, let (column, token) = fields.enumerated().first(where: { number($0.element) == nil }) {
        let shown = token.isEmpty ? "an empty field" : "'\(token.prefix(40))'"
        throw InputError("\(name) line \(line), column \(column + 1)", "expected a number, got \(shown)")
      }
      throw InputError(name, "no numbers found")
    }
    if rows.count == 1 && first.count == 1 { return Tensor(first[0]) }
    if rows.count == 1 { return Tensor(shape: [first.count], scalars: first) }
    if first.count == 1 { return Tensor(shape: [rows.count], scalars: rows.map { $0[0] }) }
    return Tensor(shape: [rows.count, first.count], scalars: rows.flatMap { $0 })
  }

  /// The line-by-line rules, shared by ``read(_:name:)`` and the streaming reader:
  /// blank and `#` lines skipped, a header (and pandas' index column) dropped, every
  /// field a number, every row as wide as the first.
  struct RowParser {
    let name: String
    /// The lines seen so far (the number of the last one).
    private(set) var lineNumber = 0
    /// The skipped header row and its line, if any.
    private(set) var header: (line: Int, fields: [Substring])? = nil
    /// The number of fields of the first data row.
    private(set) var columns: Int? = nil
    private var sawFirstRow = false
    private var dropsIndexColumn = false

    init(name: String) { self.name = name }

    /// The numbers of the next line (without its line break), or nil for a line that
    /// holds no data.
    mutating func row(_ line: Substring) throws(InputError) -> [Double]? {
      lineNumber += 1
      let trimmed = line.trimmingWhitespace()
      if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
      var fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
      if !sawFirstRow {
        sawFirstRow = true
        if isHeader(fields) {
          dropsIndexColumn = fields.first?.isEmpty == true
          header = (lineNumber, fields)
          return nil
        }
      }
      if dropsIndexColumn { fields.removeFirst() }
      var row: [Double] = []
      row.reserveCapacity(fields.count)
      for (column, token) in fields.enumerated() {
        guard let value = number(token) else {
          let shown = token.isEmpty ? "an empty field" : "'\(token.prefix(40))'"
          throw InputError(
            "\(name) line \(lineNumber), column \(column + (dropsIndexColumn ? 2 : 1))", "expected a number, got \(shown)")
        }
        row.append(value)
      }
      if let columns, columns != row.count {
        throw InputError("\(name) line \(lineNumber)", "expected \(columns) fields like the first row, got \(row.count)")
      }
      if columns == nil { columns = row.count }
      return row
    }
  }

  /// A header: no field is a number (column names), or pandas' header for an unnamed
  /// DataFrame, an empty index name followed by the column numbers 0, 1, 2, …. A first
  /// row with some numbers and some garbage is a malformed row, not a header.
  static func isHeader(_ fields: [Substring]) -> Bool {
    if fields.allSatisfy({ number($0) == nil }) { return true }
    guard fields.count > 1, fields[0].isEmpty else { return false }
    return fields.dropFirst().enumerated().allSatisfy { Int($0.element) == $0.offset }
  }

  /// A field as a number: a decimal literal, or `nan`/`inf`/`-inf` in any case.
  static func number(_ token: Substring) -> Double? {
    if let value = Double(token) { return value }
    switch token.lowercased() {
    case "nan", "+nan", "-nan": return .nan
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    default: return nil
    }
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
