/// Rows of cells as aligned text: each column as wide as its widest cell, two spaces
/// between columns, no trailing spaces (the tables of `compare` and `explain`).
enum TextTable {
  static func lines(_ rows: [[String]]) -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { cells in
      let padded = zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
      return String(padded.reversed().drop { $0 == " " }.reversed())
    }
  }
}
