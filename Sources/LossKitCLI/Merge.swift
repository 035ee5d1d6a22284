import ArgumentParser
import LossKit
import LossKitIO

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the reduction states of shards into the value of the whole input.",
    discussion: """
      Each shard is written by `losskit compute ... --partial SHARD.json` on one part of \
      the input (rows along axis 0). The states hold exact sums and counts, so the merged \
      value is the one a single run over the concatenated input gives. Shards of different \
      configurations (loss, parameters, dtype, reduction) are refused.

      Examples:
        losskit compute BinaryCrossentropy --framework keras --y-true y0.npy --y-pred p0.npy --partial s0.json
        losskit compute BinaryCrossentropy --framework keras --y-true y1.npy --y-pred p1.npy --partial s1.json
        losskit merge s0.json s1.json
      """
  )

  @Argument(help: "Partial files (losskit-partial/1).")
  var files: [String]

  @Option(help: "Also write the merged state to this file.")
  var output: String?

  @Flag(help: "Print the result as JSON.")
  var json = false

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("expected at least one partial file") }
  }

  func run() throws {
    var merged = try PartialFile.read(files[0])
    for file in files.dropFirst() {
      do { try merged.merge(try PartialFile.read(file)) } catch let error as LossError {
        throw InputError(file, "\(error)")
      }
    }
    if let output { try PartialFile.write(merged, to: output) }
    let dtype = DType(rawValue: merged.configuration.computeDType) ?? .float32
    if json {
      printJSON(.object([
        ("framework", .string(merged.configuration.framework)), ("loss_name", .string(merged.configuration.loss)),
        ("compute_dtype", .string(dtype.rawValue)), ("loss", TensorJSON.value(Tensor(merged.value), dtype: dtype)),
        ("shards", .number(Double(files.count), integer: files.count)),
        ("rows", .number(Double(merged.rows), integer: merged.rows)),
      ]))
    } else {
      print("\(merged.configuration.framework)/\(merged.configuration.loss) (\(dtype.rawValue), exact reduction of \(merged.rows) rows in \(files.count) shards)")
      print("loss: \(JSONWriter.text(merged.value, dtype: dtype))")
    }
  }
}
