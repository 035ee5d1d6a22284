/// Eigen's summation tree over `count` values produced piece by piece: the split points
/// of ``EigenSummation/innerSum(_:start:count:first:packet:)``, with each leaf (at most
/// `8·1024` values) summed by a caller-supplied function. Leaves are independent, so
/// they are computed in parallel and combined in the tree's order: the result is the
/// same for any number of threads, and the same as the traced engine's.
struct EigenTree {
  /// The leaves in tree order.
  private(set) var leaves: [(start: Int, count: Int)] = []
  private indirect enum Node {
    case leaf(Int)
    case pair(Node, Node?)
  }
  private var root: Node? = nil

  init(count: Int, packet: Int = 8) {
    var leaves: [(start: Int, count: Int)] = []
    func build(_ start: Int, _ count: Int, _ first: Int) -> Node {
      if count > packet * EigenSummation.leafSize {
        let half = (count + 1) / 2
        let split = packet * ((first + half + packet - 1) / packet)
        let left = min(split - first, count)
        let l = build(start, left, first)
        let r = left < count ? build(start + left, count - left, split) : nil
        return .pair(l, r)
      }
      leaves.append((start, count))
      return .leaf(leaves.count - 1)
    }
    root = count > 0 ? build(0, count, 0) : nil
    self.leaves = leaves
  }

  /// Combines leaf sums (indexed like ``leaves``) in the tree's order.
  func combine(_ sums: [Float]) -> Float {
    func fold(_ node: Node) -> Float {
      switch node {
      case .leaf(let i): return sums[i]
      case .pair(let l, let r):
        // Eigen: `0 + left`, then `+ right`.
        var total: Float = 0 + fold(l)
        if let r { total = total + fold(r) }
        return total
      }
    }
    return root.map(fold) ?? 0
  }
}
