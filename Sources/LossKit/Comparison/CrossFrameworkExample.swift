/// One input run through "the same" loss of every framework, with the reason each
/// framework's number differs: the table `losskit` prints with no arguments.
public struct CrossFrameworkExample: Sendable {
  /// One framework's version of the loss.
  public struct Row: Sendable {
    public var framework: Framework
    public var loss: String
    public var parameters: ParameterList
    /// Why this framework's number is what it is, in one line.
    public var reason: String
  }

  /// The computed value of a row.
  public struct Result: Sendable {
    public var row: Row
    /// The loss as the framework reports it (a mean when the op has no reduction).
    public var value: Double
    /// The per-element losses, before any mean.
    public var elements: [Double]
    /// Whether the loss returned several values (no reduction) and ``value`` is their mean.
    public var isMeanOfUnreducedValues: Bool = false
  }

  public var title: String
  public var yTrue: Tensor<Double>
  public var yPred: Tensor<Double>
  public var dtype: DType
  public var rows: [Row]

  /// `y_true = [1, 1, 1]`, `y_pred = [1, 1, 0]`: binary cross-entropy in every framework.
  public static let binaryCrossentropy = CrossFrameworkExample(
    title: "Binary cross-entropy of y_true = [1, 1, 1], y_pred = [1, 1, 0]",
    yTrue: Tensor([1, 1, 1]), yPred: Tensor([1, 1, 0]), dtype: .float32,
    rows: [
      Row(
        framework: .keras, loss: "BinaryCrossentropy", parameters: [:],
        reason: "clips y_pred to [1e-7, 1 − 1e-7], then log(p): the 0 costs −log(1e-7) = 16.118; "
          + "in float32 1 − 1e-7 rounds to 1 − 2⁻²³, so each 1 costs 1.19e-7"),
      Row(
        framework: .tfKeras, loss: "BinaryCrossentropy", parameters: [:],
        reason: "clips and also adds 1e-7 inside each log: the 0 costs −log(2e-7) = 15.425, each 1 costs 0"),
      Row(
        framework: .tf, loss: "sigmoid_cross_entropy_with_logits", parameters: [:],
        reason: "a logits op: reads y_pred as logits, so 1 costs log(1 + e⁻¹) = 0.313 and 0 costs log 2; "
          + "no reduction (mean shown)"),
      Row(
        framework: .sklearn, loss: "log_loss", parameters: ["labels": .tensor(Tensor([0, 1]))],
        reason: "clips to [ε, 1 − ε] with ε the machine epsilon of y_proba's dtype, 2⁻²³ in float32: the 0 costs "
          + "−log(1.19e-7) = 15.942 (in float64 −log(2.2e-16) = 36.04, mean 12.0146); needs labels= as y_true holds one class"),
      Row(
        framework: .torch, loss: "BCELoss", parameters: [:],
        reason: "no clipping: log(0) is clamped at −100, so the 0 costs 100 and the mean is 100/3; "
          + "its backward (x − y)/max((1 − x)·x, 1e-12) is −1e12 there"),
      Row(
        framework: .torch, loss: "BCEWithLogitsLoss", parameters: [:],
        reason: "reads y_pred as logits, like tf.nn: log(1 + e⁻¹) = 0.313 for each 1, log 2 for the 0; mean over elements"),
      Row(
        framework: .tfV1, loss: "log_loss", parameters: [:],
        reason: "no clip, ε = 1e-7 inside each log only: the 0 costs −log(1e-7) = 16.118, each 1 costs "
          + "−log(1 + 1e-7) = −1.19e-7 (negative); mean over the non-zero weights, Keras 3's number by another route"),
      Row(
        framework: .optax, loss: "sigmoid_binary_cross_entropy", parameters: [:],
        reason: "also reads y_pred as logits, −y·log σ(x) − (1 − y)·log σ(−x) via logaddexp: tf.nn's numbers; "
          + "optax never reduces (mean shown)"),
    ])

  /// Computes every row with `registry`. A row whose loss is missing from the registry
  /// is skipped.
  public func evaluate(registry: LossRegistry = .standard) throws -> [Result] {
    try rows.compactMap { row in
      guard let definition = try? registry.definition(named: row.loss, framework: row.framework) else { return nil }
      let request = LossRequest(
        framework: row.framework, loss: row.loss, parameters: row.parameters, yTrue: yTrue, yPred: yPred,
        dtype: dtype)
      let reported = try registry.evaluate(request).loss
      // Per element: the same loss on (n, 1) inputs with no reduction.
      var perElement = request
      perElement.yTrue = yTrue.reshaped(to: yTrue.shape + [1])
      perElement.yPred = yPred.reshaped(to: yPred.shape + [1])
      if definition.parameters.contains(where: { $0.name == "reduction" }) {
        perElement.parameters["reduction"] = .string("none")
      }
      var elements = try registry.evaluate(perElement).loss.scalars
      if elements.count != yPred.count {
        // A metric that always averages (scikit-learn's): each element on its own.
        elements = try (0..<yPred.count).map { i in
          var single = request
          single.yTrue = Tensor([yTrue.scalars[i]])
          single.yPred = Tensor([yPred.scalars[i]])
          return try registry.evaluate(single).loss.scalars[0]
        }
      }
      let value = reported.count == 1 ? reported.scalars[0] : reported.scalars.reduce(0, +) / Double(reported.count)
      return Result(
        row: row, value: dtype == .float32 ? Double(Float(value)) : value, elements: elements,
        isMeanOfUnreducedValues: reported.count != 1)
    }
  }
}
