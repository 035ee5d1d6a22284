extension Optax {
  /// `optax.smooth_labels(labels, alpha, *, axis=-1, where=None)`: label smoothing,
  /// `(1 − α)·labels + α/K` with `K` the number of classes along `axis` (the product of
  /// the sizes for several axes, every element for `nil`), or the number of `true`
  /// entries of `where` along it.
  ///
  /// As in Python, `1 − α` and, without `where`, `α/K` are computed in double precision
  /// and then rounded to `S`; with `where`, `α/K` is a division in `S` (an array op).
  /// Feeding the result to `softmax_cross_entropy` equals torch's unweighted
  /// probability-target smoothing.
  ///
  /// - Throws: ``LossError/invalidParameter(name:expected:got:)`` for an axis out of
  ///   range, ``LossError/shapeMismatch(argument:expected:got:)`` for a `where` that
  ///   does not broadcast.
  public static func smoothLabels<S: LossScalar>(
    _ labels: Tensor<S>, alpha: Double, axis: Axes = -1, where mask: Tensor<Bool>? = nil
  ) throws -> Tensor<S> {
    let axes = try axis.resolved(rank: labels.rank)
    let e = KernelEnvironment(.jax)
    let keep = S(1 - alpha)
    let scaled = labels.map { e.flushed(keep * $0) }
    guard let mask else {
      let categories = axes.reduce(1) { $0 * labels.shape[$1] }
      let offset = S(alpha / Double(categories))
      return scaled.map { e.flushed($0 + offset) }
    }
    guard let shape = Shape.broadcast(labels.shape, mask.shape) else {
      throw LossError.shapeMismatch(
        argument: "where", expected: "a shape that broadcasts with labels \(Shape.describe(labels.shape))",
        got: Shape.describe(mask.shape))
    }
    let counts = Kernels.reduce(.sum, mask.map { $0 ? S(1) : 0 }, axes: try axis.resolved(rank: mask.rank), keepDims: true, e)
    let offsets = counts.map { e.flushed(S(alpha) / $0) }
    return Kernels.zip(Kernels.broadcast(scaled, to: shape), Kernels.broadcast(offsets, to: shape)) { e.flushed($0 + $1) }
  }
}
