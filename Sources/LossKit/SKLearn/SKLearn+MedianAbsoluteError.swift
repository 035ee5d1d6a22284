extension SKLearn {
  /// `sklearn.metrics.median_absolute_error(y_true, y_pred, *, multioutput=
  /// "uniform_average", sample_weight=None)`: per output, the median of `|y_pred −
  /// y_true|` over the samples — `np.median` (the mean of the two middle values for an
  /// even count), or with sample weights scikit-learn's `_weighted_percentile(...,
  /// average=True)` (the "averaged inverted CDF": the value where the cumulative weight
  /// reaches half the total, averaged with the next one when it lands exactly on it).
  ///
  /// LossKit's gradient gives the selected element(s) of each output the whole
  /// incoming gradient, half each when two are averaged.
  public struct MedianAbsoluteError: DeclaredLoss {
    public var multioutput: Multioutput = .uniformAverage

    public init() {}
    public init(multioutput: Multioutput = .uniformAverage) { self.multioutput = multioutput }

    public static let declaration = LossDeclaration<Self>(
      .sklearn, "median_absolute_error", summary: "median of |y_pred − y_true| per output, weighted median with sample_weight (gradient: LossKit's)",
      parameters: [LossParameter("multioutput", \.multioutput, SKLearn.multioutputSummary)],
      inputNames: SKLearn.regressionInputs,
      notes: [
        SKLearn.gradientNote,
        ConventionNote("negative sample weights", "the cumulative weights are not monotonic; scikit-learn's binary search (reproduced here) still returns an element, which need not be a median"),
      ])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let targets = try SKLearn.regressionTargets(&t, inputs, multioutput: multioutput)
      let errors = try t.step(.elementwiseLoss, "|y_pred − y_true|") { t in t.abs(try t.subtract(targets.yPred, targets.yTrue)) }
      let values = t[errors]
      let weights = inputs.sampleWeight
      let medians = t.step(.reduction, weights == nil ? "np.median over the samples" : "weighted median over the samples (averaged inverted CDF)") { t in
        let selection = (0..<targets.outputs).map { column -> [(row: Int, share: S)] in
          let x = (0..<targets.samples).map { values.scalars[$0 * targets.outputs + column] }
          if let weights { return WeightedMedian.select(x, weights: weights.scalars) }
          return WeightedMedian.median(x)
        }
        let result = Tensor<S>(shape: [targets.outputs], scalars: selection.enumerated().map { column, picks in
          WeightedMedian.value(picks, column: column, values, outputs: targets.outputs)
        })
        let (samples, outputs) = (targets.samples, targets.outputs)
        return t.kernel(weights == nil ? "median" : "weighted_percentile", errors, value: result) { g in
          var gradient = [S](repeating: 0, count: samples * outputs)
          for (column, picks) in selection.enumerated() {
            for pick in picks { gradient[pick.row * outputs + column] += pick.share * g.scalars[column] }
          }
          return Tensor(shape: [samples, outputs], scalars: gradient)
        }
      }
      return try SKLearn.combineOutputs(&t, medians, multioutput)
    }
  }
}

/// The medians `median_absolute_error` takes: which elements of a column they pick,
/// and with what share.
enum WeightedMedian {
  /// `np.median`: the middle element of the sorted values, or the mean of the two
  /// middle ones.
  static func median<S: LossScalar>(_ x: [S]) -> [(row: Int, share: S)] {
    let order = x.indices.sorted { (x[$0], $0) < (x[$1], $1) }
    let n = order.count
    if n % 2 == 1 { return [(order[n / 2], 1)] }
    return [(order[n / 2 - 1], 0.5), (order[n / 2], 0.5)]
  }

  /// scikit-learn's `_weighted_percentile(x, w, percentile_rank=50, average=True)`.
  static func select<S: LossScalar>(_ x: [S], weights: [S]) -> [(row: Int, share: S)] {
    let n = x.count
    let order = x.indices.sorted { (x[$0], $0) < (x[$1], $1) }
    // xp.cumulative_sum: sequential, in the dtype.
    var cdf = [S](repeating: 0, count: n)
    var running: S = 0
    for (k, row) in order.enumerated() {
      running += weights[row]
      cdf[k] = running
    }
    var target = S(50) / 100 * cdf[n - 1]
    if target == 0 { target = S.leastNonzeroMagnitude }  // nextafter(0, 1)
    let last = n - 1
    let index = min(max(searchSorted(cdf, target, right: false), 0), last)
    let fractionAbove = cdf[index] - target
    if fractionAbove > S.ulpOfOne { return [(order[index], 1)] }
    var next = min(index + 1, last)
    if weights[order[next]] == 0 {
      // The next element weighs nothing: take the first whose cumulative weight is larger.
      next = searchSorted(cdf, cdf[index], right: true)
      if next > last { next = index }
    }
    return [(order[index], 0.5), (order[next], 0.5)]
  }

  /// `np.searchsorted(a, key, side)` by NumPy's binary search (defined for unsorted
  /// `a` too, as negative weights make the cumulative weights).
  static func searchSorted<S: LossScalar>(_ a: [S], _ key: S, right: Bool) -> Int {
    var low = 0
    var high = a.count
    while low < high {
      let middle = low + (high - low) >> 1
      if right ? a[middle] <= key : a[middle] < key { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The value of a selection in column `column` of the `(n, outputs)` values: the
  /// element itself, or `(a + b) / 2` in the dtype (`np.mean` of the two middle values
  /// adds them to zero first: the same number).
  static func value<S: LossScalar>(_ picks: [(row: Int, share: S)], column: Int, _ values: Tensor<S>, outputs: Int) -> S {
    let elements = picks.map { values.scalars[$0.row * outputs + column] }
    return elements.count == 1 ? elements[0] : (elements[0] + elements[1]) / 2
  }
}
