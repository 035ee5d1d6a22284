extension TorchKernels {
  /// `torch.norm(x, p, dim=-1)` (`linalg_vector_norm` over the last dimension) with its
  /// backward `norm_backward`: for `p = 2`, `g·(x / ‖x‖)` (0 where the norm is 0); for
  /// `p = 1`, `sgn(x)·g`; for `p = ∞`, `sgn(x)·g / (number of maxima)` at the maxima;
  /// otherwise `x·|x|^(p−2)·g / ‖x‖^(p−1)` (0 where the norm is 0).
  ///
  /// The `p = 2` forward is ATen's vectorised last-dimension kernel: squares accumulate
  /// in `lanes` lanes, the lanes are added in order, then the leftover squares; other
  /// `p` accumulate in order. A last dimension of size 1 gives `|x|` (`p ≠ 0`).
  static func vectorNorm<S: LossScalar>(_ t: inout LossTrace<S>, _ x: LossTrace<S>.Value, p: Double) -> LossTrace<S>.Value {
    let input = t[x]
    let d = input.shape.last ?? 1
    let rows = d == 0 ? Shape.count(Array(input.shape.dropLast())) : input.count / d
    let outShape = Array(input.shape.dropLast())
    let lanes = S.self == Float.self ? 8 : 4
    let ps = S(p)
    var norms = [S](repeating: 0, count: rows)
    for r in 0..<rows {
      let row = Array(input.scalars[(r * d)..<((r + 1) * d)])
      if d == 1 {
        norms[r] = Swift.abs(row[0])
      } else if p == 2 {
        var accumulator = [S](repeating: 0, count: lanes)
        var k = 0
        while k + lanes <= d {
          for l in 0..<lanes { accumulator[l] += row[k + l] * row[k + l] }
          k += lanes
        }
        var total = accumulator[0]
        for l in 1..<lanes { total = total + accumulator[l] }
        while k < d {
          total += row[k] * row[k]
          k += 1
        }
        norms[r] = total.squareRoot()
      } else if p == 1 {
        norms[r] = row.reduce(S(0)) { $0 + Swift.abs($1) }
      } else if p.isInfinite {
        norms[r] = row.reduce(S(0)) { acc, v in
          let a = Swift.abs(v)
          return acc.isNaN || a.isNaN ? S.nan : Swift.max(acc, a)
        }
      } else {
        let sum = row.reduce(S(0)) { $0 + S.pow(Swift.abs($1), ps) }
        norms[r] = S.pow(sum, 1 / ps)
      }
    }
    let value = Tensor(shape: outShape, scalars: norms)
    let computed = norms
    return t.kernel("linalg_vector_norm", x, value: value) { g in
      var grad = [S](repeating: 0, count: input.count)
      for r in 0..<rows {
        let n = computed[r], gr = g.scalars[r]
        var maxima: S = 0
        if p.isInfinite {
          for k in 0..<d {
            let a = Swift.abs(input.scalars[r * d + k])
            if a == n || a.isNaN { maxima += 1 }
          }
        }
        for k in 0..<d {
          let v = input.scalars[r * d + k]
          let sign = v.isNaN ? 0 : Kernels.sign(v)  // torch's sgn(NaN) = 0
          if d == 1 {
            grad[r * d + k] = sign * gr  // abs backward
          } else if p == 2 {
            grad[r * d + k] = gr * (n == 0 ? 0 : v / n)
          } else if p == 1 {
            grad[r * d + k] = sign * gr
          } else if p.isInfinite {
            let a = Swift.abs(v)
            let mask: S = (a == n || a.isNaN) ? 1 : 0
            grad[r * d + k] = sign * ((gr / maxima) * mask)
          } else if p < 2 {
            let scale = n == 0 ? 0 : gr / S.pow(n, ps - 1)
            grad[r * d + k] = sign * S.pow(Swift.abs(v), ps - 1) * scale
          } else {
            let scale = n == 0 ? 0 : gr / S.pow(n, ps - 1)
            grad[r * d + k] = v * S.pow(Swift.abs(v), ps - 2) * scale
          }
        }
      }
      return Tensor(shape: input.shape, scalars: grad)
    }
  }

  /// `torch.pairwise_distance(x1, x2, p, eps)`: `‖x1 − x2 + eps‖_p` over the last
  /// dimension (eps is added to the difference, not to the norm).
  static func pairwiseDistance<S: LossScalar>(
    _ t: inout LossTrace<S>, _ x1: LossTrace<S>.Value, _ x2: LossTrace<S>.Value, p: Double, eps: Double, argument: String
  ) throws -> LossTrace<S>.Value {
    let difference = t.add(try t.subtract(x1, x2, argument: argument), S(eps))
    return vectorNorm(&t, difference, p: p)
  }
}
