import Foundation
import LossKit

/// A tensor read row by row (along axis 0) from a file, in bounded chunks: `.npy`
/// (memory-mapped window by window), `.npz` members (inflated as they are read) and
/// `.csv` (line by line). `rowShape` is the shape of one row; `rows` is known from a
/// header (nil for CSV until the end).
protocol TensorStream: AnyObject {
  var rowShape: [Int] { get }
  var rows: Int? { get }
  /// The next `maxRows` rows (fewer at the end), or nil when the file is exhausted.
  func next(maxRows: Int) throws -> Tensor<Double>?
  /// The next rows as float32 (rounded from wider types), for float32 computations.
  func nextFloats(maxRows: Int) throws -> Tensor<Float>?
  /// Bytes consumed and total, for progress.
  var progress: (done: Int, total: Int) { get }
}

extension TensorStream {
  var rowSize: Int { rowShape.reduce(1, *) }

  func nextFloats(maxRows: Int) throws -> Tensor<Float>? { try next(maxRows: maxRows).map { $0.converted(to: Float.self) } }
}

/// Opens the file a command-line value names as a stream, or nil when the value is not
/// a streamable file (an inline value, or a file small enough to load).
enum TensorStreams {
  static func open(_ text: String, argument: String) throws -> (any TensorStream)? {
    var path = text
    var member: String? = nil
    if let colon = text.range(of: ".npz:", options: .backwards) {
      path = String(text[..<colon.lowerBound]) + ".npz"
      member = String(text[colon.upperBound...])
    }
    let location = "\(argument) \(text)"
    switch (path as NSString).pathExtension.lowercased() {
    case "npy": return try NPYStream(bytes: MappedFileStream(path: path, name: location), name: location)
    case "npz": return try NPYStream(bytes: ZipEntryStream(path: path, member: member, name: location), name: location)
    case "csv": return try CSVStream(path: path, name: location)
    default: return nil
    }
  }
}

/// A `.npy` array read from a byte stream: the header, then elements decoded chunk by
/// chunk. Fortran-ordered arrays of rank ≥ 2 cannot be read by rows and are rejected.
final class NPYStream: TensorStream {
  let bytes: any ByteStream
  let name: String
  let rowShape: [Int]
  let rows: Int?
  private let element: NPYReader.ElementType
  private var remainingRows: Int
  private var buffer: [UInt8] = []

  init(bytes: any ByteStream, name: String) throws {
    self.bytes = bytes
    self.name = name
    // The fixed part of the header, then the dictionary.
    var prefix = [UInt8](repeating: 0, count: 12)
    let got = try prefix.withUnsafeMutableBytes { b in try bytes.read(into: b) }
    let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    guard got >= 10, Array(prefix[0..<6]) == magic else { throw InputError(name, "not a .npy file (missing the \\x93NUMPY magic string)") }
    let headerLength: Int
    var consumed: Int
    switch prefix[6] {
    case 1:
      headerLength = Int(prefix[8]) | Int(prefix[9]) << 8
      consumed = 10
    case 2, 3:
      guard got >= 12 else { throw InputError(name, "truncated .npy header") }
      headerLength = (0..<4).reduce(0) { $0 | Int(prefix[8 + $1]) << (8 * $1) }
      consumed = 12
    default:
      throw InputError(name, "unsupported .npy format version \(prefix[6]).\(prefix[7])")
    }
    guard headerLength <= 1 << 20 else { throw InputError(name, "the .npy header is implausibly long (\(headerLength) bytes)") }
    var header = Array(prefix[consumed..<got])
    if header.count < headerLength {
      var rest = [UInt8](repeating: 0, count: headerLength - header.count)
      let n = try rest.withUnsafeMutableBytes { b in try bytes.read(into: b) }
      guard n == rest.count else { throw InputError(name, "truncated .npy header: expected \(headerLength) header bytes") }
      header += rest
    }
    // Bytes after the header already read belong to the data.
    buffer = Array(header[headerLength...])
    consumed = 0
    let description = try NPYReader.parseHeader(String(decoding: header[..<headerLength], as: UTF8.self), name: name)
    if description.fortranOrder && description.shape.count > 1 {
      throw InputError(name, "a Fortran-ordered array cannot be streamed by rows; save it with np.save(path, np.ascontiguousarray(a))")
    }
    element = description.dtype
    let shape = description.shape
    rowShape = shape.isEmpty ? [] : Array(shape.dropFirst())
    rows = shape.isEmpty ? 1 : shape[0]
    remainingRows = rows!
  }

  var progress: (done: Int, total: Int) { (bytes.position, bytes.total) }

  /// Little-endian float32 data is copied straight from the file into the tensor's
  /// storage (one copy, no decoding).
  func nextFloats(maxRows: Int) throws -> Tensor<Float>? {
    guard element.kind == .float && element.size == 4 && !element.bigEndian else {
      return try next(maxRows: maxRows).map { $0.converted(to: Float.self) }
    }
    guard remainingRows > 0 else { return nil }
    let take = min(maxRows, remainingRows)
    let count = take * rowSize
    let needed = count * 4
    var complete = true
    let values = try [Float](unsafeUninitializedCapacity: count) { out, initialized in
      let raw = UnsafeMutableRawBufferPointer(out)
      let buffered = min(buffer.count, needed)
      buffer.withUnsafeBytes { raw.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: buffered) }
      buffer.removeFirst(buffered)
      if buffered < needed {
        let n = try bytes.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[buffered..<needed]))
        complete = n == needed - buffered
      }
      initialized = count
    }
    guard complete else {
      throw InputError(name, "truncated .npy data: \(remainingRows) more rows of \(rowShape) \(element.name) were declared")
    }
    remainingRows -= take
    return Tensor(shape: (rowShape.isEmpty && rows == 1 && take == 1 ? [] : [take]) + rowShape, scalars: values)
  }

  func next(maxRows: Int) throws -> Tensor<Double>? {
    guard remainingRows > 0 else { return nil }
    let take = min(maxRows, remainingRows)
    let count = take * rowSize
    let needed = count * element.size
    if buffer.count < needed {
      var more = [UInt8](repeating: 0, count: needed - buffer.count)
      let n = try more.withUnsafeMutableBytes { b in try bytes.read(into: b) }
      guard n == more.count else {
        throw InputError(name, "truncated .npy data: \(remainingRows) more rows of \(rowShape) \(element.name) were declared")
      }
      buffer += more
    }
    let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
      buffer.withUnsafeBufferPointer { raw in NPYReader.decode(raw, count: count, as: element, into: out.baseAddress!) }
      initialized = count
    }
    buffer.removeFirst(needed)
    remainingRows -= take
    return Tensor(shape: (rowShape.isEmpty && rows == 1 && take == 1 ? [] : [take]) + rowShape, scalars: values)
  }
}

/// A `.csv` file read line by line, with the header, byte-order mark and shape rules of
/// ``CSVReader``: each line is a row; one column gives 1-D rows.
final class CSVStream: TensorStream {
  private let handle: FileHandle
  let name: String
  private(set) var rowShape: [Int] = []
  let rows: Int? = nil
  private var pending = [UInt8]()
  private var atEnd = false
  private var lineNumber = 0
  private var sawFirstRow = false
  private var dropsIndexColumn = false
  private var columns: Int? = nil
  private var done = 0
  private let total: Int

  init(path: String, name: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw InputError(name, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
    }
    self.handle = handle
    self.name = name
    total = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    // The row shape is fixed by the first data row.
    _ = try peekColumns()
  }

  deinit { try? handle.close() }

  var progress: (done: Int, total: Int) { (done, total) }

  private var lookahead: [Double]? = nil

  private func peekColumns() throws -> Int? {
    if lookahead == nil { lookahead = try nextRow() }
    return columns
  }

  /// The next data row, or nil at the end of the file.
  private func nextRow() throws -> [Double]? {
    while true {
      guard let line = try nextLine() else { return nil }
      lineNumber += 1
      var text = Substring(line)
      if lineNumber == 1, text.first == "\u{FEFF}" { text = text.dropFirst() }
      let trimmed = text.trimmingWhitespace()
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      var fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
      if !sawFirstRow {
        sawFirstRow = true
        if CSVReader.isHeader(fields) {
          dropsIndexColumn = fields.first?.isEmpty == true
          continue
        }
      }
      if dropsIndexColumn { fields.removeFirst() }
      var row: [Double] = []
      row.reserveCapacity(fields.count)
      for (column, token) in fields.enumerated() {
        guard let value = CSVReader.number(token) else {
          let shown = token.isEmpty ? "an empty field" : "'\(token.prefix(40))'"
          throw InputError("\(name) line \(lineNumber), column \(column + (dropsIndexColumn ? 2 : 1))", "expected a number, got \(shown)")
        }
        row.append(value)
      }
      if let columns, columns != row.count {
        throw InputError("\(name) line \(lineNumber)", "expected \(columns) fields like the first row, got \(row.count)")
      }
      if columns == nil {
        columns = row.count
        rowShape = row.count == 1 ? [] : [row.count]
      }
      return row
    }
  }

  private func nextLine() throws -> String? {
    while true {
      if let newline = pending.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        var end = newline + 1
        if pending[newline] == 0x0D, end < pending.count, pending[end] == 0x0A { end += 1 }
        pending.removeFirst(end)
        done += end
        return line
      }
      if atEnd {
        guard !pending.isEmpty else { return nil }
        let line = String(decoding: pending, as: UTF8.self)
        done += pending.count
        pending.removeAll()
        return line
      }
      guard pending.count < 16 << 20 else { throw InputError(name, "a line longer than 16 MiB; is this a CSV file?") }
      let chunk: Data
      do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch { throw InputError(name, "cannot read the file") }
      if chunk.isEmpty { atEnd = true } else { pending += chunk }
    }
  }

  func next(maxRows: Int) throws -> Tensor<Double>? {
    var values: [Double] = []
    var taken = 0
    while taken < maxRows {
      let row: [Double]?
      if let lookahead {
        row = lookahead
        self.lookahead = nil
      } else {
        row = try nextRow()
      }
      guard let row else { break }
      values += row
      taken += 1
    }
    guard taken > 0 else { return nil }
    return Tensor(shape: [taken] + rowShape, scalars: values)
  }
}
