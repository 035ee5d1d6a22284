import Foundation
import LossKit

/// Writes an `.npy` file row chunk by row chunk, in little-endian float32 or float64. The
/// header is written with room for any shape and patched when the row count is known,
/// so the number of rows need not be known in advance.
public final class NPYWriter {
  private let handle: FileHandle
  private let path: String
  /// The option that named the file, for messages.
  private let argument: String
  private let dtype: DType
  private var rowShape: [Int]? = nil
  private var rows = 0
  private static let headerLength = 128

  public init(path: String, dtype: DType, argument: String = "--gradient-out") throws {
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forUpdatingAtPath: path) else {
      throw InputError("\(argument) \(path)", "cannot create the file")
    }
    self.handle = handle
    self.path = path
    self.argument = argument
    self.dtype = dtype
    try handle.write(contentsOf: Self.header(dtype: dtype, shape: [0]))
  }

  deinit { try? handle.close() }

  static func header(dtype: DType, shape: [Int]) -> Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var dictionary = "{'descr': '\(dtype == .float32 ? "<f4" : "<f8")', 'fortran_order': False, 'shape': \(shapeText), }"
    let fixed = 10
    dictionary += String(repeating: " ", count: max(0, headerLength - fixed - dictionary.utf8.count - 1)) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(dictionary.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(dictionary.utf8))
    return data
  }

  /// Appends rows of float32 values (exact in either dtype).
  public func append(_ tensor: Tensor<Float>) throws {
    guard dtype == .float32 else { return try append(tensor.converted(to: Double.self)) }
    try recordRows(tensor.shape)
    try write(tensor.scalars) { $0.bitPattern.littleEndian }
  }

  /// Checks that `shape`'s rows continue the file's, and counts them.
  private func recordRows(_ tensorShape: [Int]) throws {
    let shape = tensorShape.isEmpty ? [1] : tensorShape
    let rowShape = Array(shape.dropFirst())
    if let existing = self.rowShape, existing != rowShape {
      throw InputError("\(argument) \(path)", "rows of shape \(rowShape) after rows of \(existing)")
    }
    self.rowShape = rowShape
    rows += shape[0]
  }

  /// Appends rows (their first axis) of values exact in the file's dtype.
  public func append(_ tensor: Tensor<Double>) throws {
    guard dtype == .float64 else { return try append(tensor.converted(to: Float.self)) }
    try recordRows(tensor.shape)
    try write(tensor.scalars) { $0.bitPattern.littleEndian }
  }

  /// Writes `values` encoded by `bits`, through one buffer in a plain loop (appending to
  /// `Data` value by value cost more than computing the gradient).
  private func write<T, Bits: FixedWidthInteger>(_ values: [T], _ bits: (T) -> Bits) throws {
    let size = MemoryLayout<Bits>.size
    let bytes = [UInt8](unsafeUninitializedCapacity: values.count * size) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      values.withUnsafeBufferPointer { v in
        for i in v.indices { raw.storeBytes(of: bits(v[i]), toByteOffset: i * size, as: Bits.self) }
      }
      initialized = values.count * size
    }
    try bytes.withUnsafeBytes { try handle.write(contentsOf: $0) }
  }

  /// Multiplies every value written by `factor`, in place, a window at a time (the
  /// streamed gradient of a mean, whose divisor is known only at the end).
  public func scale(by factor: Double) throws {
    let size = dtype == .float32 ? 4 : 8
    let total = rows * (rowShape ?? []).reduce(1, *)
    var done = 0
    let window = 1 << 20
    while done < total {
      let n = min(window, total - done)
      let offset = UInt64(Self.headerLength + done * size)
      try handle.seek(toOffset: offset)
      guard var data = try handle.read(upToCount: n * size), data.count == n * size else {
        throw InputError("\(argument) \(path)", "cannot read back the file")
      }
      data.withUnsafeMutableBytes { raw in
        for i in 0..<n {
          if size == 4 {
            let v = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            raw.storeBytes(of: Float(Double(v) * factor).bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
          } else {
            let v = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
            raw.storeBytes(of: (v * factor).bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self)
          }
        }
      }
      try handle.seek(toOffset: offset)
      try handle.write(contentsOf: data)
      done += n
    }
  }

  /// Writes the final shape into the header and closes the file.
  public func finish() throws {
    try handle.seek(toOffset: 0)
    try handle.write(contentsOf: Self.header(dtype: dtype, shape: [rows] + (rowShape ?? [])))
    try handle.close()
  }
}
