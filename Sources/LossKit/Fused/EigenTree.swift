/// Eigen's summation tree over `count` values produced piece by piece: the split points
/// of ``EigenSummation/innerSum(_:start:count:first:packet:)``
/// (``EigenSummation/split(count:first:packet:)``), with each leaf (at most `8·1024`
/// values) summed by a caller-supplied function. Leaves are independent, so they are
/// computed in parallel and combined in the tree's order: the result is the same for any
/// number of threads, and the same as the traced engine's.
struct EigenTree {
  let count: Int
  let packet: Int
  /// The leaves in tree order.
  let leaves: [(start: Int, count: Int)]

  init(count: Int, packet: Int = 8) {
    var leaves: [(start: Int, count: Int)] = []
    func build(_ start: Int, _ count: Int, _ first: Int) {
      guard let (left, rightFirst) = EigenSummation.split(count: count, first: first, packet: packet) else {
        leaves.append((start, count))
        return
      }
      build(start, left, first)
      if left < count { build(start + left, count - left, rightFirst) }
    }
    if count > 0 { build(0, count, 0) }
    self.count = count
    self.packet = packet
    self.leaves = leaves
  }

  /// Combines leaf sums (indexed like ``leaves``) in the tree's order.
  func combine<Sums: RandomAccessCollection<Float>>(_ sums: Sums) -> Float where Sums.Index == Int {
    var next = sums.startIndex
    func fold(_ count: Int, _ first: Int) -> Float {
      guard let (left, rightFirst) = EigenSummation.split(count: count, first: first, packet: packet) else {
        defer { next += 1 }
        return sums[next]
      }
      // Eigen: `0 + left`, then `+ right`.
      var total: Float = 0 + fold(left, first)
      if left < count { total = total + fold(count - left, rightFirst) }
      return total
    }
    return count > 0 ? fold(count, 0) : 0
  }
}
