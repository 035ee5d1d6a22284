import ArgumentParser
import Foundation
import LossKit
import LossKitIO

struct Plot: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Plot the per-element loss (or its derivative) of every framework's version of a family, as SVG.",
    discussion: """
      One curve per framework convention against the prediction. Probability families use a \
      log-odds x axis (10⁻⁴⁰ … 0.5 … 1 − 10⁻⁷), so the clip plateaus at ε = 1e-7, the float32 \
      rounding of 1 − ε and torch's −100 log clamp (the dashed reference curve until torch is \
      merged) are visible; the y axis is logarithmic, with 0 drawn on the bottom edge. Plain \
      SVG; render it with e.g. `rsvg-convert -o plot.png plot.svg`.

      Examples:
        losskit plot binary-crossentropy --out bce.svg
        losskit plot binary-crossentropy --y-true 0 --frameworks keras,tf_keras,numpy --out bce0.svg
        losskit plot binary-crossentropy --gradient --out bce-gradient.svg
      """)

  @Argument(help: "The loss family, e.g. binary-crossentropy.")
  var family: String

  @Option(help: "Only these frameworks (comma-separated; numpy = the reference formulas).")
  var frameworks: String?

  @Option(name: .customLong("y-true"), help: "The target: 1 or 0 (probability families), the target value otherwise.")
  var yTrue: Double = 1

  @Flag(help: "Plot the derivative with respect to y_pred instead of the loss.")
  var gradient = false

  @Option(
    help: ArgumentHelp("The dtype of the predictions.", valueName: "dtype"),
    transform: { try ChoiceArgument.parse($0, as: DType.self, option: "--dtype") })
  var dtype: DType = .float32

  @Option(help: "The SVG file to write.")
  var out: String

  func run() throws {
    let curves = try LossCurves.compute(
      FamilyID(rawValue: family), yTrue: yTrue, gradient: gradient,
      frameworks: frameworks.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
      dtype: dtype)
    guard !curves.curves.isEmpty else { throw InputError("--frameworks", "no framework of \(family) to plot") }
    let svg = SVGChart.render(curves)
    do { try svg.write(toFile: out, atomically: true, encoding: .utf8) } catch {
      throw InputError("--out", "cannot write \(out): \(error.localizedDescription)")
    }
    print("wrote \(out): \(curves.curves.count) curves (\(curves.curves.map(\.label).joined(separator: "; ")))")
  }
}

/// A line chart as plain SVG: axes, ticks, grid, legend, title.
enum SVGChart {
  static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"]

  static func render(_ c: LossCurves) -> String {
    let width = 960.0, height = 600.0
    let left = 80.0, right = 24.0, top = 56.0, bottom = 150.0
    let plotW = width - left - right, plotH = height - top - bottom
    // Probability families: the deep tail below 1e-10 (where only torch's clamp and
    // unbounded logits differ) is compressed so the clip region gets the room.
    let warp: (Double) -> Double = { s in c.domain == .probability && s < -10 ? -10 + (s + 10) * 0.3 : s }
    let xs = c.x.map(warp)
    let (xMin, xMax) = (xs.first ?? 0, xs.last ?? 1)
    // y: log scale over the positive magnitudes; zero (and what is below the range) on the bottom edge.
    let magnitudes = c.curves.flatMap { $0.values.map { Swift.abs($0) } }.filter { $0.isFinite && $0 > 0 }
    let maxMagnitude = magnitudes.max() ?? 1
    let yTopExp = Foundation.ceil(Foundation.log10(maxMagnitude))
    let yBottomExp = Swift.max(yTopExp - 12, Foundation.floor(Foundation.log10(magnitudes.min() ?? 1e-8)))
    func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
    func py(_ v: Double) -> Double {
      let m = Swift.abs(v)
      guard m.isFinite else { return top }
      guard m > 0 else { return top + plotH }
      let e = Swift.min(Swift.max(Foundation.log10(m), yBottomExp), yTopExp)
      return top + (yTopExp - e) / (yTopExp - yBottomExp) * plotH
    }
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(width / 2)" y="28" text-anchor="middle" font-size="17" font-weight="bold">\(escape(c.title))</text>

      """
    // Grid and y ticks (decades).
    var e = yBottomExp
    let stepE = Swift.max(1, Foundation.floor((yTopExp - yBottomExp) / 10))
    while e <= yTopExp {
      let y = top + (yTopExp - e) / (yTopExp - yBottomExp) * plotH
      svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#e6e6e6\"/>\n"
      svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"12\">\(escape(decade(e)))</text>\n"
      e += stepE
    }
    svg += "<text x=\"\(f(left - 8))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"end\" font-size=\"12\">0</text>\n"
    // x ticks.
    for (tick, label) in xTicks(c) where warp(tick) >= xMin && warp(tick) <= xMax {
      let x = warp(tick)
      svg += "<line x1=\"\(f(px(x)))\" y1=\"\(f(top))\" x2=\"\(f(px(x)))\" y2=\"\(f(top + plotH))\" stroke=\"#eeeeee\"/>\n"
      svg += "<line x1=\"\(f(px(x)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(x)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"black\"/>\n"
      svg += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 19))\" text-anchor=\"middle\" font-size=\"12\">\(escape(label))</text>\n"
    }
    if c.domain == .probability {
      // The Keras clip bounds.
      for (bound, label) in [(-7.0, "ε = 1e-7"), (6.9, "1 − ε")] {
        svg += "<line x1=\"\(f(px(bound)))\" y1=\"\(f(top))\" x2=\"\(f(px(bound)))\" y2=\"\(f(top + plotH))\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n"
        svg += "<text x=\"\(f(px(bound) + 4))\" y=\"\(f(top + 14))\" font-size=\"11\" fill=\"#666\">\(escape(label))</text>\n"
      }
    }
    // Curves.
    for (index, curve) in c.curves.enumerated() {
      let color = palette[index % palette.count]
      var path = ""
      var pen = false
      for (i, v) in curve.values.enumerated() where i < xs.count {
        guard !v.isNaN else {
          pen = false
          continue
        }
        path += (pen ? " L" : " M") + "\(f(px(xs[i]))),\(f(py(v)))"
        pen = true
      }
      let dash = curve.isReference ? " stroke-dasharray=\"7,4\"" : ""
      let widthStroke = curve.isReference ? 1.6 : 2.2
      svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(widthStroke)\"\(dash) stroke-linejoin=\"round\"/>\n"
    }
    if c.domain == .probability && !c.gradient { svg += inset(c, left: left, top: top, plotW: plotW, plotH: plotH) }
    // Axes.
    svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"black\"/>\n"
    let xLabel = c.domain == .probability ? "y_pred (probability of the target class; log-odds scale)" : "y_pred"
    svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH + 40))\" text-anchor=\"middle\" font-size=\"13\">\(escape(xLabel))</text>\n"
    let yLabel = c.gradient ? "|∂ loss / ∂ y_pred| (log scale)" : "per-element loss (log scale)"
    svg += "<text transform=\"translate(18,\(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(escape(yLabel))</text>\n"
    // Legend below the plot, two columns.
    let legendTop = top + plotH + 60
    for (index, curve) in c.curves.enumerated() {
      let column = Double(index % 2), row = Double(index / 2)
      let x = left + column * plotW / 2, y = legendTop + row * 20
      let color = palette[index % palette.count]
      let dash = curve.isReference ? " stroke-dasharray=\"7,4\"" : ""
      svg += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 28))\" y2=\"\(f(y))\" stroke=\"\(color)\" stroke-width=\"2.5\"\(dash)/>\n"
      svg += "<text x=\"\(f(x + 36))\" y=\"\(f(y + 4))\" font-size=\"12\">\(escape(curve.label))</text>\n"
    }
    svg += "</svg>\n"
    return svg
  }

  /// A zoom on the clip plateaus, linear in y: where Keras 3 (16.118, or 15.942 at p = 1),
  /// tf-keras (15.425) and the unclipped formulas part.
  static func inset(_ c: LossCurves, left: Double, top: Double, plotW: Double, plotH: Double) -> String {
    let nearZero = c.yTrue >= 0.5
    let (s0, s1) = nearZero ? (-12.0, -4.0) : (4.0, 9.0)
    let indices = c.x.indices.filter { c.x[$0] >= s0 && c.x[$0] <= s1 }
    guard let far = nearZero ? indices.first : indices.last else { return "" }
    let ends = c.curves.map { $0.values[far] }.filter { $0.isFinite }
    guard let lowest = ends.min() else { return "" }
    let yLo = Foundation.floor(lowest) - 0.5, yHi = yLo + 4
    let w = plotW * 0.34, h = plotH * 0.42
    // In the empty corner: below the plateaus for y_true = 1, above the small losses for 0.
    let x0 = left + 60, y0 = nearZero ? top + plotH - h - 30 : top + 40
    func ix(_ s: Double) -> Double { x0 + (s - s0) / (s1 - s0) * w }
    func iy(_ v: Double) -> Double { y0 + (yHi - Swift.min(Swift.max(v, yLo), yHi)) / (yHi - yLo) * h }
    var out = "<g>\n<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"white\" stroke=\"#444\"/>\n"
    out += "<text x=\"\(f(x0 + w / 2))\" y=\"\(f(y0 - 6))\" text-anchor=\"middle\" font-size=\"12\">zoom: the clip plateaus (linear scale)</text>\n"
    var v = Foundation.ceil(yLo)
    while v <= yHi {
      out += "<line x1=\"\(f(x0))\" y1=\"\(f(iy(v)))\" x2=\"\(f(x0 + w))\" y2=\"\(f(iy(v)))\" stroke=\"#eeeeee\"/>\n"
      out += "<text x=\"\(f(x0 - 4))\" y=\"\(f(iy(v) + 4))\" text-anchor=\"end\" font-size=\"11\">\(Int(v))</text>\n"
      v += 1
    }
    for (s, label) in (nearZero ? [(-12.0, "1e-12"), (-10, "1e-10"), (-8, "1e-8"), (-6, "1e-6"), (-4, "1e-4")]
      : [(4.0, "1 − 1e-4"), (6, "1 − 1e-6"), (8, "1 − 1e-8")]) {
      out += "<text x=\"\(f(ix(s)))\" y=\"\(f(y0 + h + 14))\" text-anchor=\"middle\" font-size=\"11\">\(escape(label))</text>\n"
    }
    for (index, curve) in c.curves.enumerated() {
      let color = palette[index % palette.count]
      var path = ""
      var pen = false
      for i in indices {
        let value = curve.values[i]
        guard value.isFinite || value == .infinity else { pen = false; continue }
        path += (pen ? " L" : " M") + "\(f(ix(c.x[i]))),\(f(iy(value)))"
        pen = true
      }
      let dash = curve.isReference ? " stroke-dasharray=\"7,4\"" : ""
      out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
      let end = curve.values[far]
      if end.isFinite && end >= yLo && end <= yHi {
        let labelX = nearZero ? x0 + 4 : x0 + w - 4
        out += "<text x=\"\(f(labelX))\" y=\"\(f(iy(end) - 3))\" text-anchor=\"\(nearZero ? "start" : "end")\" font-size=\"10\" fill=\"\(color)\">\(escape(String(format: "%.3f", end)))</text>\n"
      }
    }
    return out + "</g>\n"
  }

  static func xTicks(_ c: LossCurves) -> [(Double, String)] {
    guard c.domain == .probability else {
      let lo = Foundation.ceil(c.x.first ?? 0), hi = Foundation.floor(c.x.last ?? 1)
      return stride(from: lo, through: hi, by: 1).map { ($0, String(format: "%g", $0)) }
    }
    var ticks: [(Double, String)] = []
    for e in [-45, -40, -30, -20, -10] { ticks.append((Double(e), "1e\(e)")) }
    ticks += [(-7, "1e-7"), (-4, "1e-4"), (-2, "0.01"), (0, "0.5"), (2, "0.99"), (4, "1 − 1e-4"), (7, "1 − 1e-7")]
    return ticks
  }

  static func decade(_ e: Double) -> String {
    let i = Int(e)
    switch i {
    case 0: return "1"
    case 1: return "10"
    case 2: return "100"
    case 3: return "1000"
    default: return "1e\(i)"
    }
  }

  static func f(_ v: Double) -> String { String(format: "%.1f", v) }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
  }
}
