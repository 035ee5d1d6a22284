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
    let (path, member) = TensorSource.fileAndMember(text)
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
  /// A 0-d array (shape `()`): its one row is the tensor, not a row of it.
  private let isScalarArray: Bool
  private var remainingRows: Int
  private var buffer: [UInt8] = []
  private var floats = ChunkStorage<Float>()
  private var doubles = ChunkStorage<Double>()

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
    isScalarArray = shape.isEmpty
    rows = shape.isEmpty ? 1 : shape[0]
    remainingRows = rows!
  }

  /// The bytes of data the header declares (its shape times the element size).
  var declaredDataBytes: Int { (rows ?? 0) * rowSize * element.size }

  /// The bytes of data the stream holds after the header (by the size it announces).
  var remainingDataBytes: Int { bytes.total - bytes.position + buffer.count }

  /// Shape of the next `take` rows.
  private func chunkShape(_ take: Int) -> [Int] { (isScalarArray ? [] : [take]) + rowShape }

  /// The error for data that ends before the header's shape does.
  private var truncated: InputError {
    let what = rowShape.isEmpty ? "\(element.name) values" : "rows of shape \(Shape.describe(rowShape)) of \(element.name)"
    return InputError(name, "truncated .npy data: the data ends within the last \(remainingRows) \(what) the header declares")
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
    let values = try floats.filled(count: count) { out in
      let raw = UnsafeMutableRawBufferPointer(out)
      let buffered = min(buffer.count, needed)
      buffer.withUnsafeBytes { raw.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: buffered) }
      buffer.removeFirst(buffered)
      if buffered < needed {
        let n = try bytes.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[buffered..<needed]))
        complete = n == needed - buffered
      }
    }
    guard complete else { throw truncated }
    remainingRows -= take
    return Tensor(shape: chunkShape(take), scalars: values)
  }

  func next(maxRows: Int) throws -> Tensor<Double>? {
    guard remainingRows > 0 else { return nil }
    let take = min(maxRows, remainingRows)
    let count = take * rowSize
    let needed = count * element.size
    let buffered = buffer.count
    if buffered < needed {
      // Read into the buffer's own (reused) storage: no second array per chunk.
      buffer.append(contentsOf: repeatElement(0, count: needed - buffered))
      let n = try buffer.withUnsafeMutableBytes { b in try bytes.read(into: UnsafeMutableRawBufferPointer(rebasing: b[buffered...])) }
      guard n == needed - buffered else { throw truncated }
    }
    let values = doubles.filled(count: count) { out in
      buffer.withUnsafeBufferPointer { raw in NPYReader.decode(raw, count: count, as: element, into: out.baseAddress!) }
    }
    buffer.removeFirst(needed)
    remainingRows -= take
    return Tensor(shape: chunkShape(take), scalars: values)
  }
}

/// A `.csv` file read line by line, with the header, byte-order mark and shape rules of
/// ``CSVReader``: each line is a row; one column gives 1-D rows.
final class CSVStream: TensorStream {
  private let handle: FileHandle
  let name: String
  private(set) var rowShape: [Int] = []
  let rows: Int? = nil
  private var parser: CSVReader.RowParser
  /// Bytes read from the file: `pending[consumed...]` is not yet returned as lines, and
  /// `pending[scanned...]` not yet searched for a line break (lines are taken by moving
  /// `consumed`, not by shifting the buffer; it is compacted only before a read).
  private var pending = [UInt8]()
  private var consumed = 0
  private var scanned = 0
  private var atEnd = false
  private var done = 0
  private let total: Int

  init(path: String, name: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw InputError(name, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
    }
    self.handle = handle
    self.name = name
    parser = CSVReader.RowParser(name: name)
    total = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    // The row shape is fixed by the first data row.
    lookahead = try nextRow()
    if let first = lookahead, first.count != 1 { rowShape = [first.count] }
  }

  deinit { try? handle.close() }

  var progress: (done: Int, total: Int) { (done, total) }

  private var lookahead: [Double]? = nil

  /// The next data row, or nil at the end of the file.
  private func nextRow() throws -> [Double]? {
    while let line = try nextLine() {
      var text = Substring(line)
      if parser.lineNumber == 0, text.first == "\u{FEFF}" { text = text.dropFirst() }
      if let row = try parser.row(text) { return row }
    }
    return nil
  }

  /// The next line without its break (`\n`, `\r\n` or `\r`), or nil at the end.
  private func nextLine() throws -> String? {
    while true {
      let found = pending[scanned...].firstIndex { $0 == 0x0A || $0 == 0x0D }
      // A `\r` that ends the buffer may be the first half of a `\r\n`: read on first.
      if let newline = found, pending[newline] == 0x0A || newline + 1 < pending.count || atEnd {
        let line = String(decoding: pending[consumed..<newline], as: UTF8.self)
        var end = newline + 1
        if pending[newline] == 0x0D, end < pending.count, pending[end] == 0x0A { end += 1 }
        done += end - consumed
        (consumed, scanned) = (end, end)
        return line
      }
      scanned = found ?? pending.count
      if atEnd {
        guard consumed < pending.count else { return nil }
        let line = String(decoding: pending[consumed...], as: UTF8.self)
        done += pending.count - consumed
        (consumed, scanned) = (pending.count, pending.count)
        return line
      }
      guard pending.count - consumed < 16 << 20 else { throw InputError(name, "a line longer than 16 MiB; is this a CSV file?") }
      pending.removeFirst(consumed)
      scanned -= consumed
      consumed = 0
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
