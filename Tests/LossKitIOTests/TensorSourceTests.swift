import Foundation
import LossKit
import LossKitIO
import Testing

/// The `InputError` that `TensorSource.load` throws, or nil (with a recorded issue).
func sourceFailure(_ text: String, argument: String = "--y-pred", sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
  do throws(InputError) {
    let t = try TensorSource.load(text, argument: argument)
    Issue.record("loaded \(text.debugDescription) as \(t) (shape \(t.shape)), expected an error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

@Suite("TensorSource")
struct TensorSourceTests {
  // MARK: Inline values

  @Test("inline values", arguments: [
    ("1,1,0", [3], [1.0, 1, 0]),
    (" 1, 1 ,0 ", [3], [1.0, 1, 0]),
    ("0.5", [], [0.5]),
    ("-2e-3", [], [-0.002]),
    ("[[0.1,0.9],[0.8,0.2]]", [2, 2], [0.1, 0.9, 0.8, 0.2]),
    ("[0.5]", [1], [0.5]),
    (#"{"shape":[2,1],"data":[1,0]}"#, [2, 1], [1.0, 0]),
    (#"  {"shape": [], "data": [3]}  "#, [], [3.0]),
  ])
  func inline(text: String, shape: [Int], scalars: [Double]) throws {
    let t = try TensorSource.load(text, argument: "--y-pred")
    #expect(t.shape == shape)
    #expect(t.scalars == scalars)
  }

  @Test("inline non-finite values")
  func inlineNonFinite() throws {
    let t = try TensorSource.load("nan,inf,-inf", argument: "--y-pred")
    #expect(t.shape == [3])
    #expect(identical(t.scalars, [.nan, .infinity, -.infinity]))
    let j = try TensorSource.load(#"[NaN, "-inf"]"#, argument: "--y-pred")
    #expect(identical(j.scalars, [.nan, -.infinity]))
  }

  @Test("inline errors name the argument", arguments: [
    ("1,,2", "expected numbers separated by commas, got an empty item at item 2"),
    ("0.25,", "got an empty item at item 2"),
    ("abc", "expected numbers separated by commas (or a path to a .npy, .csv or .json file), got 'abc' at item 1"),
    ("1,abc", "got 'abc' at item 2"),
    ("1 2", "got '1 2' at item 1"),
    ("", "expected numbers or a file path, got an empty value"),
    ("   ", "got an empty value"),
    ("[1, 2", "invalid JSON: line 1, column 6: unexpected end of input inside an array"),
    ("{\"shape\": [2]}", "\"data\" is missing"),
  ])
  func inlineErrors(text: String, fragment: String) throws {
    let error = try #require(sourceFailure(text, argument: "--y-true"))
    #expect(error.location == "--y-true", "\(error)")
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("an inline JSON error inside the value names its path")
  func inlineJSONPath() throws {
    let error = try #require(sourceFailure("[[1],[2,3]]"))
    #expect(error.location == "--y-pred[1]")
    #expect(error.message.contains("ragged"))
  }

  // MARK: Files

  @Test("files are loaded by extension")
  func files() throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }

    let npy = try dir.write("pred.npy", try Fixtures.bytes("float32_2x3.npy"))
    let fromNPY = try TensorSource.load(npy, argument: "--y-pred")
    #expect(fromNPY.shape == [2, 3])
    #expect(identical(fromNPY.scalars, [Double(Float(0.1)), -2.5, .nan, .infinity, -.infinity, Double(Float.greatestFiniteMagnitude)]))

    let csv = try dir.write("true.csv", "# labels\n1,0\n0,1\n")
    let fromCSV = try TensorSource.load(csv, argument: "--y-true")
    #expect(fromCSV.shape == [2, 2] && fromCSV.scalars == [1, 0, 0, 1])

    let json = try dir.write("w.json", #"{"shape": [2, 1], "data": [0.5, "inf"]}"#)
    let fromJSON = try TensorSource.load(json, argument: "--sample-weight")
    #expect(fromJSON.shape == [2, 1] && identical(fromJSON.scalars, [0.5, .infinity]))

    let nested = try dir.write("nested.json", "[[1, 2, 3]]\n")
    #expect(try TensorSource.load(nested, argument: "--y-pred").shape == [1, 3])

    // Extensions are matched without regard to case; surrounding whitespace is ignored.
    let upper = try dir.write("UPPER.CSV", "7,8")
    #expect(try TensorSource.load("  \(upper)\n", argument: "--y-pred").scalars == [7, 8])

    // loadFile directly.
    #expect(try TensorSource.loadFile(npy, argument: "--y-pred").shape == [2, 3])
  }

  @Test("a missing file is an error naming the argument and the path")
  func missingFile() throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }
    for name in ["missing.npy", "missing.csv", "missing.JSON"] {
      let path = dir.url.appendingPathComponent(name).path
      let error = try #require(sourceFailure(path, argument: "--y-pred"))
      #expect(error.location == "--y-pred \(path)")
      #expect(error.message == "no such file")
      #expect(error.description == "--y-pred \(path): no such file")
    }
  }

  @Test("errors inside files name the argument and the path")
  func errorsInsideFiles() throws {
    let dir = try ScratchDirectory()
    defer { dir.remove() }

    let badCSV = try dir.write("bad.csv", "1,2\nx,4\n")
    let csvError = try #require(sourceFailure(badCSV))
    #expect(csvError.location == "--y-pred \(badCSV) line 2, column 1")

    let badJSON = try dir.write("bad.json", "{\n  \"shape\": [2],\n  \"data\": [1, 2,]\n}")
    let jsonError = try #require(sourceFailure(badJSON))
    #expect(jsonError.location == "--y-pred \(badJSON)")
    #expect(jsonError.message.contains("invalid JSON at line 3, column 17"), "\(jsonError)")

    let raggedJSON = try dir.write("ragged.json", "[[1], [2, 3]]")
    let raggedError = try #require(sourceFailure(raggedJSON))
    #expect(raggedError.location == "--y-pred \(raggedJSON)[1]")

    let badNPY = try dir.write("bad.npy", try Fixtures.bytes("complex128.npy"))
    let npyError = try #require(sourceFailure(badNPY))
    #expect(npyError.location == "--y-pred \(badNPY)")
    #expect(npyError.message.contains("unsupported .npy dtype '<c16'"))

    // An existing file with another extension is not read as inline numbers.
    let text = try dir.write("values.txt", "1,2,3")
    let textError = try #require(sourceFailure(text))
    #expect(textError.location == "--y-pred \(text)")
    #expect(textError.message.contains("unknown file type"))

    // A directory that looks like a JSON file.
    let folder = dir.url.appendingPathComponent("folder.json")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let folderError = try #require(sourceFailure(folder.path))
    #expect(folderError.location == "--y-pred \(folder.path)")
  }
}
