import CLossKitKernels

extension FusedExecution {
  /// How ``streamingFloor(_:_:prefetch:)`` reads ahead.
  public enum FloorPrefetch: CaseIterable, Sendable {
    /// Software prefetches 4 KiB ahead (the element-wise kernels' distance).
    case near
    /// Software prefetches 8 KiB ahead (the softmax kernels' first reads).
    case far
    /// No software prefetch: the hardware prefetcher alone (faster on AMD Zen 4).
    case hardware
  }

  /// Streams two float arrays through a plain vectorised sum on the same threads and
  /// pieces as the fused kernels: the memory floor a fused loss kernel is measured
  /// against (`losskit bench` prints each kernel's ratio to the fastest of the three
  /// ways of reading ahead, whichever the kernels use on this CPU).
  public static func streamingFloor(_ a: [Float], _ b: [Float], prefetch: FloorPrefetch = .near) -> Double {
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
            target.value[i] = lk_stream_sum(x.baseAddress! + start, y.baseAddress! + start, min(piece, a.count - start), prefetch.mode)
          }
        }
      }
    }
    return partial.reduce(0, +)
  }
}

extension FusedExecution.FloorPrefetch {
  fileprivate var mode: Int32 {
    switch self {
    case .near: Int32(LK_STREAM_NEAR)
    case .far: Int32(LK_STREAM_FAR)
    case .hardware: Int32(LK_STREAM_HARDWARE)
    }
  }
}
