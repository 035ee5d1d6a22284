import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sequential source of bytes, read in bounded pieces.
protocol ByteStream: AnyObject {
  /// Fills `buffer` with up to its count of bytes; returns how many (0 at the end).
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
  /// Bytes consumed so far and the total, for progress.
  var position: Int { get }
  var total: Int { get }
}

/// A file read through a moving memory-mapped window: at most `window` bytes are mapped
/// at a time and unmapped once consumed, so resident memory stays bounded whatever the
/// file's size.
final class MappedFileStream: ByteStream {
  let path: String
  let name: String
  private let descriptor: Int32
  let total: Int
  private(set) var position = 0
  private var mapped: UnsafeMutableRawPointer? = nil
  private var mappedStart = 0
  private var mappedLength = 0
  private let window = 16 << 20

  init(path: String, name: String, offset: Int = 0) throws {
    self.path = path
    self.name = name
    descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw InputError(name, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file") }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      close(descriptor)
      throw InputError(name, "cannot read the file")
    }
    total = Int(info.st_size)
    position = min(offset, total)
  }

  deinit {
    unmap()
    close(descriptor)
  }

  private func unmap() {
    if let mapped { munmap(mapped, mappedLength) }
    mapped = nil
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    var written = 0
    while written < buffer.count && position < total {
      if mapped == nil || position >= mappedStart + mappedLength {
        unmap()
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        mappedStart = position / page * page
        mappedLength = min(window, total - mappedStart)
        guard let pointer = mmap(nil, mappedLength, PROT_READ, MAP_PRIVATE, descriptor, off_t(mappedStart)),
          pointer != MAP_FAILED
        else { throw InputError(name, "cannot map the file into memory") }
        madvise(pointer, mappedLength, Int32(MADV_SEQUENTIAL))
        mapped = pointer
      }
      let available = mappedStart + mappedLength - position
      let n = min(available, buffer.count - written)
      buffer.baseAddress!.advanced(by: written).copyMemory(from: mapped!.advanced(by: position - mappedStart), byteCount: n)
      written += n
      position += n
    }
    return written
  }
}
