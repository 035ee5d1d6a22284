import ArgumentParser
import LossKit
import LossKitIO

struct Compute: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compute one loss and its gradient with respect to y_pred.",
    discussion: """
      Values (V) are inline lists (1,1,0 or -1.5,2.0), JSON literals ('[[0.1,0.9],[0.8,0.2]]' or \
      '{"shape": [2, 1], "data": [1, 0]}'), or paths to .npy, .csv or .json files. Parameters use \
      the framework's own names and defaults (see `losskit list`). --dtype is the dtype of the \
      arrays handed to the framework; a framework may compute in another (Keras 3 casts to its \
      dtype parameter, float32 by default), and the result is printed in the dtype it computed in.

      Examples:
        losskit compute BinaryCrossentropy --framework keras --y-true 1,1,1 --y-pred 1,1,0
        losskit compute sigmoid_cross_entropy_with_logits --framework tf --y-true 1,0 --y-pred -1.5,2.0
        losskit compute CategoricalCrossentropy --framework keras \\
            --y-true '[[0,1,0],[0,0,1]]' --y-pred '[[0.05,0.95,0],[0.1,0.8,0.1]]' --param reduction=none
        losskit compute BinaryCrossentropy --framework keras --y-true '[[1,0,1]]' \\
            --y-pred '[[1.0,0.0,0.99999999]]' --dtype float64 --param dtype=float64
      """
  )

  @OptionGroup var options: LossOptions

  @Flag(help: "Print the result as JSON.")
  var json = false

  @Flag(
    help: ArgumentHelp(
      "Reduce exactly: the correctly rounded sum or mean of the framework's per-element losses (compensated accumulation), instead of the framework's own float32 summation order."))
  var exact = false

  @Flag(help: "Read file inputs chunk by chunk in bounded memory (automatic for files over 256 MiB). The reduction is then exact.")
  var stream = false

  @Flag(
    name: .customLong("fast-math"),
    help: ArgumentHelp(
      "Compute the loss value (no gradient) with LossKit's own float32 exp and log1p where the loss has such a kernel (binary cross-entropy from logits, sparse softmax cross-entropy: Keras 3, tf-keras, tf.nn): faster, a few ulps from the framework's bits (docs/elementary-functions.md). In memory."))
  var fastMath = false

  @Flag(
    name: .customLong("no-stream"),
    help: "Load file inputs into memory whatever their size, for the framework's own summation order (they must fit).")
  var noStream = false

  @Option(name: .customLong("partial"), help: "Write the reduction state to this file, for `losskit merge` (shards of one input).")
  var partial: String?

  @Option(name: .customLong("gradient-out"), help: "Write the gradient to this .npy file instead of printing it.")
  var gradientOut: String?

  @Flag(name: .customLong("print-gradient"), help: "Print the gradient even when it has more than \(Compute.printedValuesLimit) values.")
  var printGradient = false

  @Option(
    name: .customLong("loss-out"),
    help: ArgumentHelp(
      "Write the loss to this .npy file instead of printing it (a reduced loss as shape (1,)). With --stream, the loss must be unreduced (reduction=none, or an Optax loss): each chunk's values are written as they are computed."))
  var lossOut: String?

  @Flag(name: .customLong("print-loss"), help: "Print the loss even when it has more than \(Compute.printedValuesLimit) values.")
  var printLoss = false

  /// Longer losses and gradients are written to files, or printed only when asked.
  static let printedValuesLimit = 1000
  static let streamingThreshold = 256 << 20

  func validate() throws {
    if stream && noStream { throw ValidationError("--stream and --no-stream: choose one") }
    if fastMath {
      let conflicting = [
        ("--exact", exact), ("--stream", stream), ("--partial", partial != nil), ("--gradient-out", gradientOut != nil),
        ("--print-gradient", printGradient),
      ].filter(\.1).map(\.0)
      if let first = conflicting.first {
        throw ValidationError(
          "--fast-math and \(first): --fast-math computes the loss value alone, in memory, with LossKit's own functions; drop one")
      }
    }
    if lossOut != nil && partial != nil {
      throw ValidationError("--loss-out and --partial: a shard file holds a reduction state, not the loss values; choose one")
    }
  }

  func run() throws {
    if fastMath && !noStream && options.inputs.largestFileSize > Self.streamingThreshold {
      throw ValidationError(
        "--fast-math runs in memory, and an input file is over \(Self.streamingThreshold >> 20) MiB: add --no-stream if the inputs fit in memory, or drop --fast-math to stream them")
    }
    if !noStream && (stream || partial != nil && options.inputs.usesFiles || options.inputs.largestFileSize > Self.streamingThreshold) {
      return try runStreamed()
    }
    try options.inputs.requireMemory(noStream: noStream)
    // float32 arrays stay float32 (half the memory, and the kernels read them as they are).
    let request = try options.request(float32Storage: true)
    let registry = LossRegistry.standard
    let definition = try registry.definition(named: request.loss, framework: request.framework)
    var warnings: [LintWarning]
    if request.dtype == .float32 {
      let arrays = request.inputs(as: Float.self)
      warnings = InputLint.warnings(definition: definition, parameters: request.parameters, yTrue: arrays.yTrue, yPred: arrays.yPred)
    } else {
      warnings = InputLint.warnings(definition: definition, parameters: request.parameters, yTrue: request.yTrue, yPred: request.yPred)
    }
    if fastMath, let warning = try Self.fastMathUnavailable(definition.make(request.parameters), definition) {
      warnings.append(warning)
    }
    Warnings.print(warnings)
    // The gradient is computed only when it is printed or written.
    let showGradient = !fastMath && gradientOut == nil && (printGradient || request.shapes.yPred.reduce(1, *) <= Self.printedValuesLimit)
    let wantsGradient = showGradient || gradientOut != nil
    // A shard's state, computed once: it is also the exact value's.
    var state: ReductionState? = nil
    if partial != nil {
      try ExactReduction.requireStreamable(definition, request.parameters)
      state = try registry.reductionState(request)
    }
    let result = exact
      ? try registry.evaluateExactly(request, state: state ?? registry.reductionState(request, mergeable: false), gradient: wantsGradient)
      : try registry.evaluate(request, path: fastMath ? .fastMath : .automatic, gradient: wantsGradient)
    if let partial, let state { try PartialFile.write(state, to: partial) }
    if let gradientOut {
      let writer = try NPYWriter(path: gradientOut, dtype: result.gradientDType)
      try writer.append(result.gradient)
      try writer.finish()
    }
    if let lossOut {
      let writer = try NPYWriter(path: lossOut, dtype: result.dtype, argument: "--loss-out")
      try writer.append(result.loss)
      try writer.finish()
    }
    let showLoss = lossOut == nil && (printLoss || result.loss.count <= Self.printedValuesLimit)
    if json {
      guard case .object(var members) = ResultJSON.value(result, request: request, loss: showLoss, gradient: showGradient) else { return }
      if exact { members.append(("reduction", .string("exact"))) }
      if fastMath { members.append(("math", .string("fast"))) }
      members.append(("warnings", (try? JSONValueEncoder().encode(warnings)) ?? .array([])))
      printJSON(.object(members))
    } else {
      print("\(result.definition.qualifiedName) (\(result.dtype.rawValue)\(exact ? ", exact reduction" : "")\(fastMath ? ", fast math" : ""))")
      if showLoss {
        print("loss: \(JSONWriter.text(result.loss, dtype: result.dtype))")
      } else if let lossOut {
        print("loss: \(result.loss.count) values written to \(lossOut)")
      } else {
        print("loss: \(result.loss.count) values of shape \(result.loss.shapeDescription), not printed (write them with --loss-out FILE.npy, or --print-loss)")
      }
      if showGradient {
        print("grad_y_pred: \(JSONWriter.text(result.gradient, dtype: result.gradientDType))")
      } else if let gradientOut {
        print("grad_y_pred: \(result.gradient.count) values written to \(gradientOut)")
      } else if fastMath {
        print("grad_y_pred: not computed with --fast-math (the framework's gradient: drop --fast-math)")
      } else {
        print("grad_y_pred: \(request.shapes.yPred.reduce(1, *)) values, not computed (write them with --gradient-out FILE.npy, or --print-gradient)")
      }
    }
  }

  /// The warning when --fast-math changes nothing for this loss (no fast-math kernel, or
  /// a CPU without FMA): the result is then the framework's.
  static func fastMathUnavailable(_ loss: any LossFunction, _ definition: LossDefinition) -> LintWarning? {
    let reason =
      !FastMath.hasVariant(loss)
      ? "\(definition.qualifiedName) has no fast-math kernel in this configuration"
      : !FastMath.isSupported ? "this CPU has no FMA" : nil
    return reason.map { LintWarning("fast-math-unavailable", "--fast-math: \($0); computed with the framework's functions") }
  }

  /// Files read chunk by chunk: the exact reduction of every row, in bounded memory.
  func runStreamed() throws {
    let definition = try LossRegistry.standard.definition(named: options.loss, framework: options.framework)
    var template = LossRequest(
      framework: options.framework, loss: options.loss,
      parameters: try options.parameterList(for: definition), yTrue: Tensor([]), yPred: Tensor([]), dtype: options.inputs.dtype)
    template.framework = definition.framework
    let computation = StreamedComputation(template: template)
    if let lossOut {
      let (rows, dtype) = try computation.runUnreduced(
        yTrue: options.inputs.yTrue, yPred: options.inputs.yPred, sampleWeight: options.inputs.sampleWeight, lossOut: lossOut,
        gradientOut: gradientOut, progress: true)
      if json {
        printJSON(.object([
          ("framework", .string(definition.framework.rawValue)), ("loss_name", .string(definition.name)),
          ("dtype", .string(options.inputs.dtype.rawValue)), ("compute_dtype", .string(dtype.rawValue)),
          ("loss_out", .string(lossOut)), ("gradient_out", gradientOut.map { .string($0) } ?? .null),
          ("rows", .number(Double(rows), integer: rows)), ("streamed", .bool(true)),
        ]))
      } else {
        print("\(definition.qualifiedName) (\(dtype.rawValue), unreduced, \(rows) rows, streamed)")
        print("loss: written to \(lossOut)")
        print(gradientOut.map { "grad_y_pred: written to \($0)" } ?? "grad_y_pred: not computed (write it with --gradient-out FILE.npy)")
      }
      return
    }
    try ExactReduction.requireStreamable(definition, template.parameters)
    let state = try computation.run(
      yTrue: options.inputs.yTrue, yPred: options.inputs.yPred, sampleWeight: options.inputs.sampleWeight, gradientOut: gradientOut,
      progress: true)
    if let partial { try PartialFile.write(state, to: partial) }
    let dtype = DType(rawValue: state.configuration.computeDType) ?? .float32
    if json {
      printJSON(.object([
        ("framework", .string(definition.framework.rawValue)), ("loss_name", .string(definition.name)),
        ("dtype", .string(options.inputs.dtype.rawValue)), ("compute_dtype", .string(dtype.rawValue)),
        ("loss", TensorJSON.value(Tensor(state.value), dtype: dtype)), ("reduction", .string("exact")),
        ("rows", .number(Double(state.rows), integer: state.rows)), ("streamed", .bool(true)),
      ]))
    } else {
      print("\(definition.qualifiedName) (\(dtype.rawValue), exact reduction of \(state.rows) rows, streamed)")
      print("loss: \(JSONWriter.text(state.value, dtype: dtype))")
      print(gradientOut.map { "grad_y_pred: written to \($0)" } ?? "grad_y_pred: not computed (write it with --gradient-out FILE.npy)")
    }
  }
}

/// The JSON form of a computed result, shared by `compute --json` and `eval`.
enum ResultJSON {
  static func value(_ result: LossResult, request: LossRequest, loss: Bool = true, gradient: Bool = true) -> JSONValue {
    .object([
      ("framework", .string(result.definition.framework.rawValue)),
      ("loss_name", .string(result.definition.name)),
      ("dtype", .string(request.dtype.rawValue)),
      ("compute_dtype", .string(result.dtype.rawValue)),
      ("loss", loss ? TensorJSON.value(result.loss, dtype: result.dtype) : .null),
      ("grad_y_pred", gradient ? TensorJSON.value(result.gradient, dtype: result.gradientDType) : .null),
    ])
  }
}
