import CLossKitKernels
/// A likely mistake in the inputs of a loss, found before computing it: `compute`,
/// `explain` and `compare` print these on stderr (and as `warnings` in `--json`).
public struct LintWarning: Sendable, Equatable, Encodable {
  /// A stable identifier (docs/explain.md lists them).
  public var id: String
  public var message: String

  public init(_ id: String, _ message: String) {
    self.id = id
    self.message = message
  }
}

/// Checks inputs against what a loss reads them as (its ``FamilyMember``'s prediction
/// and target forms): probabilities that look like logits and the reverse, rows that do
/// not sum to one, {−1, 1} labels for a {0, 1} loss and the reverse, class indices
/// where one-hot rows are expected, a class axis that looks transposed, and
/// probabilities that look like a second softmax or sigmoid.
public enum InputLint {
  /// The warnings for calling the loss of `definition` with `parameters`; none for a
  /// loss that is in no family.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func warnings<S: LossScalar>(
    definition: LossDefinition, parameters: ParameterList, yTrue: Tensor<S>, yPred: Tensor<S>,
    families: LossFamilies = .standard
  ) -> [LintWarning] {
    guard let member = families.member(of: definition, parameters: parameters, yTrue: yTrue, yPred: yPred) else { return [] }
    // The checks read the class axis last: torch's (N, C, d1, …) has it at dimension 1.
    guard member.classAxis == .dim1, yPred.rank >= 3 else { return warnings(member: member, yTrue: yTrue, yPred: yPred) }
    let order = [0] + Array(2..<yPred.rank) + [1]
    let moved = yTrue.rank == yPred.rank ? yTrue.transposed(order) : yTrue
    return warnings(member: member, yTrue: moved, yPred: yPred.transposed(order))
  }

  /// The warnings for `member` on these inputs (class axis last).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func warnings<S: LossScalar>(member: FamilyMember, yTrue: Tensor<S>, yPred: Tensor<S>) -> [LintWarning] {
    var found: [LintWarning] = []
    let name = member.loss
    // One pass over each input (they can be large), NaN skipped.
    let p = ValueSummary(yPred.scalars)
    let y = ValueSummary(yTrue.scalars)
    let classes = yPred.shape.last ?? 1
    let rows = yPred.rank >= 1 && classes > 0 ? yPred.count / classes : 0
    let isUnitInterval = p.count > 0 && p.min >= 0 && p.max <= 1
    let categorical = member.targets == .distribution || member.targets == .classIndices

    switch member.form {
    case .probabilities:
      if p.count > 0, p.min < 0 || p.max > 1 {
        found.append(
          LintWarning(
            "logits-for-probabilities",
            "y_pred has values outside [0, 1] (from \(number(p.min)) to \(number(p.max))): they look like logits, but \(name) reads probabilities (pass from_logits=true, or apply a sigmoid/softmax first)"
          ))
      }
      if categorical, classes >= 2, rows > 0 {
        let sums = rowSums(yPred)
        let off = sums.indices.filter { Swift.abs(sums[$0] - 1) > 1e-3 }
        if member.targets == .distribution, !off.isEmpty, isUnitInterval {
          found.append(
            LintWarning(
              "rows-not-normalized",
              "\(off.count) of \(sums.count) rows of y_pred do not sum to 1 (row \(off[0]) sums to \(number(sums[off[0]]))); \(name) divides them by their sum first"
            ))
        }
        if off.isEmpty, classes >= 3, rows >= 1 {
          let narrow = (0..<rows).allSatisfy { r in
            let row = yPred.scalars[(r * classes)..<((r + 1) * classes)]
            guard let lo = row.min(), let hi = row.max(), lo > 0 else { return false }
            return hi / lo <= 2.7183
          }
          if narrow {
            found.append(
              LintWarning(
                "softmax-applied-twice",
                "every row of y_pred is within a factor e of uniform (max/min ≤ 2.72), which is what softmax of probabilities gives: softmax looks applied twice"
              ))
          }
        }
      } else if member.targets == .binary, p.count >= 4, p.min >= 0.5, p.max <= 0.7311 {
        found.append(
          LintWarning(
            "sigmoid-applied-twice",
            "every y_pred lies in [0.5, 0.731], the range of sigmoid over [0, 1]: a sigmoid looks applied to probabilities"))
      }
    case .logits:
      if categorical, classes >= 2, rows > 0, isUnitInterval, rowsSumToOne(yPred) {
        found.append(
          LintWarning(
            "probabilities-for-logits",
            "the rows of y_pred sum to 1 like probabilities, but \(name) applies softmax to y_pred: softmax would be applied twice"))
      } else if !categorical, p.count >= 2, isUnitInterval {
        found.append(
          LintWarning(
            "probabilities-for-logits",
            "every y_pred lies in [0, 1] like probabilities, but \(name) reads logits and applies a sigmoid: a sigmoid would be applied twice"))
      }
    default:
      break
    }

    let signed = y.count > 0 && y.allSigned && y.containsMinusOne
    let binary = y.count > 0 && y.allBinary && y.containsZero
    switch member.targets {
    case .binary, .distribution:
      if signed {
        found.append(
          LintWarning(
            "signed-labels-for-binary",
            "y_true holds labels in {−1, 1}, but \(name) expects {0, 1}: a −1 is not a negative label (use (y + 1) / 2)"))
      }
    case .signed:
      if binary {
        found.append(
          LintWarning(
            "binary-labels-for-signed",
            "y_true holds labels in {0, 1}, but \(name) expects {−1, 1}: a 0 label costs max(0, 1 − 0·p) = 1 whatever the prediction (use 2·y − 1)"
          ))
      }
    default:
      break
    }

    if member.targets == .distribution, yPred.rank >= 1, classes >= 2 {
      let integral = y.count > 0 && y.allNonNegativeIntegral
      let indexShape =
        yTrue.shape == Array(yPred.shape.dropLast()) || (yTrue.rank == yPred.rank && yTrue.shape.last == 1)
      if integral && (indexShape || (yTrue.shape == yPred.shape && y.max > 1)) {
        found.append(
          LintWarning(
            "class-indices-for-one-hot",
            "y_true looks like integer class indices (shape \(Shape.describe(yTrue.shape))), but \(name) expects one-hot rows: use the sparse loss or one-hot encode y_true"
          ))
      } else if yTrue.shape == yPred.shape, yTrue.rank == 2, yTrue.shape[0] != yTrue.shape[1] {
        let rowsOneHot = rowSums(yTrue).allSatisfy { Swift.abs($0 - 1) <= 1e-6 }
        let columns = yTrue.transposed([1, 0])
        let columnsOneHot = rowSums(columns).allSatisfy { Swift.abs($0 - 1) <= 1e-6 }
        if !rowsOneHot && columnsOneHot {
          found.append(
            LintWarning(
              "transposed-class-axis",
              "the columns of y_true sum to 1, not its rows: the class axis looks transposed (\(name) expects (N, C) with the classes last)"
            ))
        }
      }
    }
    return found
  }

  /// What the checks ask of an input's values other than NaN, read in one pass.
  struct ValueSummary {
    var count = 0
    var min = Double.infinity
    var max = -Double.infinity
    /// Each value is −1 or 1; each is 0 or 1; each is a non-negative integer (or +∞).
    var allSigned: Bool, allBinary: Bool, allNonNegativeIntegral: Bool
    var containsMinusOne: Bool, containsZero: Bool

    init<S: LossScalar>(_ values: [S]) {
      // One vectorised pass whatever the values (inputs can be large).
      var summary = lk_value_summary()
      values.withUnsafeBytes { raw in
        if S.self == Float.self {
          let floats = raw.assumingMemoryBound(to: Float.self)
          lk_summarise_floats(floats.baseAddress, floats.count, &summary)
        } else if S.self == Double.self {
          let doubles = raw.assumingMemoryBound(to: Double.self)
          lk_summarise_values(doubles.baseAddress, doubles.count, &summary)
        } else {
          let doubles = values.map(Double.init)
          lk_summarise_values(doubles, doubles.count, &summary)
        }
      }
      count = Int(summary.numbers)
      min = summary.min
      max = summary.max
      allSigned = summary.ones + summary.minus_ones == summary.numbers
      allBinary = summary.ones + summary.zeros == summary.numbers
      allNonNegativeIntegral = summary.integral == summary.numbers
      containsMinusOne = summary.minus_ones > 0
      containsZero = summary.zeros > 0
    }
  }

  /// The sum of each row (along the last axis); none for a scalar or an empty last axis.
  static func rowSums<S: LossScalar>(_ t: Tensor<S>) -> [Double] {
    guard let c = t.shape.last, c > 0, t.rank >= 1 else { return [] }
    return (0..<(t.count / c)).map { r in t.scalars[(r * c)..<((r + 1) * c)].reduce(0) { $0 + Double($1) } }
  }

  /// Whether `t` has rows and every one sums to 1 within 1e-3 (probabilities, one-hot
  /// or soft labels).
  static func rowsSumToOne<S: LossScalar>(_ t: Tensor<S>) -> Bool {
    guard let c = t.shape.last, c > 0 else { return false }
    return rowSums(t).allSatisfy { Swift.abs($0 - 1) <= 1e-3 }
  }

  static func number(_ d: Double) -> String { Double(Float(d)) == d ? "\(Float(d))" : "\(d)" }
}
