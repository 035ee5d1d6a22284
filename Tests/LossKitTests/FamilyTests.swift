import LossKit
import Testing

/// Inputs shaped for a family (class axis last), deterministic: binary labels and
/// probabilities with saturated entries, one-hot rows, class indices, regression values.
enum FamilySamples {
  static func inputs(_ family: LossFamily, form: PredictionForm) -> FamilyInputs {
    let probabilities: [Double] = [0.9, 0.0, 0.3, 1.0, 1e-9, 0.6, 0.25, 0.7, 0.5, 0.999, 0.05, 0.4]
    let logits: [Double] = [2.5, -1.0, 0.3, 20.0, -18.0, 0.7, -2.2, 1.1, 0.0, 4.0, -3.0, 0.4]
    let binary: [Double] = [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0]
    var yPred = Tensor(shape: [4, 3], scalars: form == .logits ? logits : probabilities)
    switch family.targets {
    case .binary:
      return FamilyInputs(yTrue: Tensor(shape: [4, 3], scalars: binary), yPred: yPred)
    case .distribution:
      if form != .logits {
        // Rows of probabilities (one with a zero on its label).
        yPred = Tensor(shape: [4, 3], scalars: [0.7, 0.2, 0.1, 0.0, 0.4, 0.6, 0.3, 0.3, 0.4, 0.05, 0.9, 0.05])
      }
      return FamilyInputs(yTrue: Tensor(shape: [4, 3], scalars: [1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0]), yPred: yPred)
    case .classIndices:
      if form != .logits {
        yPred = Tensor(shape: [4, 3], scalars: [0.7, 0.2, 0.1, 0.0, 0.4, 0.6, 0.3, 0.3, 0.4, 0.05, 0.9, 0.05])
      }
      return FamilyInputs(yTrue: Tensor([0, 0, 2, 1]), yPred: yPred)
    case .signed, .signedOrBinary:
      return FamilyInputs(yTrue: Tensor(shape: [4, 3], scalars: binary.map { 2 * $0 - 1 }), yPred: Tensor(shape: [4, 3], scalars: logits))
    case .values:
      return FamilyInputs(
        // Positive predictions: scikit-learn's Poisson deviance needs them.
        yTrue: Tensor(shape: [4, 3], scalars: binary.map { $0 * 2 + 0.5 }),
        yPred: Tensor(shape: [4, 3], scalars: probabilities.map { $0 * 3 + 0.05 }))
    }
  }
}

@Suite("Loss families")
struct FamilyTests {
  let registry = LossRegistry.standard
  var families: LossFamilies { registry.families }

  @Test func familiesHaveUniqueNamesAndEveryMemberIsARegisteredLoss() throws {
    #expect(Set(families.families.map(\.id)).count == families.families.count)
    for member in families.members {
      #expect(families.families.contains { $0.id == member.family }, "\(member.label): unknown family \(member.family)")
      let definition = try registry.definition(named: member.loss, framework: member.framework)
      _ = try definition.make(member.parameters)
      for name in member.parameterNames.values {
        #expect(definition.parameters.contains { $0.name == name }, "\(member.label) has no parameter \(name)")
      }
      if let parameter = member.reduction?.parameter {
        #expect(definition.parameters.contains { $0.name == parameter }, "\(member.label): no \(parameter)")
      }
      if let name = member.classLabels {
        #expect(definition.parameters.contains { $0.name == name }, "\(member.label) has no parameter \(name)")
      }
      if case .parameter(let name) = member.sampleWeight {
        #expect(definition.parameters.contains { $0.name == name }, "\(member.label) has no parameter \(name)")
      }
      if member.sampleWeight == .sampleWeight || member.sampleWeight == .expandedSampleWeight {
        #expect(definition.acceptsSampleWeight, "\(member.label) takes no sample_weight")
      }
    }
  }

  /// The families this issue names, each with at least a reference formula or a member.
  @Test func theIssuesFamiliesExist() throws {
    for id: FamilyID in [
      .binaryCrossentropy, .categoricalCrossentropy, .sparseCategoricalCrossentropy, .mse, .mae, .huber, .klDivergence,
      .cosineSimilarity, .hinge, .poisson, .focal, .logCosh, .nll,
    ] {
      let family = try families.family(id)
      #expect(family.reference != nil || !families.members(of: id).isEmpty, "\(id)")
    }
    let misspelt = #expect(throws: LossError.self) { try families.family("binary-crossentropi") }
    #expect(misspelt?.kind == .invalidValue && misspelt?.argument == "family")
    #expect(misspelt?.description.contains(#"got "binary-crossentropi" (did you mean binary-crossentropy?)"#) == true, "\(String(describing: misspelt))")
  }

  /// Every member, generically: its per-element (per-row) losses add up to its own
  /// `sum` reduction (divided by the row length when it averages over the last axis),
  /// or for a metric that always averages to its mean; an unreduced member's output is
  /// its per-element losses (summed over the last axis when it sums there).
  @Test func perUnitLossesAgreeWithTheMembersOwnReduction() throws {
    for member in families.members where registry.definitions.contains(where: { $0.name == member.loss && $0.framework == member.framework }) {
      let family = try families.family(member.family)
      let inputs = FamilySamples.inputs(family, form: member.form)
      let units = try #require(try families.perUnitLosses(member, inputs, granularity: family.granularity)).values
      let expectedCount = family.granularity == .element ? inputs.yPred.count : inputs.yPred.count / inputs.yPred.shape.last!
      #expect(units.count == expectedCount, "\(member.label)")
      if let translation = member.reduction {
        let divisor = member.perSample == .meanOverLastAxis ? Double(inputs.yPred.shape.last!) : 1
        let total = units.reduce(0, +) / divisor
        if translation.supports(.sum) {
          let sum = try families.evaluate(member, inputs, reduction: .sum).value
          #expect(abs(total - sum) <= 1e-5 * abs(sum) + 1e-6, "\(member.label): \(total) vs \(sum)")
        } else {
          let mean = try families.evaluate(member, inputs, reduction: .mean).value
          let expected = total / Double(units.count)
          #expect(abs(expected - mean) <= 1e-5 * abs(mean) + 1e-6, "\(member.label): \(expected) vs \(mean)")
          let refusal = translation.parameter == nil ? "always returns the mean" : "has no reduction 'sum'"
          #expect(throws: LossError.unsupported(argument: "reduction", message: "\(member.label) \(refusal)")) {
            try families.evaluate(member, inputs, reduction: .sum)
          }
        }
      } else {
        let output = try families.evaluate(member, inputs).output
        if member.perSample == .sumOverLastAxis {
          let width = inputs.yPred.shape.last!
          let rows = stride(from: 0, to: units.count, by: width).map { units[$0..<($0 + width)].reduce(0, +) }
          for (a, b) in zip(rows, output.scalars) { #expect(abs(a - b) <= 1e-5 * abs(b) + 1e-6, "\(member.label): \(a) vs \(b)") }
          #expect(rows.count == output.count, "\(member.label)")
        } else {
          #expect(output.scalars == units, "\(member.label)")
        }
      }
    }
  }

  /// The reference formula with a member's stability convention reproduces the member's
  /// per-element losses (the basis of diagnose's epsilon mistakes).
  @Test(arguments: [
    ("keras", "BinaryCrossentropy", Stability.clip(1e-7)), ("tf_keras", "BinaryCrossentropy", .clipAndEpsilonInLog(1e-7)),
  ])
  func referenceFormulaMatchesTheFrameworks(framework: String, loss: String, stability: Stability) throws {
    let member = try #require(families.members.first { $0.framework.rawValue == framework && $0.loss == loss && $0.parameters.isEmpty })
    let family = try families.family(member.family)
    let inputs = FamilySamples.inputs(family, form: .probabilities)
    let units = try #require(try families.perUnitLosses(member, inputs, granularity: .element)).values
    let formula = ReferenceFormula(.binaryCrossentropy, form: .probabilities, stability: stability)
    let mine = try formula.perUnit(yTrue: inputs.yTrue.converted(to: Float.self), yPred: inputs.yPred.converted(to: Float.self))
    #expect(mine.count == units.count && !units.isEmpty)
    for (a, b) in zip(mine, units) { #expect(abs(Double(a) - b) <= 2e-6 * abs(b) + 1e-7, "\(framework): \(a) vs \(b)") }
  }

  @Test func sigmoidMembersAgreeOnLogits() throws {
    let family = try families.family(.binaryCrossentropy)
    let inputs = FamilySamples.inputs(family, form: .logits)
    let logitsMembers = families.members(of: .binaryCrossentropy).filter { $0.form == .logits }
    #expect(logitsMembers.count >= 3)
    let values = try logitsMembers.map { try families.evaluate($0, inputs).value }
    for v in values { #expect(abs(v - values[0]) <= 1e-6 * abs(values[0])) }
  }

  @Test func memberLookupFollowsTheSelectingParameters() throws {
    let bce = try registry.definition(named: "BinaryCrossentropy", framework: .keras)
    #expect(families.member(of: bce, parameters: [:])?.form == .probabilities)
    #expect(families.member(of: bce, parameters: ["from_logits": .bool(true)])?.form == .logits)
    let poisson = try registry.definition(named: "log_poisson_loss", framework: .tf)
    #expect(families.member(of: poisson, parameters: [:])?.family == .poisson)
  }
}

@Suite("Input lint")
struct LintTests {
  let families = LossFamilies.standard

  func member(_ framework: Framework, _ loss: String, logits: Bool = false) throws -> FamilyMember {
    try #require(families.members.first { $0.framework == framework && $0.loss == loss && ($0.form == .logits) == logits })
  }

  func ids(_ member: FamilyMember, _ yTrue: Tensor<Double>, _ yPred: Tensor<Double>) -> [String] {
    InputLint.warnings(member: member, yTrue: yTrue, yPred: yPred).map(\.id)
  }

  @Test func probabilityLossGivenLogits() throws {
    #expect(ids(try member(.keras, "BinaryCrossentropy"), Tensor([1, 0]), Tensor([2.5, -1])) == ["logits-for-probabilities"])
    #expect(ids(try member(.keras, "BinaryCrossentropy"), Tensor([1, 0]), Tensor([0.9, 0.2])).isEmpty)
  }

  @Test func logitsLossGivenProbabilities() throws {
    #expect(ids(try member(.tf, "sigmoid_cross_entropy_with_logits", logits: true), Tensor([1, 0]), Tensor([0.9, 0.2])) == ["probabilities-for-logits"])
    let rows = Tensor<Double>(shape: [2, 3], scalars: [0.7, 0.2, 0.1, 0.1, 0.1, 0.8])
    let onehot = Tensor<Double>(shape: [2, 3], scalars: [1, 0, 0, 0, 0, 1])
    #expect(ids(try member(.tf, "softmax_cross_entropy_with_logits", logits: true), onehot, rows) == ["probabilities-for-logits"])
  }

  @Test func rowsNotSummingToOne() throws {
    let rows = Tensor<Double>(shape: [2, 3], scalars: [0.7, 0.7, 0.1, 0.1, 0.1, 0.8])
    let onehot = Tensor<Double>(shape: [2, 3], scalars: [1, 0, 0, 0, 0, 1])
    #expect(ids(try member(.keras, "CategoricalCrossentropy"), onehot, rows) == ["rows-not-normalized"])
  }

  /// The checks summarise each input in one vectorised pass (8 lanes, then a scalar
  /// tail): the one value that trips a check must be found wherever it sits, with a NaN
  /// elsewhere skipped, and a NaN alone must trip nothing.
  @Test func oneOffendingValueIsFoundAnywhere() throws {
    let bce = try member(.keras, "BinaryCrossentropy")
    for n in [1, 7, 8, 9, 16, 23, 37] {
      let probabilities = (0..<n).map { 0.05 + 0.9 * Double($0) / Double(n) }
      let labels = (0..<n).map { Double($0 % 2) }
      for k in 0..<n {
        let nan = (k + 3) % n
        var p = probabilities, y = labels
        if nan != k { p[nan] = .nan }
        #expect(ids(bce, Tensor(y), Tensor(p)).isEmpty, "n \(n), NaN at \(nan)")
        p[k] = 2.5
        #expect(ids(bce, Tensor(y), Tensor(p)) == ["logits-for-probabilities"], "n \(n), 2.5 at \(k)")
        p[k] = probabilities[k]
        y = labels.map { $0 == 0 ? 1 : $0 }
        y[k] = -1
        #expect(ids(bce, Tensor(y), Tensor(p)) == ["signed-labels-for-binary"], "n \(n), −1 at \(k)")
      }
    }
  }

  @Test func signedLabelsForABinaryLoss() throws {
    #expect(ids(try member(.keras, "BinaryCrossentropy"), Tensor([1, -1, 1]), Tensor([0.9, 0.2, 0.6])) == ["signed-labels-for-binary"])
  }

  /// A {−1, 1} loss (optax's hinge_loss, once merged) given {0, 1} labels.
  @Test func binaryLabelsForASignedLoss() {
    let signed = FamilyMember(
      .hinge, .optax, "hinge_loss", form: .values, targets: .signed, reduction: nil, perSample: .elements, convention: "")
    #expect(ids(signed, Tensor([1, 0, 1]), Tensor([0.9, -0.2, 1.5])) == ["binary-labels-for-signed"])
  }

  @Test func classIndicesWhereOneHotIsExpected() throws {
    let rows = Tensor<Double>(shape: [2, 3], scalars: [0.7, 0.2, 0.1, 0.1, 0.1, 0.8])
    #expect(ids(try member(.keras, "CategoricalCrossentropy"), Tensor([0, 2]), rows).contains("class-indices-for-one-hot"))
  }

  @Test func transposedClassAxis() throws {
    // Two samples, three classes, given as (C, N): each column is one-hot.
    let yTrue = Tensor<Double>(shape: [3, 2], scalars: [1, 0, 0, 0, 0, 1])
    let yPred = Tensor<Double>(shape: [3, 2], scalars: [0.7, 0.1, 0.2, 0.1, 0.1, 0.8])
    #expect(ids(try member(.keras, "CategoricalCrossentropy"), yTrue, yPred).contains("transposed-class-axis"))
  }

  @Test func softmaxAppliedTwice() throws {
    // softmax of probability rows: every entry within a factor e of uniform.
    let yPred = Tensor<Double>(shape: [2, 3], scalars: [0.45, 0.30, 0.25, 0.25, 0.30, 0.45])
    let yTrue = Tensor<Double>(shape: [2, 3], scalars: [1, 0, 0, 0, 0, 1])
    #expect(ids(try member(.keras, "CategoricalCrossentropy"), yTrue, yPred) == ["softmax-applied-twice"])
  }

  @Test func sigmoidAppliedTwice() throws {
    #expect(ids(try member(.keras, "BinaryCrossentropy"), Tensor([1, 0, 1, 0]), Tensor([0.73, 0.5, 0.7, 0.52])) == ["sigmoid-applied-twice"])
  }
}
