/// A common mistake (or a departure from a framework's default call) that `diagnose`
/// tries, with the documented identifier it reports (docs/explain.md lists them all) and
/// its prior cost: candidates that need fewer or more common mistakes rank first.
///
/// The catalogue follows user-pain.md: reduction denominators (§1), epsilon and clipping
/// (§2), logits vs probabilities (§3), label conventions (§7), precision (§9), log
/// base (§12).
public enum Mistake: String, Sendable, CaseIterable, Codable {
  // Denominators (user-pain §1).
  case sumInsteadOfMean = "sum-instead-of-mean"
  case divideByElementCount = "divide-by-element-count"
  case divideByBatchSize = "divide-by-batch-size"
  case divideByLastAxis = "divide-by-last-axis"
  case divideByNonzeroWeights = "divide-by-nonzero-weights"
  case divideByWeightSum = "divide-by-weight-sum"
  case meanOfPerSampleMeans = "mean-of-per-sample-means"
  // Epsilon value (§2).
  case epsilon1e7 = "epsilon-1e-7"
  case epsilon1e8 = "epsilon-1e-8"
  case epsilon1e12 = "epsilon-1e-12"
  case epsilon1e15 = "epsilon-1e-15"
  case epsilonMachine = "epsilon-machine"
  // Epsilon placement (§2).
  case clipOnly = "clip-only"
  case epsilonInsideLogOnly = "epsilon-inside-log-only"
  case clipAndEpsilonInsideLog = "clip-and-epsilon-inside-log"
  case logClampMinus100 = "log-clamp-minus-100"
  // Log base (§12).
  case log2InsteadOfLn = "log2-instead-of-ln"
  case log10InsteadOfLn = "log10-instead-of-ln"
  // Logits vs probabilities (§3).
  case logitsAsProbabilities = "logits-as-probabilities"
  case probabilitiesAsLogits = "probabilities-as-logits"
  case sigmoidAppliedTwice = "sigmoid-applied-twice"
  case softmaxAppliedTwice = "softmax-applied-twice"
  // Labels (§7).
  case labelSmoothing = "label-smoothing"
  case labelSmoothingTowardHalf = "label-smoothing-toward-0.5"
  case labelSmoothingTowardUniform = "label-smoothing-toward-1/C"
  case hingeLabels01Unconverted = "hinge-labels-01-unconverted"
  case hingeLabelsConvertedTwice = "hinge-labels-converted-twice"
  case transposedClassAxis = "transposed-class-axis"
  // Precision (§9).
  case float64InsteadOfFloat32 = "float64-instead-of-float32"
  case float32InsteadOfFloat64 = "float32-instead-of-float64"

  /// The prior cost of assuming this mistake: about 1 per mistake, a little more for the
  /// rarer ones; the epsilon value and its placement are half each (they come together).
  public var cost: Double {
    switch self {
    case .sumInsteadOfMean: 1.0
    case .divideByElementCount, .divideByBatchSize, .divideByLastAxis, .divideByNonzeroWeights, .divideByWeightSum: 1.2
    case .meanOfPerSampleMeans: 1.3
    case .epsilon1e7, .epsilon1e8, .epsilon1e12, .epsilon1e15, .epsilonMachine: 0.5
    case .clipOnly, .epsilonInsideLogOnly, .clipAndEpsilonInsideLog: 0.5
    case .logClampMinus100: 1.0
    case .log2InsteadOfLn, .log10InsteadOfLn: 1.5
    case .logitsAsProbabilities, .probabilitiesAsLogits: 1.0
    case .sigmoidAppliedTwice, .softmaxAppliedTwice: 1.2
    case .labelSmoothing: 1.5
    case .labelSmoothingTowardHalf, .labelSmoothingTowardUniform: 1.8
    case .hingeLabels01Unconverted, .hingeLabelsConvertedTwice: 1.0
    case .transposedClassAxis: 1.2
    case .float64InsteadOfFloat32, .float32InsteadOfFloat64: 1.0
    }
  }

  /// The epsilon value tag for `epsilon` (machine epsilon of `dtype` included).
  static func epsilonTag(_ epsilon: Double, dtype: DType) -> Mistake? {
    switch epsilon {
    case 1e-7: .epsilon1e7
    case 1e-8: .epsilon1e8
    case 1e-12: .epsilon1e12
    case 1e-15: .epsilon1e15
    case Double(Float.ulpOfOne), Double.ulpOfOne: .epsilonMachine
    default: nil
    }
  }

  /// The tags of a hand-written stability convention.
  static func tags(for stability: Stability, dtype: DType) -> [Mistake] {
    switch stability {
    case .none: return []
    case .logClamp: return [.logClampMinus100]
    case .clip(let e): return [.clipOnly] + [epsilonTag(e, dtype: dtype)].compactMap { $0 }
    case .epsilonInLog(let e): return [.epsilonInsideLogOnly] + [epsilonTag(e, dtype: dtype)].compactMap { $0 }
    case .clipAndEpsilonInLog(let e): return [.clipAndEpsilonInsideLog] + [epsilonTag(e, dtype: dtype)].compactMap { $0 }
    }
  }
}
