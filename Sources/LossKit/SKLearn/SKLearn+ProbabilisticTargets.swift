/// How `log_loss` and `brier_score_loss` turn class labels and probabilities into two
/// `(n_samples, n_classes)` arrays.
extension SKLearn {
  /// `_validate_multiclass_probabilistic_prediction(y_true, y_proba, sample_weight,
  /// labels)`, in its order:
  ///
  /// 1. probabilities above 1 or below 0 raise;
  /// 2. the same number of samples in every array; valid sample weights;
  /// 3. the classes: sorted `labels`, or the distinct values of `y_true` (a
  ///    label-indicator `y_true` of 0s and 1s with two or more columns is used as it is);
  ///    `y_true` values outside `labels` raise, and so does a single class;
  /// 4. one-hot labels; a 1-D (or one-column) `y_proba` is the positive class's
  ///    probability and becomes the two columns `[1 − p, p]`;
  /// 5. rows that do not sum to one only warn (no renormalisation since 1.3);
  /// 6. the number of classes must be the number of columns.
  static func multiclassTargets<S: LossScalar>(
    _ t: inout LossTrace<S>, yTrue: Tensor<S>, yProba: LossTrace<S>.Value, sampleWeight: Tensor<S>?, labels: Tensor<Double>?
  ) throws -> (labels: Tensor<S>, probabilities: LossTrace<S>.Value) {
    let probabilities = t[yProba]
    try checkProbabilityRange(probabilities)
    try checkConsistentLength(("y_proba", probabilities), [("y_true", yTrue), ("sample_weight", sampleWeight)])
    if let sampleWeight { try checkSampleWeight(sampleWeight, samples: probabilities.shape[0]) }
    let encoded = try oneHot(yTrue, labels: labels)
    let columns = probabilities.rank == 1 ? 1 : probabilities.shape[1]
    let matrix = columns == 1 ? bothClasses(&t, yProba) : yProba
    guard encoded.classes == t.shape(matrix)[1] else {
      if labels == nil {
        throw LossError.shapeMismatch(
          argument: "y_true", expected: "\(t.shape(matrix)[1]) classes, the columns of y_proba (or pass labels=)",
          got: "\(encoded.classes) classes")
      }
      throw LossError.shapeMismatch(
        argument: "labels", expected: "\(t.shape(matrix)[1]) classes, the columns of y_proba", got: "\(encoded.classes) classes")
    }
    return (encoded.labels, matrix)
  }

  /// `y_proba contains values greater than 1` / `lower than 0`.
  static func checkProbabilityRange<S: LossScalar>(_ probabilities: Tensor<S>) throws {
    if let high = probabilities.scalars.max(), high > 1 {
      throw LossError.invalidValue(argument: "y_proba", expected: "probabilities in [0, 1]", got: "\(high)")
    }
    if let low = probabilities.scalars.min(), low < 0 {
      throw LossError.invalidValue(argument: "y_proba", expected: "probabilities in [0, 1]", got: "\(low)")
    }
  }

  /// `LabelBinarizer` fitted on `labels` (or on `y_true`), then `transform(y_true)`:
  /// the one-hot `(n_samples, n_classes)` matrix.
  static func oneHot<S: LossScalar>(_ yTrue: Tensor<S>, labels: Tensor<Double>?) throws -> (labels: Tensor<S>, classes: Int) {
    let samples = yTrue.shape[0]
    let isColumn = isOneColumn(yTrue)
    guard isColumn || yTrue.rank == 2 else {
      throw LossError.unsupported(argument: "y_true", message: "expected class labels (n_samples,) or a label-indicator matrix, got shape \(Shape.describe(yTrue.shape))")
    }
    if !isColumn {
      // A label-indicator matrix: LabelBinarizer keeps it as it is.
      guard yTrue.scalars.allSatisfy({ $0 == 0 || $0 == 1 }) else {
        throw LossError.unsupported(argument: "y_true", message: "a 2-D y_true must be a label-indicator matrix of 0s and 1s (scikit-learn does not binarize multiclass-multioutput targets)")
      }
      if let labels {
        _ = try givenClasses(labels, covering: yTrue)
        throw LossError.unsupported(argument: "y_true", message: "a label-indicator y_true cannot be combined with labels= (scikit-learn: the object was not fitted with multilabel input)")
      }
      return (yTrue, yTrue.shape[1])
    }
    let classes: [Double]
    if let labels {
      classes = try givenClasses(labels, covering: yTrue)
    } else {
      classes = try classLabels(yTrue.scalars, argument: "y_true")
      guard classes.count >= 2 else {
        throw LossError.invalidValue(
          argument: "y_true", expected: "at least two classes (or the classes given with labels=)",
          got: "the single class \(describe(classes))")
      }
    }
    var matrix = [S](repeating: 0, count: samples * classes.count)
    for (row, label) in yTrue.scalars.enumerated() {
      matrix[row * classes.count + classes.firstIndex(of: Double(label))!] = 1
    }
    return (Tensor(shape: [samples, classes.count], scalars: matrix), classes.count)
  }

  /// The classes of `labels=`, sorted: integers, every `y_true` value among them, and
  /// at least two (`LabelBinarizer.fit(labels)` and the checks after it).
  static func givenClasses<S: LossScalar>(_ labels: Tensor<Double>, covering yTrue: Tensor<S>) throws -> [Double] {
    let classes = try classLabels(labels.scalars, argument: "labels")
    if let outside = yTrue.scalars.first(where: { !classes.contains(Double($0)) }) {
      throw LossError.invalidValue(argument: "y_true", expected: "values among labels \(describe(classes))", got: "\(outside)")
    }
    guard classes.count >= 2 else {
      throw LossError.invalidParameter(name: "labels", expected: "at least two labels", got: describe(classes))
    }
    return classes
  }

  /// `concatenate([1 − p, p], axis=1)`: the probabilities of both classes from the
  /// positive class's, `(n,)` or `(n, 1)` to `(n, 2)`. Recorded as one kernel whose
  /// gradient is `g₁ − g₀`.
  static func bothClasses<S: LossScalar>(_ t: inout LossTrace<S>, _ p: LossTrace<S>.Value) -> LossTrace<S>.Value {
    let positive = t[p]
    var columns = [S]()
    columns.reserveCapacity(2 * positive.count)
    for v in positive.scalars { columns += [1 - v, v] }
    let shape = positive.shape
    return t.step("both-classes", "probabilities of both classes: [1 − p, p]") { t in
      t.kernel("concatenate", p, value: Tensor(shape: [positive.count, 2], scalars: columns)) { g in
        Tensor(shape: shape, scalars: (0..<(g.count / 2)).map { g.scalars[2 * $0 + 1] - g.scalars[2 * $0] })
      }
    }
  }

  static func describe(_ classes: [Double]) -> String {
    "[" + classes.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : "\($0)" }.joined(separator: ", ") + "]"
  }
}
