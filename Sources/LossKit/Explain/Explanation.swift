/// A loss explained from its trace: the named steps with their intermediate tensors,
/// then the per-element losses with each one's contribution to the value, its share of
/// the total, and flags for elements that were clipped, saturated, masked, ignored or
/// weighted to zero. It is built from the same trace that gives the value (what
/// `losskit explain` prints; `--json` writes this structure).
public struct Explanation: Sendable, Encodable {
  /// One step of the trace with its output tensor (the last value recorded in it).
  public struct StepView: Sendable, Encodable {
    public var index: Int
    public var id: String
    public var title: String
    public var parameters: [TraceDocumentV1.NamedValue]
    public var depth: Int
    /// The step's result, shortened to its first elements; nil for a step that records
    /// no operation (an alignment that changes nothing).
    public var output: TraceDocumentV1.TensorRecord?
    /// For the `inputs` step: each input by name.
    public var inputs: [NamedTensor]?
  }

  public struct NamedTensor: Sendable, Encodable {
    public var name: String
    public var value: TraceDocumentV1.TensorRecord
  }

  /// Why an element's contribution is what it is.
  public enum Flag: String, Sendable, Encodable, CaseIterable {
    /// `y_pred` was moved onto a clip bound (its gradient is zero there).
    case clipped
    /// Not clipped, but the gradient is exactly zero in the dtype (a sigmoid or softmax
    /// that rounded to 0 or 1).
    case saturated
    /// Excluded by a mask (its contribution and gradient are zero).
    case masked
    /// Excluded because its label is the ignored class (`ignore_class`, `ignore_index`).
    case ignored
    /// Its sample weight is zero.
    case weightedToZero = "weighted-to-zero"
    /// Its loss is infinite or NaN.
    case nonFinite = "non-finite"
  }

  /// One element (one row for row-wise losses) and what it adds to the value.
  public struct Element: Sendable, Encodable {
    /// The row-major index into the per-element losses.
    public var index: Int
    /// Its position, e.g. `[1, 2]`.
    public var position: [Int]
    public var yTrue: Double?
    public var yPred: Double?
    public var loss: Double
    /// `loss · ∂value/∂loss`: what it adds to the value (they sum to the value).
    public var contribution: Double
    /// `contribution / Σ contributions`.
    public var share: Double
    public var flags: [Flag]

    enum CodingKeys: String, CodingKey {
      case index, position, yTrue = "y_true", yPred = "y_pred", loss, contribution, share, flags
    }
  }

  /// How many elements carry each flag, in the order of ``Flag``.
  public struct FlagCounts: Sendable, Encodable, Equatable {
    public private(set) var counts: [Flag: Int] = [:]
    public subscript(flag: Flag) -> Int { counts[flag] ?? 0 }
    mutating func add(_ flag: Flag) { counts[flag, default: 0] += 1 }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: NameKey.self)
      for flag in Flag.allCases where self[flag] > 0 { try container.encode(self[flag], forKey: NameKey(flag.rawValue)) }
    }
  }

  public var framework: String
  public var loss: String
  /// The dtype the loss computed in.
  public var dtype: String
  /// The loss's output, as `compute` returns it.
  public var value: TraceDocumentV1.TensorRecord
  public var steps: [StepView]
  /// `element` (one loss per element of `y_pred`) or `row` (per row of the class axis).
  public var granularity: String
  /// The number of per-element losses.
  public var elementCount: Int
  /// The elements, all of them up to the limit, else the largest contributions first.
  public var elements: [Element]
  /// Whether ``elements`` lists fewer than ``elementCount`` (the largest contributions).
  public var elementsTruncated: Bool
  /// The sum of all contributions.
  public var total: Double
  /// How many elements have each flag.
  public var flagCounts: FlagCounts
  public var warnings: [LintWarning]

  enum CodingKeys: String, CodingKey {
    case framework, loss, dtype, value, steps, granularity, elementCount = "element_count", elements
    case elementsTruncated = "elements_truncated", total, flagCounts = "flag_counts", warnings
  }
}

extension Explanation {
  /// Explains `request` from its recorded trace. Tensors are shortened to
  /// `maximumElements`; the element list holds every element up to `maximumListed`,
  /// otherwise the `maximumListed` largest contributions.
  public static func explain(
    _ request: LossRequest, registry: LossRegistry = .standard, maximumElements: Int = 16, maximumListed: Int = 20
  ) throws -> Explanation {
    let (definition, recorded) = try registry.trace(request)
    return explain(
      request, definition: definition, recorded: recorded, families: registry.families, maximumElements: maximumElements,
      maximumListed: maximumListed)
  }

  /// ``explain(_:registry:maximumElements:maximumListed:)`` from a trace already
  /// recorded for `request` (compare reads its steps and its largest element from one).
  static func explain(
    _ request: LossRequest, definition: LossDefinition, recorded: RecordedTrace, families: LossFamilies,
    maximumElements: Int, maximumListed: Int
  ) -> Explanation {
    let warnings = InputLint.warnings(
      definition: definition, parameters: request.parameters, yTrue: request.yTrue, yPred: request.yPred, families: families)
    var explanation: Explanation
    switch recorded {
    case .float32(let trace, let output):
      explanation = build(trace, output: output, request: request, maximumElements: maximumElements, maximumListed: maximumListed)
    case .float64(let trace, let output):
      explanation = build(trace, output: output, request: request, maximumElements: maximumElements, maximumListed: maximumListed)
    }
    explanation.framework = definition.framework.rawValue
    explanation.loss = definition.name
    explanation.warnings = warnings
    return explanation
  }

  static func record<S: LossScalar>(_ tensor: Tensor<S>, _ limit: Int) -> TraceDocumentV1.TensorRecord {
    TraceDocumentV1.TensorRecord(
      shape: tensor.shape, data: tensor.scalars.prefix(limit).map { Double($0) }, count: tensor.count, dtype: S.dtype.rawValue)
  }

  /// The per-element (per-row) losses of `request` as its trace holds them before they
  /// are weighted or reduced (the node explain reads contributions from), in the
  /// dtype the loss computed in.
  ///
  /// - Throws: ``LossError/unsupported(argument:message:)`` when the trace has no such node.
  public static func unitLosses(_ request: LossRequest, registry: LossRegistry = .standard) throws -> (values: [Double], dtype: DType) {
    let (_, recorded) = try registry.trace(request)
    func units<S: LossScalar>(_ t: LossTrace<S>, _ output: LossTrace<S>.Value) throws -> (values: [Double], dtype: DType) {
      let (chains, _, lastNode) = stepNodes(t)
      let yPredShape = t.differentiableInput.map { t.shape($0) } ?? request.yPred.shape
      guard let node = contributionNode(t, chains: chains, lastNode: lastNode, output: output.id, yPredShape: yPredShape) else {
        throw LossError.unsupported(argument: "y_pred", message: "\(request.framework.map(\.rawValue) ?? "?")/\(request.loss) records no per-element losses")
      }
      return (t.nodes[node].value.scalars.map { Double($0) }, S.dtype)
    }
    switch recorded {
    case .float32(let t, let output): return try units(t, output)
    case .float64(let t, let output): return try units(t, output)
    }
  }

  /// For each node the steps it was recorded in (innermost first), and for each step its
  /// first and last node (those of nested steps included).
  static func stepNodes<S: LossScalar>(_ t: LossTrace<S>) -> (chains: [[Int]], firstNode: [Int?], lastNode: [Int?]) {
    var chains = [[Int]](repeating: [], count: t.nodes.count)
    for (index, node) in t.nodes.enumerated() {
      var step = node.step
      while let s = step {
        chains[index].append(s)
        step = t.steps[s].parent
      }
    }
    var lastNode = [Int?](repeating: nil, count: t.steps.count)
    var firstNode = [Int?](repeating: nil, count: t.steps.count)
    for (index, chain) in chains.enumerated() {
      for s in chain {
        lastNode[s] = index
        if firstNode[s] == nil { firstNode[s] = index }
      }
    }
    return (chains, firstNode, lastNode)
  }

  static func build<S: LossScalar>(
    _ t: LossTrace<S>, output: LossTrace<S>.Value, request: LossRequest, maximumElements: Int, maximumListed: Int
  ) -> Explanation {
    // For each step: the nodes recorded in it or in the steps nested in it.
    let (chains, firstNode, lastNode) = stepNodes(t)
    let steps = t.steps.enumerated().map { index, recorded -> StepView in
      var view = StepView(
        index: index, id: recorded.step.id.rawValue, title: recorded.step.title,
        parameters: recorded.step.parameters,
        depth: recorded.depth, output: lastNode[index].map { record(t.nodes[$0].value, maximumElements) }, inputs: nil)
      if recorded.step.id == .inputs {
        view.inputs = t.nodes.indices.filter { t.nodes[$0].step == index }.compactMap { i in
          switch t.nodes[i].operation {
          case .input(let name), .constant(let name): NamedTensor(name: name, value: record(t.nodes[i].value, maximumElements))
          default: nil
          }
        }
        view.output = nil
      }
      return view
    }

    let yPredShape = t.differentiableInput.map { t.shape($0) } ?? request.yPred.shape
    let unitNode = contributionNode(t, chains: chains, lastNode: lastNode, output: output.id, yPredShape: yPredShape)
    let outputValue = t[output]
    var explanation = Explanation(
      framework: "", loss: "", dtype: S.dtype.rawValue, value: record(outputValue, Swift.max(maximumElements, 64)),
      steps: steps, granularity: "element", elementCount: 0, elements: [], elementsTruncated: false,
      total: outputValue.scalars.reduce(0) { $0 + Double($1) }, flagCounts: FlagCounts(), warnings: [])
    guard let unitNode, let input = t.differentiableInput else { return explanation }

    let unitValue = LossTrace<S>.Value(id: unitNode, trace: input.trace)
    let losses = t[unitValue]
    let weights = t.gradient(of: output, withRespectTo: unitValue)
    let inputGradient = t.gradient(of: output, withRespectTo: input)
    let perElement = losses.shape == yPredShape || losses.shape == yPredShape + [1]
    let units = losses.count
    let width = perElement ? 1 : Swift.max(yPredShape.last ?? 1, 1)

    // Clipped y_pred elements: where a clip step changed its input.
    var clipped = [Bool](repeating: false, count: Shape.count(yPredShape))
    for (index, recorded) in t.steps.enumerated() where recorded.step.id == .clip {
      guard let first = firstNode[index], let last = lastNode[index] else { continue }
      // The clipped tensor: the first input recorded outside the step, shaped like y_pred
      // or like y_pred with a trailing axis (scikit-learn clips [1 − p, p]).
      let inside = first...last
      func fits(_ shape: [Int]) -> Bool { shape == yPredShape || Array(shape.dropLast()) == yPredShape }
      guard
        let source = t.nodes[inside].lazy.flatMap(\.inputs).first(where: { value in
          !inside.contains(value.id) && t.nodes[value.id].isDifferentiable && fits(t.shape(value))
        })
      else { continue }
      let before = t[source], after = t.nodes[last].value
      guard before.shape == after.shape, fits(before.shape), before.count > 0 else { continue }
      let width = before.count / Swift.max(clipped.count, 1)
      for i in 0..<before.count where before.scalars[i] != after.scalars[i] && !before.scalars[i].isNaN {
        clipped[i / Swift.max(width, 1)] = true
      }
    }
    let hasMask = t.steps.contains { $0.step.id == .mask }
    let ignoresClass = t.steps.contains { $0.step.id == .mask && ($0.step[parameter: "ignore_class"] != nil || $0.step[parameter: "ignore_index"] != nil) }
      || request.parameters["ignore_class"].map { $0 != .null } == true || request.parameters["ignore_index"] != nil
    let sampleWeights = request.sampleWeight.flatMap { try? LossFamilies.broadcastWeights($0, to: losses.shape) }
    let positions = Shape.strides(losses.shape)

    var elements: [Element] = []
    elements.reserveCapacity(units)
    var total = 0.0
    var counts = FlagCounts()
    for u in 0..<units {
      let loss = Double(losses.scalars[u])
      let weight = Double(weights.scalars[u])
      let contribution = weight == 0 ? 0 : loss * weight
      total += contribution
      var flags: [Flag] = []
      let span = (u * width)..<((u + 1) * width)
      let isClipped = span.contains { clipped[$0] }
      if isClipped { flags.append(.clipped) }
      if let sampleWeights, sampleWeights[u] == 0 { flags.append(.weightedToZero) }
      if weight == 0, !flags.contains(.weightedToZero), hasMask || ignoresClass {
        flags.append(ignoresClass ? .ignored : .masked)
      }
      if !isClipped, weight != 0, span.allSatisfy({ inputGradient.scalars[$0] == 0 }) { flags.append(.saturated) }
      if !loss.isFinite { flags.append(.nonFinite) }
      for flag in flags { counts.add(flag) }
      var position: [Int] = []
      var rest = u
      for stride in positions {
        position.append(rest / Swift.max(stride, 1))
        rest %= Swift.max(stride, 1)
      }
      elements.append(
        Element(
          index: u, position: position,
          yTrue: request.yTrue.count == units ? request.yTrue.scalars[u] : nil,
          yPred: perElement ? Double(t[input].scalars[u]) : nil, loss: loss, contribution: contribution, share: 0,
          flags: flags))
    }
    for i in elements.indices { elements[i].share = total == 0 ? 0 : elements[i].contribution / total }
    explanation.granularity = perElement ? "element" : "row"
    explanation.elementCount = units
    explanation.total = outputValue.isScalar ? Double(outputValue.scalars[0]) : (S.dtype == .float32 ? Double(Float(total)) : total)
    explanation.flagCounts = counts
    if units > maximumListed {
      elements.sort { Swift.abs($0.contribution) > Swift.abs($1.contribution) || ($0.contribution.isNaN && !$1.contribution.isNaN) }
      elements = Array(elements.prefix(maximumListed))
      explanation.elementsTruncated = true
    }
    explanation.elements = elements
    return explanation
  }

  /// The node holding the per-element (or per-row) losses: the last result of an
  /// `elementwise-loss`, `fused-kernel`, `focal-factor`, `class-weights` or `mask` step
  /// recorded before the loss is reduced or weighted, with `y_pred`'s shape or its shape
  /// without the class axis.
  static func contributionNode<S: LossScalar>(
    _ t: LossTrace<S>, chains: [[Int]], lastNode: [Int?], output: Int, yPredShape: [Int]
  ) -> Int? {
    let reducing: Set<StepID> = [.axisReduction, .sampleWeight, .reduction]
    let producing: Set<StepID> = [.elementwiseLoss, .fusedKernel, .focalFactor, .classWeights, .mask]
    let firstReducing = t.nodes.indices.first { i in chains[i].contains { reducing.contains(t.steps[$0].step.id) } } ?? t.nodes.count
    // y_pred's shape (or as a column, scikit-learn's (n_samples, n_outputs)), without its
    // last axis (Keras's classes), or without dim 1 (torch's).
    var shapes = [yPredShape, yPredShape + [1], Array(yPredShape.dropLast())]
    if yPredShape.count >= 3 { shapes.append(Shape.removing(1, from: yPredShape)) }
    var best: Int? = nil
    for (index, recorded) in t.steps.enumerated() where producing.contains(recorded.step.id) {
      guard let node = lastNode[index], node < firstReducing else { continue }
      let candidate = t.nodes[node]
      if case .constant = candidate.operation { continue }
      guard candidate.isDifferentiable, shapes.contains(candidate.value.shape) else { continue }
      best = Swift.max(best ?? node, node)
    }
    if best == nil, shapes.contains(t.nodes[output].value.shape) { best = output }
    return best
  }
}
