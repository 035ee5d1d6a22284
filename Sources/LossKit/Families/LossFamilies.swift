/// Every loss family with its members across frameworks: what `compare`, `diagnose`,
/// `plot` and the input lint read.
///
/// The families are listed once here; their members come from one table per framework
/// (`<Framework>.familyMembers` in `<Framework>/<Framework>+Families.swift`), so a loss
/// joins its family by one row next to its framework's registry list.
public struct LossFamilies: Sendable {
  public let families: [LossFamily]
  public let members: [FamilyMember]

  public init(families: [LossFamily], members: [FamilyMember]) {
    self.families = families
    self.members = members
  }

  /// The built-in families and every framework's members.
  public static let standard = LossFamilies(
    families: LossFamily.standard,
    members: Keras.familyMembers + TFKeras.familyMembers + TF.familyMembers + TFV1.familyMembers
      + Torch.familyMembers + Optax.familyMembers + SKLearn.familyMembers)

  /// The family named `id`.
  ///
  /// - Throws: ``LossError/invalidValue(argument:expected:got:)`` on `family`, with close names.
  public func family(_ id: FamilyID) throws -> LossFamily {
    if let family = families.first(where: { $0.id == id }) { return family }
    let close = Suggestions.close(to: id.rawValue, in: families.map(\.id.rawValue))
    let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: " or "))?)"
    throw LossError.invalidValue(
      argument: "family", expected: "a loss family: \(families.map(\.id.rawValue).joined(separator: ", "))",
      got: "\"\(id.rawValue)\"\(hint)")
  }

  /// The members of a family, in framework order (the order of ``Framework``), each
  /// framework's members in its table's order.
  public func members(of id: FamilyID) -> [FamilyMember] {
    let own = members.filter { $0.family == id }
    return Framework.allCases.flatMap { f in own.filter { $0.framework == f } }
  }

  /// The member that a loss called with `parameters` on these inputs (in the framework's
  /// layout) is: among the members whose selecting parameters all hold, the most
  /// specific, and of those the one whose target form fits `y_true` (torch's
  /// `CrossEntropyLoss` takes class indices or probabilities; scikit-learn's `log_loss`
  /// is binary on 1-D probabilities). Nil for a loss in no family.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func member<S: LossScalar>(
    of definition: LossDefinition, parameters: ParameterList, yTrue: Tensor<S>, yPred: Tensor<S>
  ) -> FamilyMember? {
    let specific = mostSpecific(of: definition, parameters: parameters)
    func fits(_ member: FamilyMember) -> Bool {
      let column = yPred.rank == 1 || (yPred.rank == 2 && yPred.shape[1] == 1)
      if member.flattensInputs, !column { return false }
      switch member.targets {
      case .classIndices: return yTrue.rank < yPred.rank || (yTrue.rank == yPred.rank && yTrue.shape.last == 1 && yPred.shape.last != 1)
      case .distribution: return yTrue.shape == yPred.shape && !column
      default: return true
      }
    }
    return specific.first(where: fits) ?? specific.first
  }

  /// The member that a loss called with `parameters` is (the one whose selecting
  /// parameters all hold, preferring the most specific), or nil for a loss in no family.
  /// ``member(of:parameters:yTrue:yPred:)`` also tells apart members that differ only
  /// in their target form.
  public func member(of definition: LossDefinition, parameters: ParameterList) -> FamilyMember? {
    mostSpecific(of: definition, parameters: parameters).first
  }

  /// The candidates (``candidates(of:parameters:)``) with the most selecting parameters,
  /// in table order; empty for a loss in no family.
  func mostSpecific(of definition: LossDefinition, parameters: ParameterList) -> [FamilyMember] {
    let matching = candidates(of: definition, parameters: parameters)
    guard let most = matching.map(\.parameters.count).max() else { return [] }
    return matching.filter { $0.parameters.count == most }
  }

  /// The members of `definition`'s loss whose selecting parameters all hold.
  func candidates(of definition: LossDefinition, parameters: ParameterList) -> [FamilyMember] {
    func effective(_ name: String) -> ParameterValue? {
      parameters[name] ?? definition.parameters.first { $0.name == name }?.defaultValue
    }
    func same(_ a: ParameterValue?, _ b: ParameterValue) -> Bool {
      switch (a, b) {
      case (.int(let x)?, .float(let y)): Double(x) == y
      case (.float(let x)?, .int(let y)): x == Double(y)
      default: a == b
      }
    }
    return members
      .filter { $0.framework == definition.framework && $0.loss == definition.name }
      .filter { member in member.parameters.allSatisfy { same(effective($0.name), $0.value) } }
  }
}

extension LossFamily {
  /// The built-in families, in the order `losskit list --families` and `diagnose` use.
  public static let standard: [LossFamily] = [
    LossFamily(
      .binaryCrossentropy, "Binary cross-entropy", targets: .binary, granularity: .element, isLogarithmic: true,
      plot: .probability, reference: ReferenceFormula(.binaryCrossentropy, form: .probabilities)),
    LossFamily(
      .categoricalCrossentropy, "Categorical cross-entropy", targets: .distribution, granularity: .row,
      isLogarithmic: true, plot: .probability, reference: ReferenceFormula(.categoricalCrossentropy, form: .probabilities)),
    LossFamily(
      .sparseCategoricalCrossentropy, "Sparse categorical cross-entropy", targets: .classIndices, granularity: .row,
      isLogarithmic: true, plot: .probability,
      reference: ReferenceFormula(.sparseCategoricalCrossentropy, form: .probabilities)),
    LossFamily(
      .focal, "Binary focal cross-entropy", targets: .binary, granularity: .element, isLogarithmic: false,
      plot: .probability, reference: ReferenceFormula(.focal, form: .probabilities, parameter: 2),
      parameters: ["gamma": 2]),
    LossFamily(
      .categoricalFocal, "Categorical focal cross-entropy", targets: .distribution, granularity: .row,
      isLogarithmic: false, plot: .probability, reference: nil),
    LossFamily(
      .generalizedCrossentropy, "Generalized cross-entropy", targets: .classIndices, granularity: .row,
      isLogarithmic: false, plot: .probability, reference: nil),
    LossFamily(
      .nll, "Negative log-likelihood", targets: .classIndices, granularity: .row, isLogarithmic: true, plot: .real,
      reference: ReferenceFormula(.nll, form: .logProbabilities)),
    LossFamily(
      .mse, "Mean squared error", targets: .values, granularity: .element, isLogarithmic: false, plot: .real,
      reference: ReferenceFormula(.mse, form: .values)),
    LossFamily(
      .mae, "Mean absolute error", targets: .values, granularity: .element, isLogarithmic: false, plot: .real,
      reference: ReferenceFormula(.mae, form: .values)),
    LossFamily(
      .huber, "Huber", targets: .values, granularity: .element, isLogarithmic: false, plot: .real,
      reference: ReferenceFormula(.huber, form: .values, parameter: 1), parameters: ["delta": 1]),
    LossFamily(
      .logCosh, "Log-cosh", targets: .values, granularity: .element, isLogarithmic: false, plot: .real,
      reference: ReferenceFormula(.logCosh, form: .values)),
    LossFamily(
      .hinge, "Hinge", targets: .signed, granularity: .element, isLogarithmic: false, plot: .real,
      reference: ReferenceFormula(.hinge, form: .values)),
    LossFamily(
      .poisson, "Poisson", targets: .values, granularity: .element, isLogarithmic: false, plot: .real,
      reference: ReferenceFormula(.poisson, form: .values)),
    LossFamily(
      .klDivergence, "Kullback-Leibler divergence", targets: .distribution, granularity: .element,
      isLogarithmic: true, plot: .probability, reference: ReferenceFormula(.klDivergence, form: .probabilities)),
    LossFamily(
      .cosineSimilarity, "Cosine similarity", targets: .values, granularity: .row, isLogarithmic: false, plot: .real,
      reference: ReferenceFormula(.cosineSimilarity, form: .values)),
  ]
}

extension LossRegistry {
  /// The loss families over this registry's frameworks (``LossFamilies/standard``).
  public var families: LossFamilies { .standard }
}
