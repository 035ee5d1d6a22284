/// Sentences about typed steps, from their identifier and parameters: what `explain`
/// and `compare` print ("clips y_pred to [1e-07, 0.9999999]", "adds 1e-07 inside each
/// log", "clamps each log at −100", "divides by the sum of the weights").
///
/// The step parameters read here are the documented ones (docs/trace-format.md):
/// `lower`/`upper` (clip), `epsilon_in_log`, `from_logits`, `log_clamp`
/// (elementwise-loss), `label_smoothing`/`toward` (label-smoothing), `op`/`axis`
/// (axis-reduction), `divisor` (reduction), `function` (activation), `dtype` (inputs).
public enum StepDescription {
  /// What `step` does, in one clause.
  public static func describe(_ step: Step) -> String {
    switch step.id {
    case .inputs:
      return "evaluates in \(text(step[parameter: "dtype"]) ?? "its dtype")"
    case .clip:
      if let lower = number(step[parameter: "lower"]), let upper = number(step[parameter: "upper"]) {
        let epsilon = text(step[parameter: "epsilon"]).map { ", ε = \($0)" } ?? ""
        return "clips y_pred to [\(short(lower)), \(short(upper))]\(epsilon)"
      }
      return step.title
    case .elementwiseLoss:
      var clauses: [String] = []
      if case .bool(true)? = step[parameter: "from_logits"] { clauses.append("reads y_pred as logits: \(step.title)") }
      if let clamp = number(step[parameter: "log_clamp"]) { clauses.append("clamps each log at \(short(clamp))") }
      if let epsilon = number(step[parameter: "epsilon_in_log"]) {
        clauses.append(epsilon == 0 ? "takes log(p) with no ε inside the log" : "adds \(short(epsilon)) inside each log")
      }
      return clauses.isEmpty ? step.title : clauses.joined(separator: ", ")
    case .labelSmoothing:
      let amount = number(step[parameter: "label_smoothing"]).map(short) ?? "?"
      return "smooths the labels by \(amount) toward \(text(step[parameter: "toward"]) ?? "?")"
    case .normalize:
      return "divides y_pred by its sum over axis \(step[parameter: "axis"].map { "\($0)" } ?? "-1")"
    case .activation:
      return "applies \(text(step[parameter: "function"]) ?? "an activation") to y_pred"
    case .axisReduction:
      return "takes the \(text(step[parameter: "op"]) ?? "mean") over axis \(step[parameter: "axis"].map { "\($0)" } ?? "-1")"
    case .reduction:
      switch text(step[parameter: "divisor"]) {
      case "none"?: return "sums without dividing"
      case "element count"?: return "divides the sum by the number of elements"
      case "sum of weights"?: return "divides the sum by the sum of the weights"
      case "non-zero weights"?: return "divides the weighted sum by the number of non-zero weights"
      case "batch size"?: return "divides the sum by the batch size"
      case let other?: return "divides the sum by the \(other)"
      case nil: return step.title
      }
    case .fusedKernel:
      return "runs the framework's kernel: \(step.title)"
    default:
      return step.title
    }
  }

  /// What a row that lacks `step` does not do, in one clause ("no clip"), or nil when
  /// there is nothing short to say.
  public static func absence(_ step: Step) -> String? {
    switch step.id {
    case .clip: "no clip"
    case .labelSmoothing: "no label smoothing"
    case .normalize: "no normalisation of y_pred"
    case .activation: "no activation"
    case .axisReduction: "no \(text(step[parameter: "op"]) ?? "mean") over axis \(step[parameter: "axis"].map { "\($0)" } ?? "-1")"
    default: nil
    }
  }

  /// The parameters that make two steps compute differently: framework spellings
  /// (`reduction="auto"` vs `"sum_over_batch_size"`) are left out.
  static func signature(_ step: Step) -> [StepParameter] {
    let ignored: Set<String> = ["reduction", "elements", "valid", "classes"]
    return step.parameters.filter { !ignored.contains($0.name) }
  }

  static func number(_ value: ParameterValue?) -> Double? {
    switch value {
    case .float(let d)?: d
    case .int(let i)?: Double(i)
    default: nil
    }
  }

  static func text(_ value: ParameterValue?) -> String? {
    if case .string(let s)? = value { return s }
    return nil
  }

  /// The shortest float32 form when the number is a float32 (the clip bounds are),
  /// else the double's.
  static func short(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "−inf" : "inf" }
    let text =
      d == d.rounded() && Swift.abs(d) < 1e6 ? "\(Int(d))" : (Double(Float(d)) == d ? "\(Float(d))" : "\(d)")
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }
}
