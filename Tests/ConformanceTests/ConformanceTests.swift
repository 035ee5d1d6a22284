import Foundation
import LossKit
import LossKitIO
import Testing

/// Replays every case of `Tests/Fixtures/conformance`, which the committed generators
/// (`Tools/conformance/`) produced by running the real frameworks. Tolerances are
/// ``Tolerance/loss(_:)`` and ``Tolerance/gradient(_:)``; their documentation gives the
/// reasons. Every case runs through the default path (the fused kernel where the loss
/// has one) and through the traced engine.
@Suite("Conformance with the real frameworks")
struct ConformanceTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/conformance")

  /// The generators' manifest: every case file with its number of cases.
  struct Manifest {
    var files: [String: Int]
    var total: Int
  }

  static func manifest() throws -> Manifest {
    let url = fixtures.appendingPathComponent("manifest.json")
    let root = try JSONParser.parse([UInt8](try Data(contentsOf: url)))
    guard case .object(let members)? = root["files"], case .number(_, let total?)? = root["total"] else {
      throw InputError(url.path, "expected {\"files\": {...}, \"total\": N}")
    }
    var files: [String: Int] = [:]
    for (name, value) in members {
      guard case .number(_, let count?) = value else { throw InputError("\(url.path): \(name)", "expected a count") }
      files[name] = count
    }
    return Manifest(files: files, total: total)
  }

  /// The case files on disk (without the manifest).
  static var files: [String] {
    let enumerator = FileManager.default.enumerator(atPath: fixtures.path)
    var found: [String] = []
    while let item = enumerator?.nextObject() as? String {
      if item.hasSuffix(".json") && item != "manifest.json" { found.append(item) }
    }
    return found.sorted()
  }

  static func load(_ file: String) throws -> CaseFile {
    let data = try Data(contentsOf: fixtures.appendingPathComponent(file))
    return try CaseFile.parse([UInt8](data), name: file)
  }

  /// Every case file's case ids, read once for the checks over the whole corpus (the
  /// replay reads each file again, one test per file).
  static let caseIDs = Result<[String: [String]], any Error> {
    try Dictionary(uniqueKeysWithValues: files.map { file in (file, try load(file).entries.map(\.id)) })
  }

  /// Fails when the corpus is missing or incomplete: the parameterised test below would
  /// otherwise pass with no test cases.
  @Test func theCorpusIsPresentAndComplete() throws {
    let manifest = try Self.manifest()
    #expect(manifest.total >= 1166)
    #expect(manifest.files.values.reduce(0, +) == manifest.total)
    #expect(Set(Self.files) == Set(manifest.files.keys), "files on disk differ from the manifest")
    let caseIDs = try Self.caseIDs.get()
    for (file, count) in manifest.files {
      let found = caseIDs[file]?.count ?? 0
      #expect(found == count, "\(file): \(found) cases, the manifest says \(count)")
    }
    // Every registered loss has cases.
    let covered = Set(manifest.files.keys.map { String($0.dropLast(".json".count)) })
    let missing = LossRegistry.standard.definitions.map(\.qualifiedName).filter { !covered.contains($0) }
    #expect(missing.isEmpty, "losses without conformance cases: \(missing)")
  }

  @Test("every case matches the framework", arguments: files)
  func replay(file: String) throws {
    let caseFile = try Self.load(file)
    #expect(!caseFile.entries.isEmpty)
    var failures: [String] = []
    for entry in caseFile.entries {
      switch entry {
      case .invalid(let id, let error):
        failures.append("\(id): cannot read the case: \(error)")
      case .valid(let lossCase):
        guard let expected = lossCase.expected else {
          failures.append("\(lossCase.id): no expected values")
          continue
        }
        if case .error(_, match: nil) = expected {
          failures.append("\(lossCase.id): the framework's error has no losskit_error to compare with")
        }
        // Without a recorded gradient only the loss is compared: scikit-learn's metrics have
        // no autodiff, every other framework's case must carry one.
        if case .values(_, gradient: nil) = expected, lossCase.request.framework != .sklearn {
          failures.append("\(lossCase.id): no grad_y_pred recorded")
        }
        // (The fast-math path computes values without the gradient: its own test below.)
        for path in [EvaluationPath.automatic, .traced] {
          switch CaseRunner.verdict(CaseRunner.run(lossCase, path: path), for: lossCase) {
          case .pass, .deviation: break
          case .fail(let reason): failures.append("\(lossCase.id) [\(path.rawValue)]: \(reason)")
          }
        }
      }
    }
    #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(caseFile.entries.count) cases differ:\n" + failures.joined(separator: "\n")))
  }

  /// A request on float32 arrays held as float32 (what `losskit compute` builds for
  /// `--dtype float32`) computes what the same request held in `Double` does, bit for bit
  /// — loss, gradient, compute dtype, or the same error — and lints the same, on every
  /// float32 corpus case through the default path.
  @Test func float32StorageComputesWhatDoubleStorageDoes() throws {
    let registry = LossRegistry.standard
    var compared = 0, failures: [String] = []
    func bits(_ t: Tensor<Double>) -> [UInt64] { t.scalars.map(\.bitPattern) }
    for file in Self.files {
      for case .valid(let lossCase) in try Self.load(file).entries where lossCase.request.dtype == .float32 {
        let request = lossCase.request
        let floats = LossRequest(framework: request.framework, loss: request.loss, parameters: request.parameters, float32: request.inputs(as: Float.self))
        compared += 1
        switch (Result { try registry.evaluate(request) }, Result { try registry.evaluate(floats) }) {
        case (.success(let a), .success(let b)):
          if a.dtype != b.dtype || a.loss.shape != b.loss.shape || bits(a.loss) != bits(b.loss) || bits(a.gradient) != bits(b.gradient) {
            failures.append("\(lossCase.id): \(a.loss.scalars.prefix(3)) vs \(b.loss.scalars.prefix(3))")
          }
        case (.failure(let a), .failure(let b)):
          if "\(a)" != "\(b)" { failures.append("\(lossCase.id): errors differ: \(a) vs \(b)") }
        case (let a, let b):
          failures.append("\(lossCase.id): \(a) vs \(b)")
        }
        if let definition = try? registry.definition(named: request.loss, framework: request.framework) {
          let arrays = request.arrays(), rounded = floats.inputs(as: Float.self)
          let fromDoubles = InputLint.warnings(definition: definition, parameters: request.parameters, yTrue: arrays.yTrue, yPred: arrays.yPred)
          let fromFloats = InputLint.warnings(definition: definition, parameters: request.parameters, yTrue: rounded.yTrue, yPred: rounded.yPred)
          if fromDoubles != fromFloats { failures.append("\(lossCase.id): lint \(fromDoubles.map(\.id)) vs \(fromFloats.map(\.id))") }
        }
      }
    }
    #expect(compared >= 700, "only \(compared) float32 cases")
    #expect(failures.isEmpty, "\(failures.count) of \(compared) differ: \(failures.prefix(20))")
  }

  /// ``EvaluationPath/fastMath`` on every float32 corpus case of a loss configuration with
  /// a fast-math kernel: the value, computed with LossKit's own `exp` and `log1p` rather
  /// than the framework's, within the loss tolerance of the framework's. It counts the
  /// cases the kernel itself covered, so that a kernel that never runs cannot pass.
  @Test(.enabled(if: FastMath.isSupported, "the fast-math kernels need AVX2 with FMA, AVX-512 or aarch64"))
  func theFastMathValueIsWithinTheLossTolerance() throws {
    let registry = LossRegistry.standard
    var compared = 0, covered = 0, worst = 0.0, failures: [String] = []
    for file in Self.files {
      for case .valid(let lossCase) in try Self.load(file).entries {
        guard case .values(let expected, _) = lossCase.expected, lossCase.request.dtype == .float32,
          let definition = try? registry.definition(named: lossCase.request.loss, framework: lossCase.request.framework),
          let loss = try? definition.make(lossCase.request.parameters), FastMath.hasVariant(loss)
        else { continue }
        do {
          let result = try registry.evaluate(lossCase.request, path: .fastMath, gradient: false)
          guard result.dtype == .float32 else { continue }  // Keras 3 with dtype=float64
          compared += 1
          if try FastMath.value(loss, lossCase.request.inputs(as: Float.self)) != nil { covered += 1 }
          if let problem = CaseRunner.compare(result.loss, expected, Tolerance.loss(.float32), what: "loss") {
            failures.append("\(lossCase.id): \(problem)")
          }
          for (a, e) in zip(result.loss.scalars, expected.scalars) where e.isFinite && abs(e) > 0 {
            worst = max(worst, abs(a - e) / abs(e))
          }
        } catch {
          failures.append("\(lossCase.id): \(error)")
        }
      }
    }
    print("fast math: \(covered) of \(compared) cases through the kernel; worst relative error \(worst) (no floor)")
    #expect(covered >= 80, "only \(covered) of \(compared) cases ran the fast-math kernel")
    #expect(failures.isEmpty, "\(failures.count) of \(compared) differ: \(failures.prefix(20))")
  }

  /// A streamed run with `--gradient-out` takes each chunk's per-sample values and its
  /// gradient from one evaluation (``LossRegistry/reductionStateWithSumGradient(_:)``):
  /// the gradient of the unreduced loss must be the `sum` reduction's gradient bit for
  /// bit. Checked on every corpus case with a reducing `reduction` that can be reduced
  /// exactly, in both dtypes and through the default path (fused where there is one).
  @Test func thePerSampleGradientIsTheSumReductionsGradient() throws {
    let registry = LossRegistry.standard
    var compared = 0, failures: [String] = []
    for file in Self.files {
      for case .valid(let lossCase) in try Self.load(file).entries {
        guard case .values = lossCase.expected, lossCase.request.framework != .sklearn,
          let definition = try? registry.definition(named: lossCase.request.loss, framework: lossCase.request.framework),
          let plan = try? ExactReduction.plan(definition, lossCase.request.parameters), plan.semantics != .unreduced
        else { continue }
        var perSample = lossCase.request
        perSample.parameters = plan.perSampleParameters
        guard let sum = try? registry.evaluate(registry.sumReduced(lossCase.request, definition)).gradient,
          let unreduced = try? registry.evaluate(perSample).gradient
        else { continue }
        compared += 1
        let same = sum.shape == unreduced.shape
          && zip(sum.scalars, unreduced.scalars).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        if !same { failures.append("\(lossCase.id) (\(file))") }
      }
    }
    // Most reducing cases qualify; a broken filter must not pass with none compared.
    #expect(compared >= 2000, "only \(compared) cases compared")
    #expect(failures.isEmpty, "\(failures.count) of \(compared) differ: \(failures.prefix(20))")
  }

  /// `--exact` (and every streamed or sharded run) divides the exact sum of the
  /// per-sample values by what the framework's reduction divides by: its value must be
  /// the framework's within the conformance tolerance (which covers the framework's own
  /// float32 summation order on these small inputs), on every corpus case with a
  /// reducing `reduction` that can be reduced exactly — torch's mean over the targets
  /// that are not `ignore_index` included.
  @Test func theExactReductionIsTheFrameworksValue() throws {
    let registry = LossRegistry.standard
    var compared = 0, ignoredClassCases = 0, failures: [String] = []
    var comparedByLoss: [String: Int] = [:]
    for file in Self.files {
      for case .valid(let lossCase) in try Self.load(file).entries {
        guard case .values(let expectedLoss, _) = lossCase.expected, KnownDeviations.cases[lossCase.id] == nil,
          let definition = try? registry.definition(named: lossCase.request.loss, framework: lossCase.request.framework),
          let plan = try? ExactReduction.plan(definition, lossCase.request.parameters), plan.semantics != .unreduced,
          let exact = try? registry.evaluateExactly(lossCase.request, gradient: false)
        else { continue }
        compared += 1
        comparedByLoss[definition.qualifiedName, default: 0] += 1
        if plan.semantics == .maskWeightedMean || (plan.ignoreIndex != nil && definition.framework != .torch) { ignoredClassCases += 1 }
        // tf.compat.v1 reduces float64 inputs in float32 (compute_weighted_loss casts), so
        // its exact value is a float32 one, 1 ulp from TF's float32 sum at most here.
        let dtype = lossCase.request.framework == .tfV1 ? DType.float32 : exact.dtype
        if let problem = CaseRunner.compare(exact.loss, expectedLoss, Tolerance.loss(dtype), what: "loss") {
          failures.append("\(lossCase.id): \(problem)")
        }
      }
    }
    // (2,344 when written: broadcast sample weights included.)
    #expect(compared >= 2340, "only \(compared) cases compared")
    // The cases that motivated the check: torch's mean with ignored targets.
    #expect(comparedByLoss["torch/CrossEntropyLoss", default: 0] >= 10 && comparedByLoss["torch/NLLLoss", default: 0] >= 10,
      "\(comparedByLoss.filter { $0.key.hasPrefix("torch/") })")
    // And Keras's mean over the targets it kept (ignore_class, apply_mask's weights).
    #expect(ignoredClassCases >= 50, "only \(ignoredClassCases) Keras cases with ignore_class")
    #expect(failures.isEmpty, "\(failures.count) of \(compared) differ:\n\(failures.prefix(30).joined(separator: "\n"))")
  }

  /// Each listed deviation names a case that exists.
  @Test func deviationsNameRealCases() throws {
    let ids = Set(try Self.caseIDs.get().values.joined())
    for id in KnownDeviations.cases.keys { #expect(ids.contains(id), "\(id) is not in the corpus") }
  }
}
