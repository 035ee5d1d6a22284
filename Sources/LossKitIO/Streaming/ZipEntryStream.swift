import Foundation
import ZIPFoundation

/// One member of a `.npz` (zip) archive, inflated as it is read: a producer thread runs
/// ZIPFoundation's extraction and hands chunks through a queue of at most `capacity`
/// chunks, so memory stays bounded for members of any size.
final class ZipEntryStream: ByteStream, @unchecked Sendable {
  let name: String
  let total: Int
  private(set) var position = 0
  private var current = Data()
  private var offset = 0
  private let lock = NSCondition()
  private var queue: [Data] = []
  private var finished = false
  private var failure: String? = nil
  private var cancelled = false
  private let capacity = 8

  /// Opens `member` (without `.npy`, or the only member when nil) of the archive at `path`.
  init(path: String, member: String?, name: String) throws {
    self.name = name
    let archive: Archive
    do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
      throw InputError(name, FileManager.default.fileExists(atPath: path) ? "not a readable .npz (zip) archive" : "no such file")
    }
    let entry = try Self.entry(in: archive, member: member, name: name)
    total = Int(entry.uncompressedSize)
    // The archive is used by the producer thread alone from here on.
    let source = ProducerOnly((archive, entry))
    let thread = Thread { [weak self] in
      let (archive, entry) = source.value
      do {
        _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true) { data in
          guard let self else { throw CancellationError() }
          self.lock.lock()
          while self.queue.count >= self.capacity && !self.cancelled { self.lock.wait() }
          let stop = self.cancelled
          if !stop { self.queue.append(data) }
          self.lock.broadcast()
          self.lock.unlock()
          if stop { throw CancellationError() }
        }
        self?.finish(nil)
      } catch is CancellationError {
        self?.finish(nil)
      } catch {
        self?.finish("the archive member is damaged (\(error))")
      }
    }
    thread.start()
  }

  /// The archive's array `member` (without `.npy`), or its only one when nil.
  static func entry(in archive: Archive, member: String?, name: String) throws -> Entry {
    let members = archive.filter { $0.type == .file }
    let names = members.map { $0.path.replacingOccurrences(of: ".npy", with: "") }.joined(separator: ", ")
    if let member {
      guard let found = members.first(where: { $0.path == member || $0.path == member + ".npy" }) else {
        throw InputError(name, "no array \"\(member)\" in the archive (it holds \(names))")
      }
      return found
    }
    guard members.count == 1, let only = members.first else {
      throw InputError(name, "the archive holds \(members.count) arrays (\(names)); choose one with path.npz:name")
    }
    return only
  }

  /// The size the archive's directory gives for the array (nil when it cannot be read).
  static func uncompressedSize(path: String, member: String?) -> Int? {
    guard let archive = try? Archive(url: URL(fileURLWithPath: path), accessMode: .read),
      let entry = try? entry(in: archive, member: member, name: path)
    else { return nil }
    return Int(exactly: entry.uncompressedSize)
  }

  deinit {
    lock.lock()
    cancelled = true
    lock.broadcast()
    lock.unlock()
  }

  private func finish(_ error: String?) {
    lock.lock()
    finished = true
    failure = error
    lock.broadcast()
    lock.unlock()
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    var written = 0
    while written < buffer.count {
      if offset == current.count {
        lock.lock()
        while queue.isEmpty && !finished { lock.wait() }
        if queue.isEmpty {
          let failure = self.failure
          lock.unlock()
          if let failure { throw InputError(name, failure) }
          break
        }
        current = queue.removeFirst()
        offset = 0
        lock.broadcast()
        lock.unlock()
      }
      let n = min(current.count - offset, buffer.count - written)
      current.withUnsafeBytes { bytes in
        buffer.baseAddress!.advanced(by: written).copyMemory(from: bytes.baseAddress!.advanced(by: offset), byteCount: n)
      }
      offset += n
      written += n
      position += n
    }
    return written
  }
}

/// A value handed to one producer thread and used by it alone.
struct ProducerOnly<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
