import LossKit
import LossKitIO
import Testing

/// The `InputError` that reading `text` throws, or nil (with a recorded issue).
func csvFailure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
  do throws(InputError) {
    let t = try CSVReader.read(text, name: "f.csv")
    Issue.record("read \(t) (shape \(t.shape)), expected an error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

@Suite("CSVReader")
struct CSVReaderTests {
  /// The shapes `numpy.loadtxt(path, delimiter=",")` gives (numpy 2.4.6): a single value
  /// is 0-D, one row or one column is 1-D, otherwise 2-D.
  @Test("shapes follow numpy.loadtxt", arguments: [
    ("1,2,3", [3], [1.0, 2, 3]),
    ("1,2,3\n", [3], [1.0, 2, 3]),
    ("5", [], [5.0]),
    ("1, 2\n3, 4\n", [2, 2], [1.0, 2, 3, 4]),
    ("0.1,0.9\n0.8,0.2\n0.5,0.5", [3, 2], [0.1, 0.9, 0.8, 0.2, 0.5, 0.5]),
    ("1\n2\n3\n", [3], [1.0, 2, 3]),
    ("-1e-3,  +2.5E2 ,\t7\t", [3], [-0.001, 250, 7]),
    // Headers: column names, pandas' to_csv() with its index column, an unnamed frame.
    ("y_true,y_pred\n1,0.9\n0,0.2\n", [2, 2], [1, 0.9, 0, 0.2]),
    (",p\n0,0.1\n1,0.2\n", [2], [0.1, 0.2]),
    (",0,1\n0,1.0,2.0\n1,3.0,4.0\n", [2, 2], [1, 2, 3, 4]),
    ("\u{FEFF}p\n0.5\n", [], [0.5]),
    ("\u{FEFF}1,2\n", [2], [1, 2]),
  ])
  func shapes(text: String, shape: [Int], scalars: [Double]) throws {
    let t = try CSVReader.read(text, name: "f.csv")
    #expect(t.shape == shape)
    #expect(t.scalars == scalars)
  }

  @Test("blank lines and # comments are skipped")
  func blanksAndComments() throws {
    let t = try CSVReader.read("# y_pred for the demo\n\n1,2\n   # indented comment\n \t \n3,4\n\n\n", name: "f.csv")
    #expect(t.shape == [2, 2])
    #expect(t.scalars == [1, 2, 3, 4])
  }

  @Test("nan and infinities are accepted")
  func nonFinite() throws {
    let t = try CSVReader.read("nan, inf, -inf\n1, NaN, -infinity", name: "f.csv")
    #expect(t.shape == [2, 3])
    #expect(identical(t.scalars, [.nan, .infinity, -.infinity, 1, .nan, -.infinity]), "\(t.scalars)")
  }

  /// Files saved on Windows (or by Excel, or by Python's csv module, whose default line
  /// terminator is "\r\n") end lines with CRLF.
  @Test("CRLF line endings")
  func crlf() throws {
    let t = try CSVReader.read("1,2\r\n3,4\r\n", name: "f.csv")
    #expect(t.shape == [2, 2])
    #expect(t.scalars == [1, 2, 3, 4])
  }

  @Test("errors name the line and column", arguments: [
    ("1,2\n3,x\n", "f.csv line 2, column 2", "expected a number, got 'x'"),
    ("# header\n\n1,abc,3", "f.csv line 3, column 2", "got 'abc'"),
    ("1,,2", "f.csv line 1, column 2", "got an empty field"),
    ("1,2,", "f.csv line 1, column 3", "got an empty field"),
    ("1;2", "f.csv line 1, column 1", "got '1;2'"),
    ("\"1\",2", "f.csv line 1, column 1", "got '\"1\"'"),
  ])
  func badNumbers(text: String, location: String, fragment: String) throws {
    let error = try #require(csvFailure(text))
    #expect(error.location == location)
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("a ragged row names its line", arguments: [
    ("1,2\n3\n", "f.csv line 2", "expected 2 fields like the first row, got 1"),
    ("# c\n1,2\n\n3,4,5", "f.csv line 4", "expected 2 fields like the first row, got 3"),
    ("1\n2\n3,4", "f.csv line 3", "expected 1 fields like the first row, got 2"),
  ])
  func ragged(text: String, location: String, fragment: String) throws {
    let error = try #require(csvFailure(text))
    #expect(error.location == location)
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("empty input has no numbers", arguments: ["", "\n\n", "# only a comment\n", "  \n\t\n"])
  func empty(text: String) throws {
    let error = try #require(csvFailure(text))
    #expect(error.location == "f.csv")
    #expect(error.message == "no numbers found")
  }
}
