import CLossKitKernels

extension FusedExecution {
  /// Streams two float arrays through a plain vectorised sum on the same threads and
  /// pieces as the fused kernels: the memory floor a fused loss kernel is measured
  /// against (`losskit bench` prints each kernel's ratio to the faster of the two
  /// prefetch distances). `farPrefetch` prefetches 8 KiB ahead (the softmax kernels'
  /// distance) instead of 4 KiB (the element-wise kernels').
  public static func streamingFloor(_ a: [Float], _ b: [Float], farPrefetch: Bool = false) -> Double {
    precondition(a.count == b.count, "streamingFloor: arrays of different lengths")
    let piece = 1 << 16
    let pieces = (a.count + piece - 1) / piece
    var partial = [Double](repeating: 0, count: pieces)
    a.withUnsafeBufferPointer { x in
      b.withUnsafeBufferPointer { y in
        partial.withUnsafeMutableBufferPointer { out in
          let target = UncheckedSendable(out.baseAddress!)
          forEach(pieces, elements: a.count) { i in
            let start = i * piece
            target.value[i] = lk_stream_sum(x.baseAddress! + start, y.baseAddress! + start, min(piece, a.count - start), farPrefetch ? 1 : 0)
          }
        }
      }
    }
    return partial.reduce(0, +)
  }
}
