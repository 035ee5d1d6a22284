import Foundation
import LossKit

/// Reads NumPy `.npy` files (format versions 1–3): little- or big-endian `float16`,
/// `float32`, `float64`, signed and unsigned integers of 1–8 bytes, and `bool`, in C or
/// Fortran order. Values are widened to `Double` (exact for every supported type but
/// 64-bit integers beyond 2⁵³).
public enum NPYReader {
  /// Parses the bytes of an `.npy` file; `name` labels errors.
  public static func read(_ bytes: [UInt8], name: String) throws(InputError) -> Tensor<Double> {
    try bytes.withUnsafeBufferPointer { (buffer) throws(InputError) in try read(buffer, name: name) }
  }

  /// Parses an `.npy` file's contents in place (no copy into an array first).
  public static func read(_ data: Data, name: String) throws(InputError) -> Tensor<Double> {
    let result = data.withUnsafeBytes { raw in
      Result { () throws(InputError) in try read(raw.bindMemory(to: UInt8.self), name: name) }
    }
    return try result.get()
  }

  /// Reads a little-endian float32 `.npy` file in C order from `path` straight into the
  /// tensor's storage (one copy from the page cache; no mapping, so the file's pages are
  /// not counted against the process), or nil for any other layout, whose header is
  /// longer than 64 KiB, or that cannot be opened (the caller reads it another way).
  public static func readFloat32(path: String, name: String) throws(InputError) -> Tensor<Float>? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { return nil }
    let size = Int(status.st_size)
    var head = [UInt8](repeating: 0, count: min(size, 1 << 16))
    guard head.withUnsafeMutableBytes({ readFully(fd, $0, at: 0) }) else { return nil }
    let header = try head.withUnsafeBufferPointer { (bytes) throws(InputError) in
      try layout(bytes, name: name, fileSize: size)
    }
    guard let (description, dataStart, count) = header else { return nil }
    let element = description.dtype
    guard element.kind == .float, element.size == 4, !element.bigEndian, !(description.fortranOrder && description.shape.count > 1)
    else { return nil }
    var complete = true
    let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
      complete = readFully(fd, UnsafeMutableRawBufferPointer(out), at: dataStart)
      initialized = count  // trivial values; discarded below when the read failed
    }
    guard complete else { throw InputError(name, "cannot read the file") }
    return Tensor(shape: description.shape, scalars: values)
  }

  /// Fills `buffer` from `fd` at `offset`; false when the file ends first or a read fails.
  private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
    var done = 0
    while done < buffer.count {
      let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return false }
      done += n
    }
    return true
  }

  /// The header, where the data starts and its element count, with the data's length checked.
  static func layout(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(InputError) -> (Header, dataStart: Int, count: Int) {
    try layout(bytes, name: name, fileSize: bytes.count)!
  }

  /// `layout` from the first bytes of a file of `fileSize` bytes; nil when they end
  /// before the header does (a longer header than was read).
  static func layout(_ bytes: UnsafeBufferPointer<UInt8>, name: String, fileSize: Int) throws(InputError) -> (
    Header, dataStart: Int, count: Int
  )? {
    let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw InputError(name, "not a .npy file (missing the \\x93NUMPY magic string)")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw InputError(name, "truncated .npy header") }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw InputError(name, "unsupported .npy format version \(major).\(bytes[7])")
    }
    guard fileSize >= headerStart + headerLength else {
      throw InputError(name, "truncated .npy header: expected \(headerLength) header bytes")
    }
    guard bytes.count >= headerStart + headerLength else { return nil }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
    let description = try parseHeader(header, name: name)
    let count = description.shape.reduce(1, *)
    let dataStart = headerStart + headerLength
    let needed = count * description.dtype.size
    guard fileSize - dataStart >= needed else {
      throw InputError(
        name, "truncated .npy data: shape \(description.shape) of \(description.dtype.name) needs \(needed) bytes, found \(fileSize - dataStart)")
    }
    return (description, dataStart, count)
  }

  static func read(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(InputError) -> Tensor<Double> {
    let (description, dataStart, count) = try layout(bytes, name: name)
    let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
      decode(UnsafeBufferPointer(rebasing: bytes[dataStart...]), count: count, as: description.dtype, into: out.baseAddress!)
      initialized = count
    }
    if description.fortranOrder && description.shape.count > 1 {
      // Column-major data is the transpose of the reversed shape.
      let reversed = Tensor(shape: Array(description.shape.reversed()), scalars: values)
      let permutation = Array((0..<description.shape.count).reversed())
      return reversed.transposed(permutation)
    }
    return Tensor(shape: description.shape, scalars: values)
  }

  /// Widens `count` values of `element` from `bytes` into `out`.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, as element: ElementType, into out: UnsafeMutablePointer<Double>) {
    guard count > 0 else { return }
    let raw = UnsafeRawPointer(bytes.baseAddress!)
    if element.kind == .float && !element.bigEndian && element.size == 4 {
      // The common cases, little-endian float32 and float64: unaligned loads.
      for i in 0..<count { out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))) }
    } else if element.kind == .float && !element.bigEndian && element.size == 8 {
      for i in 0..<count { out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
    } else {
      for i in 0..<count { out[i] = element.decode(bytes, at: i * element.size) }
    }
  }

  struct Header {
    var dtype: ElementType
    var fortranOrder: Bool
    var shape: [Int]
  }

  /// An element type named by a NumPy type string such as `<f4`.
  struct ElementType {
    enum Kind { case float, signed, unsigned, bool }
    var kind: Kind
    var size: Int
    var bigEndian: Bool
    var name: String

    init?(_ descr: String) {
      guard descr.count >= 3 else { return nil }
      let order = descr.first!
      let code = descr.dropFirst().first!
      guard let size = Int(descr.dropFirst(2)) else { return nil }
      guard "<>|=".contains(order) else { return nil }
      bigEndian = order == ">"
      self.size = size
      name = descr
      switch (code, size) {
      case ("f", 2), ("f", 4), ("f", 8): kind = .float
      case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
      case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
      case ("b", 1): kind = .bool
      default: return nil
      }
    }

    func decode(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Double {
      var bits: UInt64 = 0
      for i in 0..<size {
        let byte = UInt64(buffer[offset + (bigEndian ? size - 1 - i : i)])
        bits |= byte << (8 * UInt64(i))
      }
      switch kind {
      case .bool: return bits == 0 ? 0 : 1
      case .unsigned: return Double(bits)
      case .signed:
        let shift = UInt64(64 - 8 * size)
        return Double(Int64(bitPattern: bits << shift) >> Int64(shift))
      case .float:
        switch size {
        case 2: return halfToDouble(UInt16(truncatingIfNeeded: bits))
        case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        default: return Double(bitPattern: bits)
        }
      }
    }
  }

  /// IEEE binary16 to Double.
  static func halfToDouble(_ h: UInt16) -> Double {
    let sign: Double = h & 0x8000 != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1F)
    let fraction = Double(h & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }

  /// Parses the Python dict literal of the header.
  static func parseHeader(_ header: String, name: String) throws(InputError) -> Header {
    func value(after key: String) -> Substring? {
      guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
      var rest = header[keyRange.upperBound...].drop { $0 == " " }
      guard rest.first == ":" else { return nil }
      rest = rest.dropFirst().drop { $0 == " " }
      return rest
    }
    guard let descrStart = value(after: "descr"), let quote = descrStart.first, quote == "'" || quote == "\"" else {
      throw InputError(name, "the .npy header has no 'descr' string (structured dtypes are not supported)")
    }
    let descr = descrStart.dropFirst().prefix { $0 != quote }
    guard let dtype = ElementType(String(descr)) else {
      throw InputError(name, "unsupported .npy dtype '\(descr)' (expected float, integer or bool)")
    }
    guard let fortran = value(after: "fortran_order") else {
      throw InputError(name, "the .npy header has no 'fortran_order'")
    }
    let fortranOrder = fortran.hasPrefix("True")
    guard let shapeStart = value(after: "shape"), shapeStart.first == "(" else {
      throw InputError(name, "the .npy header has no 'shape' tuple")
    }
    let inside = shapeStart.dropFirst().prefix { $0 != ")" }
    var shape: [Int] = []
    for part in inside.split(separator: ",") {
      let trimmed = part.trimmingCharacters(in: " L")
      if trimmed.isEmpty { continue }
      guard let dim = Int(trimmed), dim >= 0 else {
        throw InputError(name, "invalid dimension '\(part)' in the .npy shape")
      }
      shape.append(dim)
    }
    guard checkedElementCount(shape) != nil else { throw InputError(name, "the .npy shape \(shape) is too large") }
    return Header(dtype: dtype, fortranOrder: fortranOrder, shape: shape)
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: String) -> Substring {
    var s = self
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    return s
  }
}
