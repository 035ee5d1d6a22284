/// The input checks of `sklearn.utils.validation` that the loss metrics run, as
/// LossKit errors naming the argument.
extension SKLearn {
  /// `check_array(x, ensure_2d=False)`: at least one sample (and one column), rank 1
  /// or 2, finite values.
  static func checkArray<S: LossScalar>(_ x: Tensor<S>, _ name: String, finite: Bool = true) throws {
    try checkSamples(x, name)
    guard x.rank <= 2 else {
      throw LossError.shapeMismatch(argument: name, expected: "an array of rank 1 or 2 (scikit-learn: dim <= 2)", got: Shape.describe(x.shape))
    }
    guard x.rank < 2 || x.shape[1] >= 1 else {
      throw LossError.shapeMismatch(argument: name, expected: "at least one column", got: Shape.describe(x.shape))
    }
    guard x.shape[0] >= 1 else {
      throw LossError.shapeMismatch(argument: name, expected: "at least one sample", got: Shape.describe(x.shape))
    }
    if finite { try requireEvery(x, name, "finite values (scikit-learn rejects NaN and infinity)") { $0.isFinite } }
  }

  /// `_num_samples`: an array of rank 0 is not a collection of samples.
  static func checkSamples<S>(_ x: Tensor<S>, _ name: String) throws {
    guard x.rank >= 1 else {
      throw LossError.shapeMismatch(argument: name, expected: "an array of samples (rank 1 or 2)", got: "a scalar")
    }
  }

  /// `check_consistent_length(...)`: the same number of samples (first dimension) in
  /// every array. The argument named is the first that differs from `reference`.
  static func checkConsistentLength<S>(
    _ reference: (name: String, tensor: Tensor<S>), _ others: [(name: String, tensor: Tensor<S>?)]
  ) throws {
    try checkSamples(reference.tensor, reference.name)
    let samples = reference.tensor.shape[0]
    for (name, tensor) in others {
      guard let tensor else { continue }
      try checkSamples(tensor, name)
      guard tensor.shape[0] == samples else {
        throw LossError.shapeMismatch(
          argument: name, expected: "\(samples) samples, as \(reference.name) (scikit-learn: inconsistent numbers of samples)",
          got: "\(tensor.shape[0]) (shape \(Shape.describe(tensor.shape)))")
      }
    }
  }

  /// `_check_sample_weight(sample_weight, X)`: finite, of shape `(n_samples,)`, not all
  /// zero. Negative weights are accepted.
  static func checkSampleWeight<S: LossScalar>(_ weights: Tensor<S>, samples: Int) throws {
    try requireEvery(weights, "sample_weight", "finite values") { $0.isFinite }
    guard weights.shape == [samples] else {
      throw LossError.shapeMismatch(argument: "sample_weight", expected: "shape (\(samples),) (one weight per sample)", got: Shape.describe(weights.shape))
    }
    guard weights.scalars.contains(where: { $0 != 0 }) else {
      throw LossError.invalidValue(argument: "sample_weight", expected: "at least one non-zero weight", got: "all zeros")
    }
  }

  /// Shape `(n,)` or `(n, 1)`: one value per sample (what `column_or_1d` accepts).
  static func isOneColumn<S>(_ x: Tensor<S>) -> Bool {
    x.rank == 1 || (x.rank == 2 && x.shape[1] == 1)
  }

  /// The value check scikit-learn makes of a whole array: the first element `accepts`
  /// rejects is reported on `argument`.
  static func requireEvery<S: LossScalar>(
    _ values: Tensor<S>, _ argument: String, _ expected: String, _ accepts: (S) -> Bool
  ) throws {
    if let bad = values.scalars.first(where: { !accepts($0) }) {
      throw LossError.invalidValue(argument: argument, expected: expected, got: "\(bad)")
    }
  }

  /// The distinct values of `labels`, sorted, as integers (`np.unique`); a value that is
  /// not an integer is not a class label (scikit-learn: "Unknown label type").
  static func classLabels<S: LossScalar>(_ labels: [S], argument: String) throws -> [Double] {
    var seen = Set<Double>()
    for value in labels {
      let v = Double(value)
      guard v.isFinite, v == v.rounded() else {
        throw LossError.invalidValue(argument: argument, expected: "integer class labels", got: "\(value)")
      }
      seen.insert(v == 0 ? 0 : v)
    }
    return seen.sorted()
  }
}
