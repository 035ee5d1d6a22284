import Foundation
import LossKit
import LossKitIO
import Testing

/// Parses a case file given as text.
func parseCaseFile(_ text: String, name: String = "cases.json") throws(InputError) -> CaseFile {
  try CaseFile.parse(Array(text.utf8), name: name)
}

/// The `InputError` that parsing the whole file throws, or nil (with a recorded issue).
func caseFileFailure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
  do throws(InputError) {
    let file = try parseCaseFile(text)
    Issue.record("parsed a file of \(file.entries.count) entries, expected an error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

@Suite("CaseFile")
struct CaseFileTests {
  static let caseA = """
    {"id": "keras/bce-1", "framework": "keras", "loss": "BinaryCrossentropy",
     "params": {"from_logits": false, "reduction": "sum_over_batch_size"},
     "y_true": {"shape": [3], "data": [1.0, 1.0, 1.0]}, "y_pred": [1.0, 1.0, 0.0], "sample_weight": null,
     "dtype": "float32",
     "expected": {"loss": {"shape": [], "data": [5.3726983070373535]}, "grad_y_pred": {"shape": [3], "data": [0.0, 0.0, 0.0]}}}
    """
  static let caseB = """
    {"id": "tf/sce-2", "framework": "tf", "loss": "softmax_cross_entropy_with_logits", "params": {"axis": -1},
     "y_true": [[1, 0, 0], [0, 1, 0]], "y_pred": [[2.0, 1.0, 0.1, 0.0], [0.5, 2.5, -1, 0.0]],
     "dtype": "float64",
     "expected": {"error": "InvalidArgumentError: logits and labels must be broadcastable",
                  "losskit_error": {"kind": "shape_mismatch", "argument": "labels"}}}
    """

  static func file(_ cases: String...) -> String {
    """
    {"format": "losskit-cases/1",
     "generator": {"script": "Tools/conformance/generate.py", "versions": {"numpy": "2.4.6"}},
     "cases": [\(cases.joined(separator: ",\n"))]}
    """
  }

  @Test("a valid two-case file")
  func validFile() throws {
    let file = try parseCaseFile(Self.file(Self.caseA, Self.caseB))
    #expect(file.entries.map(\.id) == ["keras/bce-1", "tf/sce-2"])
    #expect(file.generator?["script"] == .string("Tools/conformance/generate.py"))
    #expect(file.generator?["versions"]?["numpy"] == .string("2.4.6"))

    guard case .valid(let a) = file.entries[0], case .valid(let b) = file.entries[1] else {
      Issue.record("expected two valid entries, got \(file.entries)")
      return
    }
    #expect(a.id == "keras/bce-1")
    #expect(a.request.framework == .keras)
    #expect(a.request.loss == "BinaryCrossentropy")
    #expect(a.request.parameters == ["from_logits": .bool(false), "reduction": .string("sum_over_batch_size")])
    #expect(a.request.yTrue == Tensor(shape: [3], scalars: [1, 1, 1]))
    #expect(a.request.yPred == Tensor(shape: [3], scalars: [1, 1, 0]))
    #expect(a.request.sampleWeight == nil)
    #expect(a.request.dtype == .float32)
    guard case .values(let loss, let gradient)? = a.expected else {
      Issue.record("expected values, got \(String(describing: a.expected))")
      return
    }
    #expect(loss.shape == [] && loss.scalars == [5.3726983070373535])
    #expect(gradient == Tensor(shape: [3], scalars: [0, 0, 0]))

    #expect(b.request.framework == .tf)
    #expect(b.request.parameters == ["axis": .int(-1)])
    #expect(b.request.yTrue.shape == [2, 3])
    #expect(b.request.dtype == .float64)
    guard case .error(let message, let match)? = b.expected else {
      Issue.record("expected an error expectation, got \(String(describing: b.expected))")
      return
    }
    #expect(message == "InvalidArgumentError: logits and labels must be broadcastable")
    #expect(match == ErrorMatch(kind: .shapeMismatch, argument: "labels"))
  }

  @Test("a case without y_pred is kept as invalid with its id; the others stay valid")
  func invalidCaseKeepsOthers() throws {
    let noPred = Self.caseB.replacingOccurrences(of: #""y_pred": [[2.0, 1.0, 0.1, 0.0], [0.5, 2.5, -1, 0.0]],"#, with: "")
    #expect(noPred != Self.caseB)
    let file = try parseCaseFile(Self.file(Self.caseA, noPred))
    #expect(file.entries.count == 2)
    guard case .valid(let first) = file.entries[0] else {
      Issue.record("the first case should be valid: \(file.entries[0])")
      return
    }
    #expect(first.id == "keras/bce-1")
    guard case .invalid(let id, let error) = file.entries[1] else {
      Issue.record("the second case should be invalid: \(file.entries[1])")
      return
    }
    #expect(id == "tf/sce-2")
    #expect(file.entries[1].id == "tf/sce-2")
    #expect(error.location == "cases[1].y_pred")
    #expect(error.message == "missing")

    // y_pred: null counts as missing too.
    let nullPred = Self.caseB.replacingOccurrences(of: #""y_pred": [[2.0, 1.0, 0.1, 0.0], [0.5, 2.5, -1, 0.0]]"#, with: #""y_pred": null"#)
    let nullFile = try parseCaseFile(Self.file(nullPred))
    guard case .invalid(_, let nullError) = nullFile.entries[0] else {
      Issue.record("y_pred null should be invalid")
      return
    }
    #expect(nullError.location == "cases[0].y_pred")
  }

  @Test("an invalid case without an id is named by its index")
  func invalidWithoutID() throws {
    let file = try parseCaseFile(Self.file(Self.caseA, #"{"framework": "keras"}"#, "42"))
    #expect(file.entries.map(\.id) == ["keras/bce-1", "cases[1]", "cases[2]"])
    guard case .invalid(_, let missingLoss) = file.entries[1], case .invalid(_, let notObject) = file.entries[2] else {
      Issue.record("entries 1 and 2 should be invalid")
      return
    }
    #expect(missingLoss.location == "cases[1].loss" && missingLoss.message == "missing")
    #expect(notObject.location == "cases[2]" && notObject.message.contains("expected a case object, got the number 42.0"))
  }

  @Test("an unknown framework")
  func unknownFramework() throws {
    let pytorch = Self.caseA.replacingOccurrences(of: #""framework": "keras""#, with: #""framework": "pytorch""#)
    let file = try parseCaseFile(Self.file(pytorch, Self.caseB))
    guard case .invalid(let id, let error) = file.entries[0] else {
      Issue.record("expected invalid, got \(file.entries[0])")
      return
    }
    #expect(id == "keras/bce-1")
    #expect(error.location == "cases[0].framework")
    #expect(error.message.contains("unknown framework \"pytorch\""), "\(error)")
    for known in ["keras", "tf_keras", "tf"] { #expect(error.message.contains(known)) }
    guard case .valid = file.entries[1] else {
      Issue.record("the second case should still be valid")
      return
    }

    let numeric = Self.caseA.replacingOccurrences(of: #""framework": "keras""#, with: #""framework": 3"#)
    guard case .invalid(_, let typeError) = try parseCaseFile(Self.file(numeric)).entries[0] else {
      Issue.record("a numeric framework should be invalid")
      return
    }
    #expect(typeError.location == "cases[0].framework" && typeError.message == "expected a string, got the number 3.0")
  }

  @Test("the file as a whole must declare the format", arguments: [
    (#"{"format": "losskit-cases/2", "cases": []}"#, "unsupported format \"losskit-cases/2\"; this losskit reads \"losskit-cases/1\""),
    (#"{"cases": []}"#, "missing \"format\": \"losskit-cases/1\""),
    (#"{"format": 1, "cases": []}"#, "missing \"format\""),
    (#"{"format": "losskit-cases/1"}"#, "expected \"cases\": [...]"),
    (#"{"format": "losskit-cases/1", "cases": {}}"#, "expected \"cases\": [...]"),
    (#"[{"format": "losskit-cases/1"}]"#, "expected an object"),
    ("{\"format\": \"losskit-cases/1\",\n \"cases\": [", "invalid JSON at line 2, column 12"),
  ])
  func fileLevelErrors(text: String, fragment: String) throws {
    let error = try #require(caseFileFailure(text))
    #expect(error.location == "cases.json")
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("an empty case list is a valid file")
  func emptyCases() throws {
    let file = try parseCaseFile(#"{"format": "losskit-cases/1", "cases": []}"#)
    #expect(file.entries.isEmpty)
    #expect(file.generator == nil)
  }

  // MARK: Parameters

  @Test("parameters of each kind")
  func parameterKinds() throws {
    let params = try json(
      #"{"from_logits": true, "axis": -1, "label_smoothing": 0.1, "gamma": 2.0, "alpha": 1e-1, "class_weight": null, "reduction": "sum", "weights": [[1, 2]], "w": {"shape": [1], "data": ["nan"]}}"#)
    let parsed = try CaseFile.parseParameters(params, path: "cases[0].params")
    #expect(parsed.count == 9)
    #expect(parsed["from_logits"] == .bool(true))
    #expect(parsed["axis"] == .int(-1))
    #expect(parsed["label_smoothing"] == .float(0.1))
    // 2.0 is written as a float, so it stays a float.
    #expect(parsed["gamma"] == .float(2.0))
    #expect(parsed["alpha"] == .float(0.1))
    #expect(parsed["class_weight"] == .null)
    #expect(parsed["reduction"] == .string("sum"))
    #expect(parsed["weights"] == .tensor(Tensor(shape: [1, 2], scalars: [1, 2])))
    guard case .tensor(let w)? = parsed["w"] else {
      Issue.record("w should be a tensor")
      return
    }
    #expect(w.shape == [1] && w.scalars[0].isNaN)
  }

  @Test("parameters: absent or null is empty; errors name the parameter")
  func parameterErrors() throws {
    #expect(try CaseFile.parseParameters(nil, path: "p").isEmpty)
    #expect(try CaseFile.parseParameters(.null, path: "p").isEmpty)
    #expect(throws: InputError("p", "expected an object of parameters, got an array of 0 elements")) {
      try CaseFile.parseParameters(.array([]), path: "p")
    }
    #expect(throws: InputError("p.weights[1]", "ragged nested list: expected 1 elements, got 2")) {
      try CaseFile.parseParameters(try json(#"{"weights": [[1], [1, 2]]}"#), path: "p")
    }
    // The same through a whole case: the path starts at the case.
    let bad = Self.caseA.replacingOccurrences(of: #""from_logits": false"#, with: #""from_logits": false, "w": [[1], [2, 3]]"#)
    guard case .invalid(_, let error) = try parseCaseFile(Self.file(bad)).entries[0] else {
      Issue.record("a ragged tensor parameter should make the case invalid")
      return
    }
    #expect(error.location == "cases[0].params.w[1]")
  }

  // MARK: Inputs and dtype

  @Test("dtype defaults to float32; an unknown dtype is an error")
  func dtype() throws {
    let noDType = Self.caseA.replacingOccurrences(of: #""dtype": "float32","#, with: "")
    #expect(noDType != Self.caseA)
    guard case .valid(let c) = try parseCaseFile(Self.file(noDType)).entries[0] else {
      Issue.record("a case without dtype should be valid")
      return
    }
    #expect(c.request.dtype == .float32)

    let half = Self.caseA.replacingOccurrences(of: #""dtype": "float32""#, with: #""dtype": "float16""#)
    guard case .invalid(_, let error) = try parseCaseFile(Self.file(half)).entries[0] else {
      Issue.record("float16 should be rejected")
      return
    }
    #expect(error.location == "cases[0].dtype")
    #expect(error.message == "expected \"float32\" or \"float64\", got the string \"float16\"")
  }

  @Test("sample_weight and bad inputs")
  func inputs() throws {
    let weighted = Self.caseA.replacingOccurrences(of: #""sample_weight": null"#, with: #""sample_weight": [0.5, 1, 2]"#)
    guard case .valid(let c) = try parseCaseFile(Self.file(weighted)).entries[0] else {
      Issue.record("a weighted case should be valid")
      return
    }
    #expect(c.request.sampleWeight == Tensor(shape: [3], scalars: [0.5, 1, 2]))

    let raggedTrue = Self.caseA.replacingOccurrences(
      of: #""y_true": {"shape": [3], "data": [1.0, 1.0, 1.0]}"#, with: #""y_true": {"shape": [3], "data": [1.0, "one", 1.0]}"#)
    guard case .invalid(_, let error) = try parseCaseFile(Self.file(raggedTrue)).entries[0] else {
      Issue.record("a non-number in y_true should be invalid")
      return
    }
    #expect(error.location == "cases[0].y_true.data[1]")
  }

  // MARK: Expectations

  @Test("expected: loss and gradient, loss only, error, or absent")
  func expectations() throws {
    let lossOnly = Self.caseA.replacingOccurrences(of: #", "grad_y_pred": {"shape": [3], "data": [0.0, 0.0, 0.0]}"#, with: "")
    let noExpected = Self.caseA.replacingOccurrences(
      of: #","# + "\n" + #" "expected": {"loss": {"shape": [], "data": [5.3726983070373535]}, "grad_y_pred": {"shape": [3], "data": [0.0, 0.0, 0.0]}}"#,
      with: "")
    #expect(lossOnly != Self.caseA && noExpected != Self.caseA)
    let file = try parseCaseFile(Self.file(lossOnly, noExpected))
    guard case .valid(let a) = file.entries[0], case .valid(let b) = file.entries[1] else {
      Issue.record("both should be valid: \(file.entries)")
      return
    }
    guard case .values(let loss, nil)? = a.expected else {
      Issue.record("expected a loss without gradient, got \(String(describing: a.expected))")
      return
    }
    #expect(loss.scalars == [5.3726983070373535])
    #expect(b.expected == nil)
  }

  @Test("bad expectations", arguments: [
    (#"{"grad_y_pred": [1]}"#, "cases[0].expected.loss", "missing (or give \"error\")"),
    (#"{"error": 3}"#, "cases[0].expected.error", "expected a string, got the number 3.0"),
    (#""nan""#, "cases[0].expected", "expected an object, got the string \"nan\""),
    (#"{"loss": [[1], []]}"#, "cases[0].expected.loss[1]", "ragged"),
    (#"{"loss": 1, "grad_y_pred": {"shape": [2], "data": [1]}}"#, "cases[0].expected.grad_y_pred", "needs 2 elements"),
  ])
  func badExpectations(expected: String, location: String, fragment: String) throws {
    let text = #"{"framework": "keras", "loss": "BinaryCrossentropy", "y_true": [1], "y_pred": [0.5], "expected": "#
      + expected + "}"
    let file = try parseCaseFile(Self.file(text))
    guard case .invalid(_, let error) = file.entries[0] else {
      Issue.record("expected an invalid case, got \(file.entries[0])")
      return
    }
    #expect(error.location == location)
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test("a committed conformance file parses with every case valid")
  func conformanceFile() throws {
    let url = Fixtures.npy.deletingLastPathComponent().appendingPathComponent("conformance/keras/BinaryCrossentropy.json")
    let file = try CaseFile.parse([UInt8](try Data(contentsOf: url)), name: "BinaryCrossentropy.json")
    #expect(file.entries.count > 10)
    let invalid = file.entries.filter { if case .invalid = $0 { true } else { false } }
    #expect(invalid.isEmpty, "\(invalid.prefix(3))")
  }
}
