import Foundation
import LossKit
import LossKitIO
import LossKitTestSupport
import Testing

/// Files read chunk by chunk: the streamed value equals the in-memory exact value, shards
/// merge into the whole, and damaged or mismatched inputs are clear errors.
@Suite("Streaming, shards and merge")
struct StreamingTests {
  final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("losskit-stream-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
  }

  /// Writes seeded rows (n, 1) of labels and probabilities as .npy files.
  static func write(_ scratch: Scratch, rows: Int, offset: Int = 0, suffix: String = "") throws -> (y: String, p: String) {
    var rng = SplitMix64(seed: 99)
    var labels: [Double] = [], predictions: [Double] = []
    for i in 0..<(offset + rows) {
      let y = Double(Int.random(in: 0...1, using: &rng)), p = Double(Float(Double.random(in: 0.001...0.999, using: &rng)))
      if i >= offset { labels.append(y); predictions.append(p) }
    }
    let (y, p) = (scratch.path("y\(suffix).npy"), scratch.path("p\(suffix).npy"))
    for (path, values) in [(y, labels), (p, predictions)] {
      let writer = try NPYWriter(path: path, dtype: .float32)
      try writer.append(Tensor(shape: [rows, 1], scalars: values))
      try writer.finish()
    }
    return (y, p)
  }

  static func loss(_ stdout: String) -> String? {
    stdout.split(separator: "\n").first { $0.hasPrefix("loss: ") }.map { String($0.dropFirst(6)) }
  }

  @Test func streamedEqualsTheExactInMemoryValue() throws {
    let scratch = try Scratch()
    // More rows than one chunk (2^20 elements).
    let (y, p) = try Self.write(scratch, rows: 1_500_000)
    let base = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", y, "--y-pred", p]
    let streamed = try runLosskit(base + ["--stream", "--gradient-out", scratch.path("g.npy")])
    let exact = try runLosskit(base + ["--exact", "--gradient-out", scratch.path("g2.npy")])
    #expect(streamed.status == 0, "\(streamed.stderr)")
    #expect(streamed.stdout.contains("exact reduction of 1500000 rows, streamed"))
    #expect(Self.loss(streamed.stdout) == Self.loss(exact.stdout) && Self.loss(exact.stdout) != nil)
    // The streamed gradient (a sum's, scaled by 1/N at the end) is the in-memory one
    // within one float32 ulp (a NaN is never within it).
    let a = try NPYReader.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.path("g.npy")))), name: "g")
    let b = try NPYReader.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.path("g2.npy")))), name: "g2")
    #expect(a.shape == [1_500_000, 1] && b.shape == a.shape)
    let off = zip(a.scalars, b.scalars).filter { x, y in !(x == y || Swift.abs(x - y) <= Double(Float(y).ulp)) }
    #expect(off.isEmpty, "\(off.count) values more than 1 ulp apart, e.g. \(off.prefix(3))")
  }

  /// Keras's `ignore_class` streams as `apply_mask` weighs it (each kept value
  /// total/valid): the streamed value and gradient are the in-memory ones, also when every
  /// target is ignored (Keras 3: 0, and a zero gradient).
  @Test(arguments: [false, true])
  func ignoredClassesStreamAsInMemory(allIgnored: Bool) throws {
    let scratch = try Scratch()
    let (rows, classes) = (3000, 5)
    var rng = SplitMix64(seed: 7)
    let logits = (0..<(rows * classes)).map { _ in Double(Float(Double.random(in: -4...4, using: &rng))) }
    let labels = (0..<rows).map { _ in allIgnored ? 2 : Double(Int.random(in: 0..<classes, using: &rng)) }
    let (y, p) = (scratch.path("y.npy"), scratch.path("p.npy"))
    for (path, tensor) in [(y, Tensor(labels)), (p, Tensor(shape: [rows, classes], scalars: logits))] {
      let writer = try NPYWriter(path: path, dtype: .float32)
      try writer.append(tensor)
      try writer.finish()
    }
    let base = [
      "compute", "SparseCategoricalCrossentropy", "--framework", "keras", "--param", "from_logits=true", "--param",
      "ignore_class=2", "--y-true", y, "--y-pred", p,
    ]
    let streamed = try runLosskit(base + ["--stream", "--gradient-out", scratch.path("gs.npy")])
    let inMemory = try runLosskit(base + ["--no-stream", "--gradient-out", scratch.path("gm.npy")])
    #expect(streamed.status == 0 && inMemory.status == 0, "\(streamed.stderr) \(inMemory.stderr)")
    let (a, b) = (try #require(Self.loss(streamed.stdout).flatMap(Float.init)), try #require(Self.loss(inMemory.stdout).flatMap(Float.init)))
    // The exact mean against Keras's float32 sum over 3,000 rows: within 2 ulp.
    #expect(allIgnored ? a == 0 && b == 0 : Swift.abs(a - b) <= 2 * b.ulp, "streamed \(a), in memory \(b)")
    let gs = try NPYReader.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.path("gs.npy")))), name: "gs")
    let gm = try NPYReader.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.path("gm.npy")))), name: "gm")
    #expect(gs.shape == gm.shape && gs.shape == [rows, classes])
    // One float32 ulp: the streamed gradient is the sum's, scaled once at the end (a NaN
    // is never within it).
    let off = zip(gs.scalars, gm.scalars).filter { x, y in !(x == y || Swift.abs(x - y) <= Double(Float(y).ulp)) }
    #expect(off.isEmpty, "\(off.count) values more than 1 ulp apart, e.g. \(off.prefix(3))")
  }

  /// The streamed loss and gradient files (ls.npy, gs.npy) hold more than `bytes` bytes
  /// and are byte for byte the in-memory run's (lm.npy, gm.npy).
  static func expectStreamedFilesAreTheInMemoryOnes(
    _ scratch: Scratch, moreThan bytes: Int, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    for (a, b) in [("ls.npy", "lm.npy"), ("gs.npy", "gm.npy")] {
      let streamed = try Data(contentsOf: URL(fileURLWithPath: scratch.path(a)))
      #expect(streamed.count > bytes, "\(label): \(a)", sourceLocation: sourceLocation)
      #expect(
        streamed == (try Data(contentsOf: URL(fileURLWithPath: scratch.path(b)))), "\(label): \(a) differs from \(b)",
        sourceLocation: sourceLocation)
    }
  }

  /// `--stream --loss-out` writes an unreduced loss chunk by chunk: the files are byte
  /// for byte what one in-memory run writes. A reducing loss is refused, and a long
  /// loss is not printed unless asked.
  @Test func unreducedLossesStreamToFiles() throws {
    let scratch = try Scratch()
    let (y, p) = try Self.write(scratch, rows: 1_100_000)  // more than one chunk
    for (loss, framework, extra) in [
      ("MeanSquaredError", "keras", ["--param", "reduction=none"]), ("squared_error", "optax", []),
      ("BCELoss", "torch", ["--param", "reduction=none"]),
    ] {
      let base = ["compute", loss, "--framework", framework, "--y-true", y, "--y-pred", p] + extra
      let streamed = try runLosskit(
        base + ["--stream", "--loss-out", scratch.path("ls.npy"), "--gradient-out", scratch.path("gs.npy")])
      let inMemory = try runLosskit(
        base + ["--no-stream", "--loss-out", scratch.path("lm.npy"), "--gradient-out", scratch.path("gm.npy")])
      #expect(streamed.status == 0 && inMemory.status == 0, "\(loss): \(streamed.stderr) \(inMemory.stderr)")
      #expect(streamed.stdout.contains("unreduced, 1100000 rows, streamed"), "\(streamed.stdout)")
      try Self.expectStreamedFilesAreTheInMemoryOnes(scratch, moreThan: 4_000_000, loss)
      let values = try NPYReader.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.path("ls.npy")))), name: "ls")
      #expect(values.shape == (framework == "keras" ? [1_100_000] : [1_100_000, 1]), "\(loss): \(values.shape)")
      // Not printed by default: a hint with the count and shape instead.
      let printed = try runLosskit(base + ["--no-stream"])
      #expect(printed.stdout.contains("values of shape"), "\(printed.stdout.prefix(300))")
      #expect(printed.stdout.contains("--loss-out FILE.npy, or --print-loss"))
      #expect(printed.stdout.utf8.count < 1000)
    }
    let refused = try runLosskit([
      "compute", "MeanSquaredError", "--framework", "keras", "--y-true", y, "--y-pred", p, "--stream", "--loss-out",
      scratch.path("x.npy"),
    ])
    #expect(refused.status == 1)
    #expect(
      refused.stderr.contains("reduction: streaming with --loss-out writes the values of an unreduced loss, and keras/MeanSquaredError reduces them (reduction=sum_over_batch_size)"),
      "\(refused.stderr)")
  }

  /// A row-wise optax loss whose last chunk would be short: 1,048 rows of 1,000 logits
  /// make a chunk, and 3 more rows (3,000 logits, fewer than the 4,096 from which XLA's
  /// sums are YNNPACK's) are evaluated with it, so that the streamed files hold the
  /// in-memory run's bits; so do chunks asked smaller than that.
  @Test func aShortLastChunkOfAnOptaxLossIsSummedAsTheWholeRun() throws {
    let scratch = try Scratch()
    let (rows, classes) = (1_051, 1_000)
    var rng = SplitMix64(seed: 7)
    let logits = (0..<(rows * classes)).map { _ in Double(Float(Double.random(in: -20...20, using: &rng))) }
    let labels = (0..<rows).map { _ in Double(Int.random(in: 0..<classes, using: &rng)) }
    let (y, p) = (scratch.path("labels.npy"), scratch.path("logits.npy"))
    for (path, tensor) in [(y, Tensor(shape: [rows], scalars: labels)), (p, Tensor(shape: [rows, classes], scalars: logits))] {
      let writer = try NPYWriter(path: path, dtype: .float32)
      try writer.append(tensor)
      try writer.finish()
    }
    let base = ["compute", "softmax_cross_entropy_with_integer_labels", "--framework", "optax", "--y-true", y, "--y-pred", p]
    let streamed = try runLosskit(base + ["--stream", "--loss-out", scratch.path("ls.npy"), "--gradient-out", scratch.path("gs.npy")])
    let inMemory = try runLosskit(base + ["--no-stream", "--loss-out", scratch.path("lm.npy"), "--gradient-out", scratch.path("gm.npy")])
    #expect(streamed.status == 0 && inMemory.status == 0, "\(streamed.stderr) \(inMemory.stderr)")
    #expect(streamed.stdout.contains("unreduced, 1051 rows, streamed"), "\(streamed.stdout)")
    try Self.expectStreamedFilesAreTheInMemoryOnes(scratch, moreThan: 4000, "optax")
    // Chunks asked smaller than 4,096 elements (two rows) still hold at least that many.
    var computation = StreamedComputation(
      template: LossRequest(
        framework: .optax, loss: "softmax_cross_entropy_with_integer_labels", yTrue: Tensor([]),
        yPred: Tensor([]), dtype: .float32))
    computation.chunkElements = 2000
    _ = try computation.runUnreduced(
      yTrue: y, yPred: p, sampleWeight: nil, lossOut: scratch.path("ls.npy"), gradientOut: scratch.path("gs.npy"),
      progress: false)
    try Self.expectStreamedFilesAreTheInMemoryOnes(scratch, moreThan: 4000, "optax, 2,000-element chunks")
  }

  @Test func shardsMergeToTheWholeRun() throws {
    let scratch = try Scratch()
    let whole = try Self.write(scratch, rows: 300_000)
    let first = try Self.write(scratch, rows: 100_000, offset: 0, suffix: "0")
    let second = try Self.write(scratch, rows: 200_000, offset: 100_000, suffix: "1")
    func compute(_ files: (y: String, p: String), _ extra: [String]) throws -> CommandResult {
      try runLosskit(["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", files.y, "--y-pred", files.p] + extra)
    }
    let single = try compute(whole, ["--stream"])
    #expect(try compute(first, ["--partial", scratch.path("s0.json")]).status == 0)
    #expect(try compute(second, ["--partial", scratch.path("s1.json"), "--stream"]).status == 0)
    let merged = try runLosskit(["merge", scratch.path("s0.json"), scratch.path("s1.json")])
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout.contains("300000 rows in 2 shards"))
    #expect(Self.loss(merged.stdout) == Self.loss(single.stdout))
    // Another configuration is refused, naming what differs.
    #expect(try compute(first, ["--partial", scratch.path("other.json"), "--param", "label_smoothing=0.1"]).status == 0)
    let refused = try runLosskit(["merge", scratch.path("s0.json"), scratch.path("other.json")])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("different parameters"), "\(refused.stderr)")
  }

  /// 1-D inputs: a Keras loss's per-sample value is the mean of the whole chunk, so a
  /// streamed run must sum per-element values (the fused kernels' exact sums) or refuse.
  @Test func oneDimensionalInputsStreamPerElementOrAreRefused() throws {
    let scratch = try Scratch()
    let count = 1_300_001  // more than one chunk
    var rng = SplitMix64(seed: 12)
    for (name, values) in [("t", (0..<count).map { _ in Double(Float(Double.random(in: -2...2, using: &rng))) }),
                           ("q", (0..<count).map { _ in Double(Float(Double.random(in: -2...2, using: &rng))) })] {
      let writer = try NPYWriter(path: scratch.path("\(name).npy"), dtype: .float32)
      try writer.append(Tensor(shape: [count], scalars: values))
      try writer.finish()
    }
    for loss in ["MeanAbsoluteError", "MeanSquaredError", "Huber"] {
      let base = ["compute", loss, "--framework", "keras", "--y-true", scratch.path("t.npy"), "--y-pred", scratch.path("q.npy")]
      let streamed = try runLosskit(base + ["--stream"])
      let exact = try runLosskit(base + ["--exact"])
      #expect(streamed.status == 0, "\(loss): \(streamed.stderr)")
      #expect(Self.loss(streamed.stdout) == Self.loss(exact.stdout) && Self.loss(exact.stdout) != nil, "\(loss)")
    }
    let refused = try runLosskit([
      "compute", "LogCosh", "--framework", "keras", "--y-true", scratch.path("t.npy"), "--y-pred", scratch.path("q.npy"), "--stream",
    ])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("y_pred: keras/LogCosh reduces a 1-D y_pred of"), "\(refused.stderr)")
    #expect(refused.stderr.contains("give y_pred (and y_true) the shape (N, 1)"), "\(refused.stderr)")
  }

  /// The documented local recipe (Examples/shards.sh: `xargs -P` over shard pairs, then
  /// `losskit merge`) gives the single run's value.
  @Test func theXargsRecipeMergesToTheWholeRun() throws {
    let scratch = try Scratch()
    let whole = try Self.write(scratch, rows: 60_000)
    try FileManager.default.createDirectory(atPath: scratch.path("shards"), withIntermediateDirectories: true)
    for (i, (offset, rows)) in [(0, 25_000), (25_000, 5_000), (30_000, 30_000)].enumerated() {
      let shard = try Self.write(scratch, rows: rows, offset: offset, suffix: "-shard\(i)")
      try FileManager.default.moveItem(atPath: shard.y, toPath: scratch.path("shards/shard\(i).y_true.npy"))
      try FileManager.default.moveItem(atPath: shard.p, toPath: scratch.path("shards/shard\(i).y_pred.npy"))
    }
    let single = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", whole.y, "--y-pred", whole.p, "--exact"])
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Examples/shards.sh").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [script, scratch.path("shards"), "2", "--", "BinaryCrossentropy", "--framework", "keras"]
    var environment = ProcessInfo.processInfo.environment
    environment["LOSSKIT"] = try losskitExecutable().path
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(stderr)")
    #expect(stdout.contains("60000 rows in 3 shards"), "\(stdout)")
    #expect(Self.loss(stdout) == Self.loss(single.stdout) && Self.loss(stdout) != nil, "\(stdout) vs \(single.stdout)")
  }

  @Test func npzMembersStreamStoredAndCompressed() throws {
    // An .npz written by the real numpy would need Python; the stored form is a zip of
    // .npy members, which the reader handles the same as a deflated one.
    let scratch = try Scratch()
    let (y, p) = try Self.write(scratch, rows: 5000)
    let whole = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", y, "--y-pred", p, "--exact"])
    let zip = Process()
    zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    zip.arguments = ["python3", "-c", """
      import zipfile, sys
      for name, method in (("stored", zipfile.ZIP_STORED), ("deflated", zipfile.ZIP_DEFLATED)):
          with zipfile.ZipFile(sys.argv[1] + "/" + name + ".npz", "w", method) as z:
              z.write(sys.argv[2], "y_true.npy"); z.write(sys.argv[3], "y_pred.npy")
      """, scratch.url.path, y, p]
    try zip.run()
    zip.waitUntilExit()
    #expect(zip.terminationStatus == 0)
    // Loaded whole when small (no --stream): the framework's summation order, as for
    // the .npy files in memory.
    let loaded = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", y, "--y-pred", p])
    #expect(Self.loss(loaded.stdout) != nil, "\(loaded.stderr)")
    for name in ["stored", "deflated"] {
      let archive = scratch.path("\(name).npz")
      let base = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", archive + ":y_true", "--y-pred", archive + ":y_pred"]
      let streamed = try runLosskit(base + ["--stream"])
      #expect(streamed.status == 0, "\(streamed.stderr)")
      #expect(Self.loss(streamed.stdout) == Self.loss(whole.stdout), "\(name)")
      let inMemory = try runLosskit(base)
      #expect(inMemory.status == 0, "\(inMemory.stderr)")
      #expect(!inMemory.stdout.contains("streamed") && Self.loss(inMemory.stdout) == Self.loss(loaded.stdout), "\(name): \(inMemory.stdout)")
    }
    let missing = try runLosskit([
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", scratch.path("stored.npz") + ":labels",
      "--y-pred", scratch.path("stored.npz") + ":y_pred", "--stream",
    ])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no array \"labels\" in the archive (it holds y_true, y_pred)"), "\(missing.stderr)")
  }

  /// A `.npz` array is sized by its uncompressed bytes: for the memory check (a
  /// well-compressed member is refused when its values would not fit, though the file is
  /// small) and against its header, which must not declare more data than the member
  /// holds (nothing is allocated for a shape the data does not back).
  @Test func npzArraysAreSizedUncompressed() throws {
    let scratch = try Scratch()
    let zeros = scratch.path("zeros.npy")
    let writer = try NPYWriter(path: zeros, dtype: .float32)
    try writer.append(Tensor(shape: [1 << 20], scalars: [Double](repeating: 0.5, count: 1 << 20)))
    try writer.finish()
    let one = try NPYWriter(path: scratch.path("one.npy"), dtype: .float32)
    try one.append(Tensor(shape: [1], scalars: [0.25]))
    try one.finish()
    let zip = Process()
    zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    zip.arguments = ["python3", "-c", """
      import zipfile, struct, sys
      with zipfile.ZipFile(sys.argv[1] + "/half.npz", "w", zipfile.ZIP_DEFLATED) as z:
          z.write(sys.argv[2], "p.npy")
      with zipfile.ZipFile(sys.argv[1] + "/shapes.npz", "w") as z:
          z.write(sys.argv[1] + "/one.npy", "one.npy")
          header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (), }"
          header += b" " * (118 - len(header)) + b"\\n"
          z.writestr("scalar.npy", b"\\x93NUMPY\\x01\\x00" + struct.pack("<H", len(header)) + header + struct.pack("<f", 0.25))
      header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }"
      header += b" " * (118 - len(header)) + b"\\n"
      with zipfile.ZipFile(sys.argv[1] + "/lying.npz", "w") as z:
          z.writestr("p.npy", b"\\x93NUMPY\\x01\\x00" + struct.pack("<H", len(header)) + header + bytes(64))
      """, scratch.url.path, zeros]
    try zip.run()
    zip.waitUntilExit()
    #expect(zip.terminationStatus == 0)
    // Loaded whole, an array keeps its shape: (1,) is not a scalar.
    let loadedOne = try TensorSource.load(scratch.path("shapes.npz") + ":one", argument: "--y-pred")
    let scalar = try TensorSource.load(scratch.path("shapes.npz") + ":scalar", argument: "--y-pred")
    #expect(loadedOne.shape == [1] && loadedOne.scalars == [0.25], "\(loadedOne.shape) \(loadedOne.scalars)")
    #expect(scalar.shape == [] && scalar.scalars == [0.25], "\(scalar.shape) \(scalar.scalars)")
    let compressed = try FileManager.default.attributesOfItem(atPath: scratch.path("half.npz"))[.size] as! Int
    #expect(compressed < 64 << 10, "\(compressed) bytes")  // 4 MiB of one value deflates to a few KiB
    let base = ["compute", "MeanSquaredError", "--framework", "keras", "--y-true", "0.5", "--y-pred", scratch.path("half.npz")]
    // 1.5 × 4 MiB in memory: over 80% of 7 MB, though 1.5 × the file's size is not.
    let refused = try runLosskit(base, environment: ["LOSSKIT_PHYSICAL_MEMORY": "7000000"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("the input files take about 0.0 GiB in memory"), "\(refused.stderr)")
    let fits = try runLosskit(base, environment: ["LOSSKIT_PHYSICAL_MEMORY": "100000000"])
    #expect(fits.status == 0 && Self.loss(fits.stdout) == "0.0", "\(fits.stdout) \(fits.stderr)")
    let lying = try runLosskit(["compute", "MeanSquaredError", "--framework", "keras", "--y-true", "0.5", "--y-pred", scratch.path("lying.npz")])
    #expect(lying.status == 1)
    #expect(
      lying.stderr.contains("lying.npz: truncated .npy data: the shape declares 4000000000000 bytes of data, the archive member holds 64"),
      "\(lying.stderr)")
  }

  /// CSV files stream with the in-memory reader's rules (byte-order mark, header,
  /// pandas' index column, comments, blank lines, `\r\n`): the same value, and a bad
  /// field reported at the same line, also when a `\r\n` straddles a 1 MiB read.
  @Test func csvStreamsWithTheInMemoryReadersRules() throws {
    let scratch = try Scratch()
    let rows = 360_000
    var rng = SplitMix64(seed: 31)
    // "yyy\r\n" then "d\r\n" lines: the \r of line 349,526 is the last byte of the first
    // 1 MiB read (5 + 3·349,523 + 1 = 2^20 − 1), its \n the first of the next.
    var labels = "yyy\r\n"
    var predictions = "\u{FEFF},p\n# probabilities\n\n"
    for i in 0..<rows {
      labels += Int.random(in: 0...1, using: &rng) == 0 ? "0\r\n" : "1\r\n"
      predictions += "\(i),\(Float(Double.random(in: 0.001...0.999, using: &rng)))\n"
    }
    #expect(labels.utf8.count > 1 << 20 && Array(labels.utf8)[(1 << 20) - 1] == 0x0D && Array(labels.utf8)[1 << 20] == 0x0A)
    try labels.write(toFile: scratch.path("y.csv"), atomically: true, encoding: .utf8)
    try predictions.write(toFile: scratch.path("p.csv"), atomically: true, encoding: .utf8)
    let base = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", scratch.path("y.csv"), "--y-pred", scratch.path("p.csv")]
    let streamed = try runLosskit(base + ["--stream"])
    let exact = try runLosskit(base + ["--exact"])
    #expect(streamed.status == 0, "\(streamed.stderr)")
    #expect(streamed.stdout.contains("exact reduction of \(rows) rows, streamed"), "\(streamed.stdout)")
    #expect(Self.loss(streamed.stdout) == Self.loss(exact.stdout) && Self.loss(exact.stdout) != nil)
    // A bad label after the straddling line break: the same line number either way.
    try (labels + "x\r\n").write(toFile: scratch.path("bad.csv"), atomically: true, encoding: .utf8)
    try (predictions + "\(rows),0.5\n").write(toFile: scratch.path("p1.csv"), atomically: true, encoding: .utf8)
    let bad = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", scratch.path("bad.csv"), "--y-pred", scratch.path("p1.csv")]
    let streamedError = try runLosskit(bad + ["--stream"])
    let loadedError = try runLosskit(bad + ["--no-stream"])
    #expect(streamedError.status == 1 && loadedError.status == 1)
    #expect(loadedError.stderr.contains("line \(rows + 2), column 1: expected a number, got 'x'"), "\(loadedError.stderr)")
    #expect(streamedError.stderr == loadedError.stderr, "\(streamedError.stderr) vs \(loadedError.stderr)")
  }

  /// Inputs that would not fit in memory are refused before they are loaded, naming
  /// --no-stream; the machine's memory comes from LOSSKIT_PHYSICAL_MEMORY here (each
  /// 1,000-row float32 file is about 4 KB, taken as 6 KB in memory as float32 arrays and
  /// 12 KB as float64).
  @Test func inputsTooLargeForMemoryAreRefusedBeforeLoading() throws {
    let scratch = try Scratch()
    let (y, p) = try Self.write(scratch, rows: 1000)
    let base = ["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", y, "--y-pred", p, "--no-stream"]
    let refused = try runLosskit(base, environment: ["LOSSKIT_PHYSICAL_MEMORY": "14000"])
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("--no-stream: the input files take about 0.0 GiB in memory, more than 80% of this machine's 0.0 GiB; drop --no-stream to stream them"),
      "\(refused.stderr)")
    #expect(refused.stdout.isEmpty)
    // 12.4 KB fit in 80% of 20 KB as float32, not as float64.
    let fits = try runLosskit(base, environment: ["LOSSKIT_PHYSICAL_MEMORY": "20000"])
    #expect(fits.status == 0, "\(fits.stderr)")
    #expect(Self.loss(fits.stdout) != nil)
    let wide = try runLosskit(base + ["--dtype", "float64"], environment: ["LOSSKIT_PHYSICAL_MEMORY": "20000"])
    #expect(wide.status != 0 && wide.stderr.contains("the input files take about"), "\(wide.stderr)")
  }

  @Test func badStreamsAreClearErrors() throws {
    let scratch = try Scratch()
    let (y, p) = try Self.write(scratch, rows: 1000)
    let short = try Self.write(scratch, rows: 999, suffix: "short")
    let mismatched = try runLosskit([
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", short.y, "--y-pred", p, "--stream",
    ])
    #expect(mismatched.status == 1)
    #expect(mismatched.stderr.contains("y_true: expected 1000 rows, as y_pred has, got 999 rows"), "\(mismatched.stderr)")
    // Row counts are compared from the headers before any chunk: a (1000, 3) y_pred
    // against 3,000 labels is named by its rows, not by a chunk's shapes.
    let wide = scratch.path("wide.npy"), labels = scratch.path("labels.npy")
    for (path, shape) in [(wide, [1000, 3]), (labels, [3000])] {
      let writer = try NPYWriter(path: path, dtype: .float32)
      try writer.append(Tensor(shape: shape, scalars: [Double](repeating: 0.5, count: 3000)))
      try writer.finish()
    }
    let wideMismatch = try runLosskit(["compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", labels, "--y-pred", wide, "--stream"])
    #expect(wideMismatch.status == 1)
    #expect(wideMismatch.stderr.contains("y_true: expected 1000 rows, as y_pred has, got 3000 rows"), "\(wideMismatch.stderr)")
    // A truncated file: the header promises more rows than the data holds.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: p))
    try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: scratch.path("cut.npy")))
    let truncated = try runLosskit([
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", y, "--y-pred", scratch.path("cut.npy"), "--stream",
    ])
    #expect(truncated.status == 1)
    #expect(
      truncated.stderr.contains("cut.npy: truncated .npy data: the data ends within the last 1000 rows of shape (1,) of <f4 the header declares"),
      "\(truncated.stderr)")
    // A loss that needs the whole array says so.
    let unreduced = try runLosskit([
      "compute", "BinaryCrossentropy", "--framework", "keras", "--y-true", y, "--y-pred", p, "--stream", "--param", "reduction=none",
    ])
    #expect(unreduced.status == 1)
    #expect(unreduced.stderr.contains("reduction: an exact or streamed reduction needs a reducing `reduction`"), "\(unreduced.stderr)")
  }
}
