/// `tf.nn.ctc_loss` on dense labels (`ctc_ops.py`, `ctc_loss_dense`, blank 0): the
/// batched forward–backward algorithm in log space of Sim et al. (2017), op for op as
/// TensorFlow runs it, with its custom gradient `softmax(x) − exp(occupation)`.
///
/// The states of a label row of length `L` are: 0 (start), `1...L` (the labels) and
/// `L+1...2L+1` (the blanks before, between and after them). "Log 0" is TF's
/// `float32(log(1e-307))` = −706.89 for the initial and final states (so an infeasible
/// alignment costs about 708, not infinity) and −∞ elsewhere.
struct CTCLossDense<S: LossScalar> {
  let environment: KernelEnvironment

  /// The loss `(B,)` and the gradient of its sum with respect to the logits `(B, T, C)`.
  func callAsFunction(labels: [[Int]], labelLengths: [Int], logits: Tensor<S>) -> (loss: Tensor<S>, gradient: Tensor<S>) {
    let (batch, frames, classes) = (logits.shape[0], logits.shape[1], logits.shape[2])
    let maxLabel = labels.first?.count ?? 0
    let states = 2 * (maxLabel + 1)
    let logZero = S(Float(Double.log(1e-307)))

    // Time-major logits and their log-softmax over the classes.
    let timeMajor = logits.transposed([1, 0, 2])
    let logProbs = logSoftmax(timeMajor)

    // _ilabel_to_state: the label states' log-probabilities, then the blanks', after a start state of −∞.
    var observed = [S](repeating: 0, count: frames * batch * states)
    for t in 0..<frames {
      for b in 0..<batch {
        let base = (t * batch + b) * classes
        let row = (t * batch + b) * states
        observed[row] = -S.infinity
        for l in 0..<maxLabel { observed[row + 1 + l] = logProbs.scalars[base + labels[b][l]] }
        for k in 0...maxLabel { observed[row + 1 + maxLabel + k] = logProbs.scalars[base] }
      }
    }

    // _ctc_state_trans: log transition j → i, trans[b][i][j] (0 or −∞).
    var transitions = [S](repeating: -S.infinity, count: batch * states * states)
    func allow(_ b: Int, _ i: Int, _ j: Int) { transitions[(b * states + i) * states + j] = 0 }
    for b in 0..<batch {
      for s in 0..<states { allow(b, s, s) }  // self loops (the start state's included)
      allow(b, 1, 0)
      if maxLabel >= 1 { for l in 1...maxLabel { allow(b, l, maxLabel + 1 + l - 1) } }  // blank before → label
      for k in 0...maxLabel { allow(b, maxLabel + 1 + k, k) }  // label (or start) → blank after it
      if maxLabel >= 2 {
        for l in 2...maxLabel where labels[b][l - 1] != labels[b][l - 2] { allow(b, l, l - 1) }  // label → next label
      }
    }

    // ctc_state_log_probs: start in state 0; end in the last label's state or the blank after it.
    var initial = [S](repeating: logZero, count: batch * states)
    var final = [S](repeating: logZero, count: batch * states)
    for b in 0..<batch {
      initial[b * states] = 0
      let length = labelLengths[b]
      final[b * states + length] = -0.0
      final[b * states + maxLabel + 1 + length] = -0.0
    }

    // _forward_backward_log (every sequence has all T frames, so the masks are all 1).
    var forward = [[S]](repeating: [], count: frames + 1)
    forward[0] = initial
    for t in 0..<frames {
      var next = [S](repeating: 0, count: batch * states)
      for b in 0..<batch {
        var row = [S](repeating: 0, count: states)
        for i in 0..<states {
          let terms = (0..<states).map { j in add(forward[t][b * states + j], transitions[(b * states + i) * states + j]) }
          row[i] = add(logSumExp(terms), observed[(t * batch + b) * states + i])
        }
        let normalizer = logSumExp(row)
        for i in 0..<states { next[b * states + i] = sub(row[i], normalizer) }
      }
      forward[t + 1] = next
    }
    var backward = [[S]](repeating: [], count: frames + 1)
    backward[frames] = final
    var cumulative = [S](repeating: 0, count: batch)
    for t in stride(from: frames - 1, through: 0, by: -1) {
      var next = [S](repeating: 0, count: batch * states)
      for b in 0..<batch {
        let shifted = (0..<states).map { j in add(backward[t + 1][b * states + j], observed[(t * batch + b) * states + j]) }
        var row = [S](repeating: 0, count: states)
        for i in 0..<states {
          // bwd_trans[b][i][j] = trans[b][j][i]
          row[i] = logSumExp((0..<states).map { j in add(shifted[j], transitions[(b * states + j) * states + i]) })
        }
        let normalizer = logSumExp(row)
        cumulative[b] = add(cumulative[b], normalizer)  // · mask (1)
        for i in 0..<states { next[b * states + i] = sub(row[i], normalizer) }  // · mask + final · 0
      }
      backward[t] = next
    }
    var loss = [S](repeating: 0, count: batch)
    for b in 0..<batch { loss[b] = -add(backward[0][b * states], cumulative[b]) }

    // Occupation probabilities per output label (_state_to_olabel), then the gradient.
    var gradient = [S](repeating: 0, count: frames * batch * classes)
    for t in 0..<frames {
      for b in 0..<batch {
        var occupation = (0..<states).map { i in add(forward[t + 1][b * states + i], backward[t + 1][b * states + i]) }
        let total = logSumExp(occupation)
        for i in 0..<states { occupation[i] = add(sub(occupation[i], total), 0) }  // + log(mask) = + 0
        let blank = logSumExp(Array(occupation[(maxLabel + 1)...]))
        let base = (t * batch + b) * classes
        for c in 0..<classes {
          var olabel = blank
          if c > 0 {
            // reduce_logsumexp over the label states of (state + one_hot(label − 1)): −∞ where the label differs.
            olabel = logSumExp((0..<maxLabel).map { l in labels[b][l] == c ? add(occupation[1 + l], 0) : -S.infinity })
          }
          let p = environment.flushed(S.exp(logProbs.scalars[base + c]))
          gradient[base + c] = sub(p, environment.flushed(S.exp(olabel)))
        }
      }
    }
    let timeMajorGradient = Tensor(shape: [frames, batch, classes], scalars: gradient)
    return (Tensor(shape: [batch], scalars: loss), timeMajorGradient.transposed([1, 0, 2]))
  }

  private func add(_ a: S, _ b: S) -> S { environment.flushed(a + b) }
  private func sub(_ a: S, _ b: S) -> S { environment.flushed(a - b) }

  /// `reduce_logsumexp` of one row: `log(Σ exp(x − m)) + m` with `m` the maximum, or 0
  /// when the maximum is not finite; the sum in Eigen's order.
  private func logSumExp(_ x: [S]) -> S {
    var m = -S.infinity
    for v in x { m = Kernels.maximum(m, v) }
    let shift = m.isFinite ? m : 0
    let exponentials = x.map { environment.flushed(S.exp(sub($0, shift))) }
    let total = Kernels.rowSum(exponentials[...], first: 0, environment)
    return add(environment.flushed(S.log(total)), shift)
  }

  /// TF's `LogSoftmax` kernel over the last axis: `(x − max) − log Σ exp(x − max)`.
  private func logSoftmax(_ x: Tensor<S>) -> Tensor<S> {
    let classes = x.shape.last ?? 1
    var out = x.scalars
    for row in 0..<(x.count / max(classes, 1)) {
      let base = row * classes
      var m = -S.infinity
      for c in 0..<classes { m = Kernels.maximum(m, x.scalars[base + c]) }
      let shifted = (0..<classes).map { sub(x.scalars[base + $0], m) }
      let total = Kernels.rowSum(shifted.map { environment.flushed(S.exp($0)) }[...], first: base, environment)
      let logTotal = environment.flushed(S.log(total))
      for c in 0..<classes { out[base + c] = sub(shifted[c], logTotal) }
    }
    return Tensor(shape: x.shape, scalars: out)
  }
}
