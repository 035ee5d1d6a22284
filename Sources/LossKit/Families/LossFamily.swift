/// The stable name of a loss family: "the same" loss across frameworks, e.g.
/// `binary-crossentropy` for Keras's `BinaryCrossentropy`, `tf.nn.sigmoid_cross_entropy_with_logits`,
/// torch's `BCELoss`/`BCEWithLogitsLoss`, optax's `sigmoid_binary_cross_entropy` and
/// scikit-learn's `log_loss` on 1-D input.
public struct FamilyID: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
  CustomStringConvertible, Comparable
{
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (a: FamilyID, b: FamilyID) -> Bool { a.rawValue < b.rawValue }

  public static let binaryCrossentropy: FamilyID = "binary-crossentropy"
  public static let categoricalCrossentropy: FamilyID = "categorical-crossentropy"
  public static let sparseCategoricalCrossentropy: FamilyID = "sparse-categorical-crossentropy"
  /// Binary (sigmoid) focal cross-entropy.
  public static let focal: FamilyID = "focal"
  public static let categoricalFocal: FamilyID = "categorical-focal"
  public static let generalizedCrossentropy: FamilyID = "generalized-crossentropy"
  public static let nll: FamilyID = "nll"
  public static let mse: FamilyID = "mse"
  public static let mae: FamilyID = "mae"
  public static let huber: FamilyID = "huber"
  public static let logCosh: FamilyID = "log-cosh"
  public static let hinge: FamilyID = "hinge"
  public static let poisson: FamilyID = "poisson"
  public static let klDivergence: FamilyID = "kl-divergence"
  public static let cosineSimilarity: FamilyID = "cosine-similarity"
}

/// What a member reads `y_pred` as.
public enum PredictionForm: String, Sendable, Codable, CaseIterable {
  /// Probabilities in [0, 1] (Keras's default, torch `BCELoss`).
  case probabilities
  /// Unnormalised scores that the loss passes through a sigmoid or softmax itself.
  case logits
  /// Log-probabilities (torch `NLLLoss`, `KLDivLoss`'s input).
  case logProbabilities = "log-probabilities"
  /// The logarithm of a rate (`tf.nn.log_poisson_loss`, torch `PoissonNLLLoss(log_input=True)`).
  case logRates = "log-rates"
  /// Real-valued predictions (regression losses).
  case values
}

/// What a member reads `y_true` as.
public enum TargetForm: String, Sendable, Codable, CaseIterable {
  /// Labels in {0, 1}, or soft labels in [0, 1].
  case binary
  /// Labels in {−1, 1}, used as given (optax `hinge_loss`).
  case signed
  /// Labels in {−1, 1}, or {0, 1} that the loss converts to {−1, 1} itself (Keras's
  /// `Hinge` when every label is 0 or 1; scikit-learn's `hinge_loss` maps any two labels).
  case signedOrBinary = "signed-or-binary"
  /// One-hot or soft label rows along the class axis (Keras `CategoricalCrossentropy`).
  case distribution
  /// Integer class indices, one per row (`SparseCategoricalCrossentropy`, torch `NLLLoss`).
  case classIndices = "class-indices"
  /// Real-valued targets (regression losses).
  case values
}

/// Where a member expects the class axis of `y_pred`. Families are stated with the class
/// axis last (Keras's `axis=-1`); a `dim1` member (torch's `(N, C, d1, …)`) gets the last
/// axis moved to dimension 1 before it is called.
public enum ClassAxis: String, Sendable, Codable {
  case last
  case dim1
}

/// How a member's unreduced output relates to the per-element losses of its family.
public enum PerSampleRule: String, Sendable, Codable {
  /// The unreduced output has `y_pred`'s shape (tf.nn ops, torch and optax elementwise losses).
  case elements
  /// The unreduced output is the mean over the last axis (Keras's `BinaryCrossentropy`, `MeanSquaredError`).
  case meanOverLastAxis = "mean-over-last-axis"
  /// The unreduced output is the sum over the last axis (Keras's `KLDivergence`).
  case sumOverLastAxis = "sum-over-last-axis"
  /// One loss per row along the class axis (categorical and sparse cross-entropies).
  case rows
}

/// A family-level reduction, translated to each member's own parameter values.
public enum FamilyReduction: String, Sendable, Codable, CaseIterable, ParameterChoice {
  /// The member's averaging reduction (Keras `sum_over_batch_size`, torch `mean`).
  case mean
  case sum
  case none
}

/// A member's `reduction` parameter and its values for the family-level reductions
/// (strings for Keras, torch and tf.compat.v1, a boolean for scikit-learn's `normalize`),
/// or ``alwaysMean`` for a metric with no reduction parameter.
public struct ReductionTranslation: Sendable, Equatable {
  /// Nil for a metric that always averages (``alwaysMean``).
  public var parameter: String?
  /// Nil only for ``alwaysMean``: the mean is what the member computes anyway.
  public var mean: ParameterValue?
  /// Nil when the member cannot sum.
  public var sum: ParameterValue?
  /// Nil when the member cannot return unreduced values.
  public var none: ParameterValue?

  public init(parameter: String = "reduction", mean: ParameterValue, sum: ParameterValue?, none: ParameterValue?) {
    self.parameter = parameter
    self.mean = mean
    self.sum = sum
    self.none = none
  }

  public init(parameter: String = "reduction", mean: String, sum: String, none: String) {
    self.init(parameter: parameter, mean: .string(mean), sum: .string(sum), none: .string(none))
  }

  private init(alwaysMean: Void) {
    parameter = nil
    mean = nil
    sum = nil
    none = nil
  }

  /// The member's value for `reduction`, nil when it has none (or, for ``alwaysMean``,
  /// needs none: see ``supports(_:)``).
  public func value(for reduction: FamilyReduction) -> ParameterValue? {
    switch reduction {
    case .mean: mean
    case .sum: sum
    case .none: none
    }
  }

  /// Whether the member can compute `reduction`.
  public func supports(_ reduction: FamilyReduction) -> Bool {
    value(for: reduction) != nil || (reduction == .mean && parameter == nil)
  }

  /// The assignment that makes the member compute `reduction`; nil when it needs none
  /// (the mean of ``alwaysMean``) or cannot (see ``supports(_:)``).
  public func assignment(for reduction: FamilyReduction) -> ParameterAssignment? {
    guard let parameter, let value = value(for: reduction) else { return nil }
    return ParameterAssignment(parameter, value)
  }

  /// Keras 3: `sum_over_batch_size` / `sum` / `none`.
  public static let keras = ReductionTranslation(mean: "sum_over_batch_size", sum: "sum", none: "none")
  /// tf-keras: `auto` / `sum` / `none`.
  public static let tfKeras = ReductionTranslation(mean: "auto", sum: "sum", none: "none")
  /// torch.nn: `mean` / `sum` / `none`.
  public static let torch = ReductionTranslation(mean: "mean", sum: "sum", none: "none")
  /// tf.compat.v1.losses: `weighted_sum_by_nonzero_weights` (the default; the mean when
  /// no weight is zero) / `weighted_sum` / `none`.
  public static let tfV1 = ReductionTranslation(mean: "weighted_sum_by_nonzero_weights", sum: "weighted_sum", none: "none")
  /// scikit-learn's `log_loss`: `normalize=True` (the mean) or `False` (the sum), never unreduced.
  public static let sklearnNormalize = ReductionTranslation(parameter: "normalize", mean: .bool(true), sum: .bool(false), none: nil)
  /// A metric that always returns the (weighted) mean and has no parameter for anything
  /// else (scikit-learn's `mean_squared_error`, `hinge_loss`, …).
  public static let alwaysMean = ReductionTranslation(alwaysMean: ())
}

/// How a member takes the case format's `sample_weight`.
public enum SampleWeightTranslation: Sendable, Equatable {
  /// As `sample_weight`, as given (Keras and tf-keras broadcast per-sample weights over
  /// the trailing axes themselves; scikit-learn takes one weight per sample).
  case sampleWeight
  /// As `sample_weight`, broadcast first to the shape of the member's unreduced losses
  /// (tf.compat.v1's `weights` must have the losses' rank).
  case expandedSampleWeight
  /// As a tensor parameter of another name, broadcast to the shape of the unreduced
  /// losses (torch `BCELoss(weight=…)`, an elementwise rescaling weight).
  case parameter(String)
  /// Not at all: compare and diagnose weight the unreduced values themselves (torch's
  /// `weight=` of the cross-entropies is per class, not per sample).
  case none
}

/// One framework's loss (with the parameters that select a convention) as a member of a
/// family: what it reads its inputs as and how the family's parameters are spelled for it.
///
/// Members are declared in one table per framework (`Keras.familyMembers`,
/// `Torch.familyMembers`, …, in `<Framework>+Families.swift`), next to the framework's
/// registry list; ``LossFamilies/standard`` collects them. A new loss joins its family
/// by adding its row there.
public struct FamilyMember: Sendable {
  public var family: FamilyID
  public var framework: Framework
  /// The framework's own class or function name (as in the registry).
  public var loss: String
  /// The parameters that select this convention, in the framework's spelling
  /// (`from_logits=true`); everything else keeps the framework's default.
  public var parameters: ParameterList
  public var form: PredictionForm
  public var targets: TargetForm
  public var classAxis: ClassAxis
  /// The member's reduction parameter (``ReductionTranslation/alwaysMean`` for a metric
  /// that always averages), or nil when it returns unreduced values (tf.nn, optax): then
  /// compare shows their mean (or sum) and says so.
  public var reduction: ReductionTranslation?
  public var perSample: PerSampleRule
  /// Family parameter names (Keras's spelling: `label_smoothing`, `delta`, `gamma`)
  /// mapped to this member's; a family parameter missing here is one the member does not take.
  public var parameterNames: [String: String]
  public var sampleWeight: SampleWeightTranslation
  /// The parameter that makes the member compute in float64 whatever its inputs (Keras 3's
  /// `dtype`); nil when the member computes in its inputs' dtype.
  public var dtypeParameter: String?
  /// The member's convention in one line, as compare prints it.
  public var convention: String
  /// Shown by `compare` when the caller does not choose between probabilities and logits:
  /// the loss called with its defaults.
  public var isPrimary: Bool
  /// The parameter that takes the list of class labels (scikit-learn's `labels`): compare
  /// and diagnose pass `0, 1, …, C − 1` (`0, 1` for binary members), so that a `y_true`
  /// holding fewer classes than `y_pred` has columns still names all of them.
  public var classLabels: String?
  /// Whether the member reads 1-D arrays (scikit-learn's binary `log_loss` and
  /// `hinge_loss`): compare and diagnose pass the elements flattened in row-major order,
  /// with the sample weights broadcast to them.
  public var flattensInputs: Bool

  public init(
    _ family: FamilyID, _ framework: Framework, _ loss: String, parameters: ParameterList = [:],
    form: PredictionForm, targets: TargetForm, classAxis: ClassAxis = .last, reduction: ReductionTranslation?,
    perSample: PerSampleRule, parameterNames: [String: String] = [:], sampleWeight: SampleWeightTranslation = .sampleWeight,
    dtypeParameter: String? = nil, convention: String, isPrimary: Bool = true, classLabels: String? = nil,
    flattensInputs: Bool = false
  ) {
    self.family = family
    self.framework = framework
    self.loss = loss
    self.parameters = parameters
    self.form = form
    self.targets = targets
    self.classAxis = classAxis
    self.reduction = reduction
    self.perSample = perSample
    self.parameterNames = parameterNames
    self.sampleWeight = sampleWeight
    self.dtypeParameter = dtypeParameter
    self.convention = convention
    self.isPrimary = isPrimary
    self.classLabels = classLabels
    self.flattensInputs = flattensInputs
  }

  /// `framework/loss` with the selecting parameters, e.g. `keras/BinaryCrossentropy(from_logits=true)`.
  public var label: String {
    let selection = parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
    return "\(framework.rawValue)/\(loss)" + (selection.isEmpty ? "" : "(\(selection))")
  }
}

/// How fine the per-element losses of a family are.
public enum FamilyGranularity: String, Sendable, Codable {
  /// One loss per element of `y_pred` (binary cross-entropy, MSE, hinge, …).
  case element
  /// One loss per row along the class axis (categorical and sparse cross-entropies, cosine).
  case row
}

/// The x axis of `losskit plot` for a family.
public enum PlotDomain: String, Sendable, Codable {
  /// Probabilities in (0, 1), on a log-odds scale that opens up 0 and 1.
  case probability
  /// Real predictions on a linear scale around the target.
  case real
}

/// A family: its name, the shape of its inputs and how fine its per-element losses are.
public struct LossFamily: Sendable {
  public var id: FamilyID
  public var title: String
  /// The family's canonical target form (class axis last).
  public var targets: TargetForm
  public var granularity: FamilyGranularity
  /// Whether the loss is a logarithm, so that a log₂ or log₁₀ mistake scales it.
  public var isLogarithmic: Bool
  public var plot: PlotDomain
  /// The textbook formula (what a hand-written numpy implementation computes): the base
  /// of diagnose's epsilon, clipping and label mistakes. Nil when there is none.
  public var reference: ReferenceFormula?
  /// Family parameters compare accepts besides `reduction` and `from_logits`, with the
  /// default the reference formula uses (`delta` = 1 for Huber).
  public var parameters: [String: Double]

  public init(
    _ id: FamilyID, _ title: String, targets: TargetForm, granularity: FamilyGranularity, isLogarithmic: Bool,
    plot: PlotDomain, reference: ReferenceFormula?, parameters: [String: Double] = [:]
  ) {
    self.id = id
    self.title = title
    self.targets = targets
    self.granularity = granularity
    self.isLogarithmic = isLogarithmic
    self.plot = plot
    self.reference = reference
    self.parameters = parameters
  }
}
