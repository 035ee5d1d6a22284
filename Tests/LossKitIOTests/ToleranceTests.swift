import LossKit
import LossKitIO
import Testing

@Suite("Tolerance and CaseRunner")
struct ToleranceTests {
  // MARK: Tolerance

  @Test("the conformance tolerances")
  func presets() {
    #expect(Tolerance.loss(.float32) == Tolerance(relative: 1e-6, absolute: 1e-7, absoluteBelow: 1))
    #expect(Tolerance.loss(.float64) == Tolerance(relative: 1e-12, absolute: 1e-15, absoluteBelow: 1e-3))
    #expect(Tolerance.gradient(.float32) == Tolerance(relative: 1e-5, absolute: 1e-7, absoluteBelow: 0.1))
    #expect(Tolerance.gradient(.float64) == Tolerance(relative: 1e-12, absolute: 1e-15, absoluteBelow: 1e-3))
  }

  @Test("NaN and infinities")
  func nonFinite() {
    let t = Tolerance.loss(.float32)
    #expect(t.accepts(.nan, .nan))
    #expect(!t.accepts(.nan, 1))
    #expect(!t.accepts(1, .nan))
    #expect(!t.accepts(.nan, .infinity))
    #expect(t.accepts(.infinity, .infinity))
    #expect(t.accepts(-.infinity, -.infinity))
    #expect(!t.accepts(.infinity, -.infinity))
    #expect(!t.accepts(-.infinity, .infinity))
    #expect(!t.accepts(.greatestFiniteMagnitude, .infinity))
    #expect(!t.accepts(.infinity, .greatestFiniteMagnitude))
    // Even an unbounded tolerance does not make a NaN match a number.
    #expect(!Tolerance(relative: .infinity, absolute: .infinity).accepts(.nan, 0))
  }

  /// The float32 loss bound is |a − e| ≤ 1e-7 + 1e-6·|e| below |e| = 1, 1e-6·|e| from
  /// there on. Each probe sits 1% of the bound
  /// inside or outside it (about 1e-8 away for e = 1), far larger than the ~1e-16
  /// rounding of forming e ± offset and subtracting in Double, so which side each probe
  /// falls on is not a matter of rounding.
  @Test("float32 loss tolerance: just inside and just outside", arguments: [1.0, -2.0, 0.0, 5.3726983070373535, 1e-9, 1e6])
  func boundary(expected: Double) {
    let t = Tolerance.loss(.float32)
    let bound = (abs(expected) < 1 ? 1e-7 : 0) + 1e-6 * abs(expected)
    #expect(t.accepts(expected, expected))
    #expect(t.accepts(expected + 0.99 * bound, expected))
    #expect(t.accepts(expected - 0.99 * bound, expected))
    #expect(!t.accepts(expected + 1.01 * bound, expected))
    #expect(!t.accepts(expected - 1.01 * bound, expected))
  }

  @Test("the relative part scales with the expected value, not the actual one")
  func relativeToExpected() {
    let t = Tolerance(relative: 0.1, absolute: 0)
    // |11.05 − 10| = 1.05 exceeds 0.1·10 = 1, though it is within 0.1·11.05 = 1.105.
    #expect(!t.accepts(11.05, 10))
    // Swapped, the bound is 0.1·11.05 = 1.105 and the same difference is accepted.
    #expect(t.accepts(10, 11.05))
    #expect(t.accepts(10.9, 10) && t.accepts(9.1, 10) && !t.accepts(8.9, 10))
    // Zero tolerance: only the identical value.
    #expect(Tolerance(relative: 0, absolute: 0).accepts(0.5, 0.5))
    #expect(!Tolerance(relative: 0, absolute: 0).accepts(0.5.nextUp, 0.5))
  }

  // MARK: compare

  @Test("compare reports a shape mismatch")
  func compareShapes() {
    let problem = CaseRunner.compare(
      Tensor(shape: [2], scalars: [1, 2]), Tensor(shape: [2, 1], scalars: [1, 2]), Tolerance.loss(.float32), what: "loss")
    #expect(problem == "loss: shape [2], expected [2, 1]")
    let scalarVsVector = CaseRunner.compare(Tensor<Double>(1), Tensor([1.0]), Tolerance.loss(.float32), what: "loss")
    #expect(scalarVsVector == "loss: shape [], expected [1]")
  }

  @Test("compare reports the worst element")
  func compareWorst() throws {
    let t = Tolerance.loss(.float32)
    #expect(CaseRunner.compare(Tensor([1.0, .nan, -.infinity]), Tensor([1.0, .nan, -.infinity]), t, what: "loss") == nil)
    let problem = try #require(
      CaseRunner.compare(Tensor([1.0, 2.0 + 1e-3, 3.0 + 1e-1]), Tensor([1.0, 2.0, 3.0]), t, what: "grad_y_pred"))
    #expect(problem.hasPrefix("grad_y_pred[2] = 3.1, expected 3.0"), "\(problem)")
    #expect(problem.contains("tolerance 1e-06 rel + 1e-07 abs"), "\(problem)")
    let nan = try #require(CaseRunner.compare(Tensor([0.5, .nan]), Tensor([0.5, 0.25]), t, what: "loss"))
    #expect(nan.hasPrefix("loss[1] = nan, expected 0.25"), "\(nan)")
    let signs = try #require(CaseRunner.compare(Tensor([Double.infinity]), Tensor([-Double.infinity]), t, what: "loss"))
    #expect(signs.hasPrefix("loss[0] = inf, expected -inf"), "\(signs)")
  }

  // MARK: CaseRunner on real requests

  /// Keras' own result for BinaryCrossentropy on y_true [1, 1, 1], y_pred [1, 1, 0]
  /// (case keras/BinaryCrossentropy/motivating-1 of the conformance corpus).
  static let bce = LossRequest(
    framework: .keras, loss: "BinaryCrossentropy", parameters: ["reduction": .string("sum_over_batch_size")],
    yTrue: Tensor([1.0, 1, 1]), yPred: Tensor([1.0, 1, 0]), dtype: .float32)
  static let kerasLoss = 5.3726983070373535
  static let kerasLoss64 = 5.37269861698611

  @Test("run computes a real Keras BinaryCrossentropy")
  func runComputes() throws {
    let outcome = CaseRunner.run(LossCase(id: "bce", request: Self.bce))
    guard case .computed(let result) = outcome else {
      Issue.record("expected a value, got \(outcome)")
      return
    }
    #expect(result.dtype == .float32)
    #expect(result.loss.shape == [])
    #expect(result.gradient.shape == [3])
    // Within the float32 conformance tolerance of Keras' value (see Tolerance.loss).
    #expect(Tolerance.loss(.float32).accepts(result.loss.scalars[0], Self.kerasLoss), "\(result.loss)")
    #expect(CaseRunner.mismatch(outcome, expected: .values(loss: Tensor(Self.kerasLoss), gradient: Tensor([0.0, 0, 0]))) == nil)
  }

  @Test("mismatch: loss off by more than the tolerance, wrong shape, wrong gradient")
  func mismatchValues() throws {
    let outcome = CaseRunner.run(LossCase(id: "bce", request: Self.bce))
    // 2e-6 relative is twice the float32 loss tolerance.
    let off = try #require(CaseRunner.mismatch(outcome, expected: .values(loss: Tensor(Self.kerasLoss * (1 + 2e-6)), gradient: nil)))
    #expect(off.hasPrefix("loss[0] = "), "\(off)")
    let shape = try #require(CaseRunner.mismatch(outcome, expected: .values(loss: Tensor([Self.kerasLoss]), gradient: nil)))
    #expect(shape == "loss: shape [], expected [1]")
    let gradient = try #require(
      CaseRunner.mismatch(outcome, expected: .values(loss: Tensor(Self.kerasLoss), gradient: Tensor([0.0, 0, 1]))))
    #expect(gradient.hasPrefix("grad_y_pred[2] = 0.0, expected 1.0"), "\(gradient)")
    let gradientShape = try #require(
      CaseRunner.mismatch(outcome, expected: .values(loss: Tensor(Self.kerasLoss), gradient: Tensor([0.0, 0]))))
    #expect(gradientShape == "grad_y_pred: shape [3], expected [2]")
    // A value that the framework returned as NaN does not match a number.
    #expect(CaseRunner.mismatch(outcome, expected: .values(loss: Tensor(Double.nan), gradient: nil)) != nil)
  }

  /// float64 is held to 1e-12: the float32 value of the same loss (off by ~6e-8
  /// relative) matches in float32 but not in float64.
  @Test("the dtype of the result picks the tolerance")
  func dtypeTolerance() {
    var request64 = Self.bce
    request64.dtype = .float64
    request64.parameters["dtype"] = .string("float64")
    let outcome64 = CaseRunner.run(LossCase(id: "bce64", request: request64))
    #expect(CaseRunner.mismatch(outcome64, expected: .values(loss: Tensor(Self.kerasLoss64), gradient: nil)) == nil)
    #expect(CaseRunner.mismatch(outcome64, expected: .values(loss: Tensor(Self.kerasLoss), gradient: nil)) != nil)
    let outcome32 = CaseRunner.run(LossCase(id: "bce", request: Self.bce))
    #expect(CaseRunner.mismatch(outcome32, expected: .values(loss: Tensor(Self.kerasLoss64), gradient: nil)) == nil)
  }

  @Test("an expected error against a computed value is a mismatch")
  func expectedErrorButComputed() throws {
    let outcome = CaseRunner.run(LossCase(id: "bce", request: Self.bce))
    let problem = try #require(CaseRunner.mismatch(outcome, expected: .error("ValueError: boom", match: nil)))
    #expect(problem == "the framework raised (ValueError: boom) but LossKit computed a value")
    let long = String(repeating: "x", count: 500)
    let truncated = try #require(CaseRunner.mismatch(outcome, expected: .error(long, match: nil)))
    #expect(truncated.contains(String(repeating: "x", count: 160)) && !truncated.contains(String(repeating: "x", count: 161)))
  }

  @Test("an unknown loss fails with a message naming it")
  func unknownLoss() throws {
    let request = LossRequest(framework: .keras, loss: "NoSuchLoss", yTrue: Tensor([1.0]), yPred: Tensor([0.5]))
    let outcome = CaseRunner.run(LossCase(id: "x", request: request))
    guard case .failed(let message, let match) = outcome else {
      Issue.record("expected a failure, got \(outcome)")
      return
    }
    #expect(message.contains("NoSuchLoss"), "\(message)")
    #expect(message.contains("keras"), "\(message)")
    // Failing where a value was expected is a mismatch that carries the message.
    #expect(CaseRunner.mismatch(outcome, expected: .values(loss: Tensor(1.0), gradient: nil)) == "LossKit failed: \(message)")
    #expect(match == ErrorMatch(kind: .unknownLoss, argument: nil))
    // Failing where the framework raised too is agreement when no kind is required.
    #expect(CaseRunner.mismatch(outcome, expected: .error("anything", match: nil)) == nil)
  }

  @Test("a shape error that TensorFlow also raises is agreement")
  func bothRaise() throws {
    let request = LossRequest(
      framework: .tf, loss: "softmax_cross_entropy_with_logits", parameters: ["axis": .int(-1)],
      yTrue: Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 0]), yPred: Tensor(shape: [2, 4], scalars: [0, 1, 2, 3, 4, 5, 6, 7]))
    let outcome = CaseRunner.run(LossCase(id: "tf", request: request))
    guard case .failed = outcome else {
      Issue.record("expected LossKit to reject mismatched shapes, got \(outcome)")
      return
    }
    let message = "InvalidArgumentError: logits and labels must be broadcastable"
    #expect(CaseRunner.mismatch(outcome, expected: .error(message, match: ErrorMatch(kind: .shapeMismatch, argument: "labels"))) == nil)
    // A different kind, or the right kind on another argument, is a mismatch.
    let wrongKind = CaseRunner.mismatch(outcome, expected: .error(message, match: ErrorMatch(kind: .labelOutOfRange, argument: "labels")))
    #expect(wrongKind?.contains("expected label_out_of_range on labels") == true, "\(wrongKind ?? "")")
    let wrongArgument = CaseRunner.mismatch(outcome, expected: .error(message, match: ErrorMatch(kind: .shapeMismatch, argument: "logits")))
    #expect(wrongArgument?.contains("LossKit raised shape_mismatch on labels") == true, "\(wrongArgument ?? "")")
  }

  @Test("a case parsed from a file runs and matches its expectation end to end")
  func endToEnd() throws {
    let file = try parseCaseFile(CaseFileTests.file(CaseFileTests.caseA, CaseFileTests.caseB))
    for entry in file.entries {
      guard case .valid(let lossCase) = entry, let expected = lossCase.expected else {
        Issue.record("\(entry.id) is not a valid case with an expectation")
        continue
      }
      let problem = CaseRunner.mismatch(CaseRunner.run(lossCase), expected: expected)
      #expect(problem == nil, "\(lossCase.id): \(problem ?? "")")
    }
  }

  /// The absolute floor applies only below its magnitude: above it a value must meet the
  /// relative bound alone.
  @Test func theAbsoluteFloorStopsAtItsMagnitude() {
    let t = Tolerance.loss(.float32)
    #expect(t.accepts(0.5 + 1.5e-7, 0.5))  // 1.5e-7 ≤ 1e-7 + 0.5e-6
    #expect(!t.accepts(2 + 2.5e-6, 2))  // 2.5e-6 > 2e-6: no floor at magnitude 2
    #expect(t.accepts(2 + 1.9e-6, 2))
    #expect(t.accepts(1e-9, 0))  // rounding residue where 0 is expected
  }
}
