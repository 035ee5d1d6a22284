/// Every loss LossKit knows, looked up by framework and name. The CLI, `eval`, and
/// (later) `compare`, `explain` and `diagnose` all read this one list, so adding a loss
/// means adding its ``LossDefinition`` to its framework's list.
public struct LossRegistry: Sendable {
  public let definitions: [LossDefinition]

  public init(definitions: [LossDefinition]) { self.definitions = definitions }

  /// All built-in losses.
  public static let standard = LossRegistry(definitions: Keras.definitions + TFKeras.definitions + TF.definitions)

  /// The frameworks with at least one loss, in registry order.
  public var frameworks: [Framework] {
    Framework.allCases.filter { f in definitions.contains { $0.framework == f } }
  }

  /// The loss named `name`, in `framework` if given.
  ///
  /// - Throws: ``LossError/unknownLoss(name:framework:suggestions:)`` or, when no
  ///   framework is given and several have the name,
  ///   ``LossError/ambiguousLoss(name:frameworks:)``.
  public func definition(named name: String, framework: Framework? = nil) throws -> LossDefinition {
    let candidates = definitions.filter { $0.name == name && (framework == nil || $0.framework == framework) }
    if candidates.count == 1 { return candidates[0] }
    if candidates.count > 1 {
      throw LossError.ambiguousLoss(name: name, frameworks: candidates.map(\.framework.rawValue))
    }
    throw LossError.unknownLoss(name: name, framework: framework?.rawValue, suggestions: suggestions(for: name, in: framework))
  }

  /// Names close to `name`: same letters ignoring case and underscores, or a small
  /// edit distance.
  func suggestions(for name: String, in framework: Framework?) -> [String] {
    func squash(_ s: String) -> String { s.lowercased().filter { $0 != "_" } }
    let pool = definitions.filter { framework == nil || $0.framework == framework }
    let key = squash(name)
    var hits = pool.filter { squash($0.name) == key || editDistance(squash($0.name), key) <= max(2, key.count / 5) }
    if hits.isEmpty, framework != nil {
      // The name may exist in another framework.
      hits = definitions.filter { $0.name == name }
      return hits.map { "\($0.name) (--framework \($0.framework.rawValue))" }
    }
    var seen = Set<String>()
    return hits.map(\.name).filter { seen.insert($0).inserted }
  }

  /// Computes one loss and its gradient in the requested dtype.
  public func evaluate(_ request: LossRequest) throws -> LossResult {
    let definition = try self.definition(named: request.loss, framework: request.framework)
    if request.sampleWeight != nil && !definition.acceptsSampleWeight {
      throw LossError.invalidValue(
        argument: "sample_weight", expected: "none (\(definition.qualifiedName) takes no sample weight)", got: "a tensor")
    }
    let loss = try definition.make(request.parameters)
    switch request.dtype {
    case .float32:
      let result = try loss.evaluate(request.inputs(as: Float.self))
      return LossResult(
        definition: definition, dtype: .float32, loss: result.loss.converted(), gradient: result.gradient.converted())
    case .float64:
      let result = try loss.evaluate(request.inputs(as: Double.self))
      return LossResult(definition: definition, dtype: .float64, loss: result.loss, gradient: result.gradient)
    }
  }
}

/// One loss evaluation requested by name, with inputs in `Double` (exact for float32
/// data) and the dtype to compute in.
public struct LossRequest: Sendable {
  public var framework: Framework?
  public var loss: String
  public var parameters: [String: ParameterValue]
  public var yTrue: Tensor<Double>
  public var yPred: Tensor<Double>
  public var sampleWeight: Tensor<Double>?
  public var dtype: DType

  public init(
    framework: Framework?, loss: String, parameters: [String: ParameterValue] = [:], yTrue: Tensor<Double>,
    yPred: Tensor<Double>, sampleWeight: Tensor<Double>? = nil, dtype: DType = .float32
  ) {
    self.framework = framework
    self.loss = loss
    self.parameters = parameters
    self.yTrue = yTrue
    self.yPred = yPred
    self.sampleWeight = sampleWeight
    self.dtype = dtype
  }

  /// The inputs rounded to `S`, as the framework converts them to the loss dtype.
  public func inputs<S: LossScalar>(as _: S.Type) -> LossInputs<S> {
    LossInputs(yTrue: yTrue.converted(), yPred: yPred.converted(), sampleWeight: sampleWeight?.converted())
  }
}

/// The result of a ``LossRequest``; values are exact conversions of the computed `dtype`.
public struct LossResult: Sendable {
  public var definition: LossDefinition
  public var dtype: DType
  public var loss: Tensor<Double>
  public var gradient: Tensor<Double>
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a), b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var current = [i] + Array(repeating: 0, count: b.count)
    for j in 1...b.count {
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.count]
}
