/// The element array a stream hands out chunk after chunk, refilled in place.
///
/// Each chunk's tensor shares this array (copy-on-write). Once the consumer has let go of
/// the chunk before, the array is uniquely referenced again and the next chunk is written
/// into the same memory; only a chunk of another size, or one asked for while the last is
/// still held, gets a new array. Allocating per chunk costs more than the copy itself:
/// glibc gives a freed multi-MiB block back to the system, and every 4 KiB page of the
/// next one is then a page fault (a 4 GiB `.npy` pair took 3.0 s instead of 0.9 s).
struct ChunkStorage<Element: BitwiseCopyable> {
  private var array: [Element] = []

  /// An array of `count` elements, every one written by `fill` (which gets the elements'
  /// memory, its contents unspecified).
  mutating func filled(count: Int, _ fill: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows -> [Element] {
    if array.count != count {
      array = []  // Release the old storage first, so that the two never coexist.
      array = [Element](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
    // A no-op when the last chunk's tensor is gone; a copy (then overwritten) if it is not.
    try array.withUnsafeMutableBufferPointer { try fill($0) }
    return array
  }
}
