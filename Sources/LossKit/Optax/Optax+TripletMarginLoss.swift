extension Optax {
  /// A `norm_degree`: a Python integer (`x ** q` is `lax.integer_pow`) or a float
  /// (`lax.pow`).
  public enum NormDegree: Sendable, Hashable, ParameterConvertible, ExpressibleByIntegerLiteral {
    case integer(Int)
    case real(Double)

    public init(integerLiteral value: Int) { self = .integer(value) }
    public init?(parameterValue: ParameterValue) {
      switch parameterValue {
      case .int(let q): self = .integer(q)
      case .float(let q): self = .real(q)
      default: return nil
      }
    }
    public var parameterValue: ParameterValue {
      switch self {
      case .integer(let q): .int(q)
      case .real(let q): .float(q)
      }
    }
    public static var parameterExpectation: String { "a number (an integer is an integer power, as in Python)" }
    var value: Double {
      switch self {
      case .integer(let q): Double(q)
      case .real(let q): q
      }
    }
  }

  /// `optax.losses.triplet_margin_loss(anchors, positives, negatives, axis=-1,
  /// norm_degree=2, margin=1.0, eps=1e-6)`: `max(d(a, p) − d(a, n) + margin, 0)` with
  /// `d(a, b) = (Σ (a − b)^q + eps)^(1/q)` — eps inside the root and no `abs`, so an odd
  /// `q` sums signed powers (`q = 3` gives NaN for a negative sum). At the margin the
  /// tie of `maximum` halves the gradient.
  ///
  /// Case format: `y_pred` = `anchors`, `y_true` = `positives`; `negatives` is a
  /// parameter.
  public struct TripletMarginLoss: DeclaredLoss {
    public var negatives: Tensor<Double>?
    public var axis = -1
    public var normDegree: NormDegree = 2
    public var margin = 1.0
    public var eps = 1e-6

    public init() {}
    public init(negatives: Tensor<Double>, axis: Int = -1, normDegree: NormDegree = 2, margin: Double = 1, eps: Double = 1e-6) {
      self.negatives = negatives
      self.axis = axis
      self.normDegree = normDegree
      self.margin = margin
      self.eps = eps
    }

    public static let declaration = LossDeclaration<Self>(
      .optax, "triplet_margin_loss", summary: "max(d(a, p) − d(a, n) + margin, 0), d = (Σ(a − b)^q + eps)^(1/q)",
      parameters: [
        LossParameter(required: "negatives", \.negatives, "the negative embeddings"),
        LossParameter("axis", \.axis, "axis of the embedding features"),
        LossParameter("norm_degree", \.normDegree, "the degree q of the distance"),
        LossParameter("margin", \.margin, "the margin between the distances"),
        LossParameter("eps", \.eps, "added inside the root"),
      ],
      inputNames: InputNames(yTrue: "positives", yPred: "anchors"), acceptsSampleWeight: false,
      notes: Optax.commonNotes + [
        ConventionNote("case format", "y_pred is anchors, y_true is positives, negatives a parameter; the gradient is w.r.t. anchors"),
        ConventionNote("odd norm_degree", "no abs: q = 1 sums signed differences, q = 3 gives NaN for a negative sum (torch takes |a − b|)"),
      ], ignoredParameters: [])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (positives, anchors) = try Optax.recordInputs(&t, inputs, Self.declaration.inputNames)
      let negatives = t.constant(try self.negatives.unwrapped(parameter: "negatives").converted() as Tensor<S>, name: "negatives")
      func distance(_ t: inout LossTrace<S>, _ other: LossTrace<S>.Value, _ name: String) throws -> LossTrace<S>.Value {
        let difference = try t.subtract(anchors, other, argument: name)
        let powered: LossTrace<S>.Value
        switch normDegree {
        case .integer(let q): powered = JAXOps.integerPow(&t, difference, q)
        case .real(let q): powered = JAXOps.pow(&t, difference, S(q))
        }
        let resolved = try Shape.resolve(axis: axis, rank: t.shape(powered).count)
        let summed = t.add(t.sum(powered, axis: resolved), S(eps))
        return JAXOps.pow(&t, summed, S(1 / normDegree.value))
      }
      let positive = try t.step("distance", "d(anchors, positives)") { t in try distance(&t, positives, "positives") }
      let negative = try t.step("distance", "d(anchors, negatives)") { t in try distance(&t, negatives, "negatives") }
      return try t.step(.elementwiseLoss, "max(d_pos − d_neg + margin, 0)", [.number("margin", margin)]) { t in
        t.maximum(t.add(try t.subtract(positive, negative), S(margin)), 0)
      }
    }
  }
}
