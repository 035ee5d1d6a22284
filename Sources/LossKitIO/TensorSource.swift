import Foundation
import LossKit

/// Turns a command-line value into a tensor: an inline list (`1,1,0`), a JSON literal
/// (`[[0.1,0.9],[0.8,0.2]]`, `{"shape": [2], "data": [1, 0]}`, `0.5`), or a path to a
/// `.npy`, `.csv` or `.json` file, or to a `.npz` archive's array (`data.npz:y_pred`, or
/// `data.npz` when it holds one).
public enum TensorSource {
  /// File types recognised by extension.
  public static let fileExtensions = ["npy", "npz", "csv", "json"]

  /// The file a value names and the `.npz` array in it: `data.npz:y_pred` is
  /// (`data.npz`, `y_pred`); any other value is itself, with no member.
  public static func fileAndMember(_ text: String) -> (path: String, member: String?) {
    guard let colon = text.range(of: ".npz:", options: .backwards) else { return (text, nil) }
    return (String(text[..<colon.lowerBound]) + ".npz", String(text[colon.upperBound...]))
  }

  /// Loads `text` given for `argument` (e.g. `--y-pred`).
  public static func load(_ text: String, argument: String) throws(InputError) -> Tensor<Double> {
    let trimmed = Substring(text).trimmingWhitespace()
    guard !trimmed.isEmpty else { throw InputError(argument, "expected numbers or a file path, got an empty value") }
    if case (let path, let member?) = fileAndMember(String(trimmed)) {
      return try loadArchiveMember(path: path, member: member, argument: argument)
    }
    let ext = (String(trimmed) as NSString).pathExtension.lowercased()
    if fileExtensions.contains(ext) || FileManager.default.fileExists(atPath: String(trimmed)) {
      return try loadFile(String(trimmed), argument: argument)
    }
    return try parseInline(String(trimmed), argument: argument)
  }

  /// Loads `text` as ``load(_:argument:)`` does, as float32 values (rounded to nearest):
  /// a little-endian float32 `.npy` file in C order is read straight into them, with no
  /// float64 array in between.
  public static func loadFloat32(_ text: String, argument: String) throws(InputError) -> Tensor<Float> {
    let path = String(Substring(text).trimmingWhitespace())
    if (path as NSString).pathExtension.lowercased() == "npy", let read = try NPYReader.readFloat32(path: path, name: "\(argument) \(path)") {
      return read
    }
    return try load(text, argument: argument).converted(to: Float.self)  // any other value, file or layout
  }

  /// Parses an inline value: JSON when it starts with `[` or `{`, otherwise numbers
  /// separated by commas (one number is a scalar).
  public static func parseInline(_ text: String, argument: String) throws(InputError) -> Tensor<Double> {
    if text.hasPrefix("[") || text.hasPrefix("{") {
      let json: JSONValue
      do { json = try JSONParser.parse(text) } catch { throw InputError(argument, "invalid JSON: \(error)") }
      return try TensorJSON.decode(json, path: argument)
    }
    let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
    var values: [Double] = []
    for (i, field) in fields.enumerated() {
      guard let value = Double(field) else {
        let shown = field.isEmpty ? "an empty item" : "'\(field.prefix(40))'"
        let hint = i == 0 && fields.count == 1 ? " (or a path to a .npy, .csv or .json file)" : ""
        throw InputError(argument, "expected numbers separated by commas\(hint), got \(shown) at item \(i + 1)")
      }
      values.append(value)
    }
    return fields.count == 1 ? Tensor(values[0]) : Tensor(shape: [values.count], scalars: values)
  }

  /// Reads a tensor file by its extension.
  public static func loadFile(_ path: String, argument: String) throws(InputError) -> Tensor<Double> {
    let location = "\(argument) \(path)"
    guard FileManager.default.fileExists(atPath: path) else { throw InputError(location, "no such file") }
    if (path as NSString).pathExtension.lowercased() == "npz" { return try loadArchiveMember(path: path, member: nil, argument: argument) }
    // Memory-mapped: an .npy file's values are decoded straight from the page cache, not
    // from a copy of the file (which would double the peak memory of a large input).
    let mapped = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    guard let data = mapped ?? FileManager.default.contents(atPath: path) else { throw InputError(location, "cannot read the file") }
    switch (path as NSString).pathExtension.lowercased() {
    case "npy":
      return try NPYReader.read(data, name: location)
    case "csv":
      return try CSVReader.read(String(decoding: data, as: UTF8.self), name: location)
    case "json":
      let json: JSONValue
      do { json = try JSONParser.parse([UInt8](data)) } catch { throw InputError(location, "invalid JSON at \(error)") }
      return try TensorJSON.decode(json, path: location)
    default:
      throw InputError(location, "unknown file type; expected a .npy, .npz, .csv or .json file")
    }
  }

  /// The bytes an input value's file holds once read: a `.npz` array's uncompressed size
  /// (when the archive can be read), otherwise the file's size (nil for no file).
  public static func dataSize(_ text: String) -> Int? {
    let (path, member) = fileAndMember(text)
    if (path as NSString).pathExtension.lowercased() == "npz", let size = ZipEntryStream.uncompressedSize(path: path, member: member) {
      return size
    }
    return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue
  }

  /// A `.npz` archive's array (`member`, or the only one when nil), inflated whole.
  static func loadArchiveMember(path: String, member: String?, argument: String) throws(InputError) -> Tensor<Double> {
    let location = "\(argument) \(path)\(member.map { ":\($0)" } ?? "")"
    do {
      let bytes = try ZipEntryStream(path: path, member: member, name: location)
      let stream = try NPYStream(bytes: bytes, name: location)
      // Read whole, so the header's shape must fit in the member (whose size the
      // command-line tools check against the machine's memory before loading).
      guard stream.declaredDataBytes <= stream.remainingDataBytes else {
        throw InputError(
          location,
          "truncated .npy data: the shape declares \(stream.declaredDataBytes) bytes of data, the archive member holds \(stream.remainingDataBytes)")
      }
      let rows = stream.rows ?? 0
      guard let tensor = try stream.next(maxRows: max(rows, 1)) else {
        return Tensor(shape: [0] + stream.rowShape, scalars: [])  // an array of zero rows
      }
      return tensor
    } catch let error as InputError {
      throw error
    } catch {
      throw InputError(location, "\(error)")
    }
  }
}
