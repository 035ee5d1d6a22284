import Foundation
import LossKit

/// A loss over inputs read from files chunk by chunk: bounded memory whatever the
/// files' size. Each chunk of rows is computed as its own request (the fused kernels
/// where they exist) and its per-element (or per-sample) values are reduced exactly
/// into a ``ReductionState``, so the result is the same for any chunking — and the same
/// as merging shards (`losskit merge`).
public struct StreamedComputation {
  public var registry: LossRegistry
  public var template: LossRequest
  /// Rows per chunk are chosen so that a chunk holds about this many `y_pred` elements.
  public var chunkElements = 1 << 20

  public init(registry: LossRegistry = .standard, template: LossRequest) {
    self.registry = registry
    self.template = template
  }

  /// Memory the streamed run needs beyond the program itself, in bytes: two 16 MiB map
  /// windows (or inflate queues of 8 MiB), and a chunk held as doubles and floats with
  /// its per-element losses and gradient.
  public static let boundBytes = 2 * (16 << 20) + (1 << 20) * (8 + 8 + 4 + 4 + 4 + 8 + 8)

  /// Runs over the streams; writes the gradient to `gradientOut` when given.
  func run(
    yTrue: any TensorStream, yPred: any TensorStream, sampleWeight: (any TensorStream)?, gradientOut: NPYWriter?,
    progress: ProgressReporter?
  ) throws -> ReductionState {
    let definition = try registry.definition(named: template.loss, framework: template.framework)
    let plan = try ExactReduction.plan(definition, template.parameters)
    let rowsPerChunk = max(1, chunkElements / max(1, yPred.rowSize))
    let loss = try definition.make(template.parameters)
    var rows = RowCounts()
    var total: ReductionState? = nil
    func add(_ state: ReductionState) throws {
      if total == nil { total = state } else { try total!.merge(state) }
      progress?.update(done: yPred.progress.done + yTrue.progress.done, total: yPred.progress.total + yTrue.progress.total)
    }
    // A chunk through the registry: its reduction state and, with --gradient-out, the
    // gradient of its sum (a mean's is scaled by 1/count once the count is known).
    func reduce(_ request: LossRequest) throws {
      guard let gradientOut else { return try add(try registry.reductionState(request)) }
      let (state, gradient) = try registry.reductionStateWithSumGradient(request)
      try add(state)
      try gradientOut.append(gradient)
    }
    if sampleWeight == nil, template.dtype == .float32, loss.computeDType(forInputs: .float32) == .float32,
      let reducible = loss as? any ExactlyReducible
    {
      // The fast path: float32 chunks straight from the files into a fused kernel that
      // sums the per-element losses exactly (no float64 round trip, no per-sample tensor),
      // and the sum reduction's gradient from float32 too (the same bits as the request).
      var configured = template
      configured.framework = definition.framework
      let configuration = ExactReduction.configuration(configured, definition, plan, computeDType: .float32)
      let sumLoss = try gradientOut.map { _ in try definition.make(registry.sumReduced(template, definition).parameters) }
      while let (y, p) = try rows.next(yTrue, yPred, rowsPerChunk, { try $0.nextFloats(maxRows: $1) }) {
        let inputs = LossInputs(yTrue: y, yPred: p)
        if let elements = try reducible.exactElementSum(inputs) {
          try add(ReductionState(configuration: configuration, elements: elements, predictionRank: p.rank))
          if let gradientOut, let sumLoss { try gradientOut.append(try sumLoss.evaluate(inputs).gradient) }
        } else {
          var request = template
          (request.yTrue, request.yPred) = (y.converted(), p.converted())
          try reduce(request)
        }
      }
    } else {
      while let (y, p) = try rows.next(yTrue, yPred, rowsPerChunk, { try $0.next(maxRows: $1) }) {
        let w = try sampleWeight?.next(maxRows: p.shape.first ?? rowsPerChunk)
        var request = template
        (request.yTrue, request.yPred, request.sampleWeight) = (y, p, w)
        try reduce(request)
      }
    }
    progress?.finish()
    try rows.requireMatched()
    guard var state = total else { throw InputError("--y-pred", "the file holds no rows") }
    if let gradientOut {
      switch plan.semantics {
      case .sum, .unreduced: break
      case .mean: try gradientOut.scale(by: Double(state.groupSize) / Double(state.count))
      case .weightedMean, .countedTargetsMean: try gradientOut.scale(by: 1 / state.weightSum.rounded)
      case .nonzeroWeightsMean: try gradientOut.scale(by: 1 / Double(state.nonzeroWeights))
      case .maskWeightedMean: try gradientOut.scale(by: state.maskWeight / Double(state.count))
      }
      try gradientOut.finish()
    }
    if !state.wholeVector { state.rows = rows.predictedRows }
    return state
  }

  /// Runs an unreduced loss (`reduction` none, or a loss without one) over the streams:
  /// each chunk's loss values are appended to `lossOut`, and the gradient of their sum
  /// to `gradientOut`. Samples are independent, so the files hold what one in-memory
  /// run over the whole input gives. Returns the number of rows.
  func runUnreduced(
    yTrue: any TensorStream, yPred: any TensorStream, sampleWeight: (any TensorStream)?, lossOut: NPYWriter,
    gradientOut: NPYWriter?, progress: ProgressReporter?
  ) throws -> Int {
    let definition = try registry.definition(named: template.loss, framework: template.framework)
    try ExactReduction.requireStreamableUnreduced(definition, template.parameters)
    // XLA (JAX) sums float32 reductions of `largeReduction` elements or more in YNNPACK's
    // order and smaller ones in its own, so a chunk smaller than that would have its row
    // sums formed otherwise than one in-memory run forms the same rows': chunks hold at
    // least that many elements, and a short last one is evaluated together with the
    // chunk before it (at most two chunks in memory).
    var smallestChunk = 0
    if case .xla(_, let largeReduction) = definition.framework.policy.summation, sampleWeight == nil {
      smallestChunk = largeReduction
    }
    let rowSize = max(1, yPred.rowSize)
    let rowsPerChunk = max(1, chunkElements / rowSize, (smallestChunk + rowSize - 1) / rowSize)
    var rows = RowCounts()
    let read = { (rows: inout RowCounts) in try rows.next(yTrue, yPred, rowsPerChunk, { try $0.next(maxRows: $1) }) }
    var pending = try read(&rows)
    while let (firstY, firstP) = pending {
      var (y, p) = (firstY, firstP)
      pending = try read(&rows)
      if let (nextY, nextP) = pending, nextP.count < smallestChunk {
        (y, p) = (Self.appendingRows(y, nextY), Self.appendingRows(p, nextP))
        pending = try read(&rows)
      }
      let w = try sampleWeight?.next(maxRows: p.shape.first ?? rowsPerChunk)
      var request = template
      (request.yTrue, request.yPred, request.sampleWeight) = (y, p, w)
      let result = try registry.evaluate(request, gradient: gradientOut != nil)
      guard !result.loss.isScalar, result.loss.shape.first == p.shape.first else {
        throw LossError.unsupported(
          argument: "y_pred",
          message: "\(definition.qualifiedName) gives one value for a chunk of \(p.shape.first ?? 1) rows of a 1-D y_pred (its mean over the last axis), not one per row; give y_pred (and y_true) the shape (N, 1) to make each element a sample")
      }
      try lossOut.append(result.loss)
      if let gradientOut { try gradientOut.append(result.gradient) }
      progress?.update(done: yPred.progress.done + yTrue.progress.done, total: yPred.progress.total + yTrue.progress.total)
    }
    progress?.finish()
    try rows.requireMatched()
    guard rows.predictedRows > 0 else { throw InputError("--y-pred", "the file holds no rows") }
    try lossOut.finish()
    try gradientOut?.finish()
    return rows.predictedRows
  }

  /// `a`'s rows followed by `b`'s (tensors of one row shape).
  static func appendingRows<T>(_ a: Tensor<T>, _ b: Tensor<T>) -> Tensor<T> {
    guard let first = a.shape.first, let more = b.shape.first else { return a }
    return Tensor(shape: [first + more] + a.shape.dropFirst(), scalars: a.scalars + b.scalars)
  }

  /// Reads `y_pred` and `y_true` in step and counts their rows: when one runs out first
  /// (or a chunk's row counts differ), the rest of both is counted for the message.
  private struct RowCounts {
    var trueRows = 0, predictedRows = 0

    func requireMatched() throws {
      guard trueRows == predictedRows else {
        throw LossError.shapeMismatch(argument: "y_true", expected: "\(predictedRows) rows, as y_pred has", got: "\(trueRows) rows")
      }
    }

    mutating func next<T>(
      _ yTrue: any TensorStream, _ yPred: any TensorStream, _ maxRows: Int,
      _ read: (any TensorStream, Int) throws -> Tensor<T>?
    ) throws -> (Tensor<T>, Tensor<T>)? {
      let p = try read(yPred, maxRows)
      let y = try read(yTrue, p?.shape.first ?? maxRows)
      predictedRows += p?.shape.first ?? 0
      trueRows += y?.shape.first ?? 0
      guard let p, let y, (y.shape.first ?? 1) == (p.shape.first ?? 1) else {
        if p != nil || y != nil {
          while let more = try yPred.next(maxRows: maxRows) { predictedRows += more.shape.first ?? 1 }
          while let more = try yTrue.next(maxRows: maxRows) { trueRows += more.shape.first ?? 1 }
        }
        return nil
      }
      return (y, p)
    }
  }

  /// Streams the files named by `yTrue`, `yPred` and `sampleWeight` (command-line values).
  public func run(
    yTrue: String, yPred: String, sampleWeight: String?, gradientOut: String?, progress: Bool
  ) throws -> ReductionState {
    let streams = try Self.open(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    let writer = try gradientOut.map { try NPYWriter(path: $0, dtype: template.dtype) }
    return try run(
      yTrue: streams.yTrue, yPred: streams.yPred, sampleWeight: streams.sampleWeight, gradientOut: writer,
      progress: progress ? ProgressReporter() : nil)
  }

  /// Streams an unreduced loss over the named files into `lossOut` (in the dtype the
  /// loss computes in) and, when given, its gradient into `gradientOut`. Returns the
  /// number of rows and the loss's dtype.
  public func runUnreduced(
    yTrue: String, yPred: String, sampleWeight: String?, lossOut: String, gradientOut: String?, progress: Bool
  ) throws -> (rows: Int, dtype: DType) {
    let definition = try registry.definition(named: template.loss, framework: template.framework)
    try ExactReduction.requireStreamableUnreduced(definition, template.parameters)
    let dtype = try definition.make(template.parameters).computeDType(forInputs: template.dtype)
    let streams = try Self.open(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    let lossWriter = try NPYWriter(path: lossOut, dtype: dtype, argument: "--loss-out")
    let gradientWriter = try gradientOut.map { try NPYWriter(path: $0, dtype: template.dtype) }
    let rows = try runUnreduced(
      yTrue: streams.yTrue, yPred: streams.yPred, sampleWeight: streams.sampleWeight, lossOut: lossWriter,
      gradientOut: gradientWriter, progress: progress ? ProgressReporter() : nil)
    return (rows, dtype)
  }

  private static func open(yTrue: String, yPred: String, sampleWeight: String?) throws -> (
    yTrue: any TensorStream, yPred: any TensorStream, sampleWeight: (any TensorStream)?
  ) {
    func open(_ text: String, _ argument: String) throws -> any TensorStream {
      guard let stream = try TensorStreams.open(text, argument: argument) else {
        throw InputError(argument, "streaming reads .npy, .npz or .csv files, got \"\(text)\"")
      }
      return stream
    }
    let predStream = try open(yPred, "--y-pred")
    let trueStream = try open(yTrue, "--y-true")
    // Rows pair up chunk by chunk: row counts the headers give must agree before any
    // chunk is computed (a chunk's shape error would name the chunk's rows, not the files').
    if let predicted = predStream.rows, let given = trueStream.rows, predicted != given {
      throw LossError.shapeMismatch(argument: "y_true", expected: "\(predicted) rows, as y_pred has", got: "\(given) rows")
    }
    return (trueStream, predStream, try sampleWeight.map { try open($0, "--sample-weight") })
  }
}

/// A progress bar on standard error for runs longer than about a second, only when
/// standard error is a terminal.
final class ProgressReporter {
  private let start = Date()
  private var lastDraw = Date.distantPast
  private var drawn = false
  private let enabled = isatty(2) != 0

  func update(done: Int, total: Int) {
    guard enabled, total > 0 else { return }
    let now = Date()
    guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.2 else { return }
    lastDraw = now
    drawn = true
    let fraction = min(1, Double(done) / Double(total))
    let width = 30
    let filled = Int(fraction * Double(width))
    let rate = Double(done) / now.timeIntervalSince(start) / Double(1 << 30)
    let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
    FileHandle.standardError.write(Data(String(format: "\r[%@] %5.1f%%  %.2f GiB/s", bar, fraction * 100, rate).utf8))
  }

  func finish() {
    if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}
