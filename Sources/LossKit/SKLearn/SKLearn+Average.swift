/// NumPy's averages as scikit-learn calls them, recorded primitive by primitive.
///
/// `np.average(a)` is `a.mean()`: the pairwise sum (``PairwiseSummation``) divided by
/// the count. `np.average(a, weights=w)` is `multiply(a, w).sum() / w.sum()`, and raises
/// `ZeroDivisionError` when the weights sum to zero (exactly, in the dtype). Along
/// axis 0 of an `(n, k)` array, NumPy adds row after row for `k > 1` and pairwise for
/// `k = 1`; the engine's reductions do the same under the NumPy policy.
extension SKLearn {
  /// `np.average(x, weights=w)` over every element of `x`; `w` has the shape of `x`.
  /// `weightsName` is the argument an all-cancelling set of weights is reported on.
  static func average<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, weights: LossTrace<S>.Value?, weightsName: String = "sample_weight"
  ) throws -> LossTrace<S>.Value {
    guard let weights else {
      return t.step(.reduction, "np.average: mean", [.text("reduction", "mean"), .text("divisor", "element count")]) { t in t.mean(x) }
    }
    return try t.step(.reduction, "np.average: Σ x·w / Σ w", [.text("reduction", "weighted_mean"), .text("divisor", "sum of weights")]) { t in
      let scale = t.sum(weights)
      try requireNonZero(t[scale], weightsName)
      let total = t.sum(try t.multiply(x, weights, argument: weightsName))
      return try t.divide(total, scale)
    }
  }

  /// `np.average(x, axis=0, weights=w)` of an `(n, k)` array with `(n,)` weights: one
  /// value per column.
  static func averageOverSamples<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, weights: LossTrace<S>.Value?
  ) throws -> LossTrace<S>.Value {
    guard let weights else {
      return t.step(.reduction, "np.average(axis=0): mean over the samples", [.text("reduction", "mean"), .integer("axis", 0), .text("divisor", "batch size")]) { t in
        t.mean(x, axis: 0)
      }
    }
    return try t.step(.reduction, "np.average(axis=0): Σ x·w / Σ w over the samples", [.text("reduction", "weighted_mean"), .integer("axis", 0), .text("divisor", "sum of weights")]) { t in
      let column = t.reshape(weights, to: [t.shape(weights)[0], 1])
      let scale = t.sum(column, axis: 0)
      try requireNonZero(t[scale], "sample_weight")
      let total = t.sum(try t.multiply(x, column, argument: "sample_weight"), axis: 0)
      return try t.divide(total, scale)
    }
  }

  /// NumPy's `if np.any(scl == 0.0): raise ZeroDivisionError`.
  static func requireNonZero<S: LossScalar>(_ scale: Tensor<S>, _ name: String) throws {
    guard !scale.scalars.contains(0) else {
      let expected = "weights whose sum is not zero (NumPy: Weights sum to zero, can't be normalized)"
      if name == "sample_weight" {
        throw LossError.invalidValue(argument: name, expected: expected, got: "a sum of 0")
      }
      throw LossError.invalidParameter(name: name, expected: expected, got: "a sum of 0")
    }
  }
}
