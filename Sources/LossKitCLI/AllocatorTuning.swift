import CLossKitKernels

/// Keeps glibc from handing freed multi-MiB blocks back to the system between chunks.
///
/// A streamed run allocates the same few buffers (gradients, per-element values, scratch)
/// chunk after chunk. By default glibc trims a freed block at the top of the heap once
/// more than about twice the last such block is free, so the next chunk faults in every
/// 4 KiB page again: `--gradient-out` over a 4 GiB `.npy` pair took 1.07 million page
/// faults and 8.5 s, and 56,000 and 7.4 s with this (most of the rest is writing the
/// 2 GiB file). A fixed mmap threshold (arrays above 32 MiB, such as a whole
/// in-memory input, still get their own mapping and return it when freed) and a trim
/// threshold of 256 MiB let the heap keep what the next chunk reuses; resident memory stays
/// the high-water mark of one chunk's buffers. Process-wide, so the executable sets it,
/// not the library.
enum AllocatorTuning {
  static func keepFreedChunks() {
    _ = lk_keep_freed_chunks()
  }
}
