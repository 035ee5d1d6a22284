/// The CTC forward recursion of `optax.losses.ctc_loss_with_forward_probs`, recorded
/// step by step: a `lax.scan` over time with separate blank ("phi") and emit
/// log-alphas, `log_epsilon` standing in for `log 0`, and `logaddexp` (JAX's custom
/// derivative) for every merge of paths.
enum CTCForward {
  typealias Value<S: LossScalar> = LossTrace<S>.Value

  /// The recorded outputs: per-sequence loss `(B,)` and the forward probabilities
  /// `(T, B, N+1)` and `(T, B, N)`.
  struct Result<S: LossScalar> {
    var loss: Value<S>
    var logAlphaBlank: Value<S>
    var logAlphaEmit: Value<S>
  }

  /// `logits (B, T, K)` (differentiable), `labels (B, N)` integers, paddings 1.0 where
  /// padded.
  static func record<S: LossScalar>(
    _ t: inout LossTrace<S>, logits: Value<S>, logitPaddings: Tensor<S>, labels: Tensor<Int>,
    labelPaddings: Tensor<S>, blankID: Int, logEpsilon: S
  ) throws -> Result<S> {
    let shape = t.shape(logits)
    let (batch, frames, classes) = (shape[0], shape[1], shape[2])
    let maxLabels = labels.shape[1]
    let logProbabilities = try t.step(.activation, "log_softmax(logits)") { t in
      try JAXOps.logSoftmax(&t, logits, axes: [2])
    }
    // labellens = N − Σ label_paddings (cast to int32, truncating).
    let labelLengths = (0..<batch).map { b -> Int in
      var padded: S = 0
      for n in 0..<maxLabels { padded = padded + labelPaddings.scalars[b * maxLabels + n] }
      return maxLabels - Int(Double(padded).rounded(.towardZero))
    }
    // repeat[b, n] = 1 when labels[b, n] == labels[b, n+1] (0 for the last).
    var repeats = [S](repeating: 0, count: batch * maxLabels)
    for b in 0..<batch {
      for n in 0..<Swift.max(maxLabels - 1, 0) where labels.scalars[b * maxLabels + n] == labels.scalars[b * maxLabels + n + 1] {
        repeats[b * maxLabels + n] = 1
      }
    }
    let repeated = Tensor(shape: [batch, maxLabels], scalars: repeats)
    let epsilonRepeat = t.constant(repeated.map { logEpsilon * $0 }, name: "log_epsilon * repeat")
    let epsilonNotRepeat = t.constant(repeated.map { logEpsilon * (1 - $0) }, name: "log_epsilon * (1 - repeat)")

    var phiInit = [S](repeating: logEpsilon, count: batch * (maxLabels + 1))
    for b in 0..<batch { phiInit[b * (maxLabels + 1)] = 0 }
    var phi = t.constant(Tensor(shape: [batch, maxLabels + 1], scalars: phiInit), name: "logalpha_phi_init")
    var emit = t.constant(Tensor(repeating: logEpsilon, shape: [batch, maxLabels]), name: "logalpha_emit_init")

    /// `phi[:, 1:]` updated with `logaddexp(phi[:, 1:], added)`.
    func updatePhi(_ t: inout LossTrace<S>, _ phi: Value<S>, _ added: Value<S>) throws -> Value<S> {
      let width = t.shape(phi)[1]
      let head = t.gather(phi, indices: (0..<batch).map { $0 * width }, shape: [batch, 1])
      let tail = t.gather(
        phi, indices: (0..<batch).flatMap { b in (1..<width).map { b * width + $0 } }, shape: [batch, width - 1])
      return try t.concatenate([head, try JAXOps.logaddexp(&t, tail, added)], axis: 1)
    }

    var phis: [Value<S>] = []
    var emits: [Value<S>] = []
    for frame in 0..<frames {
      try t.step("ctc-frame", "frame \(frame)", [.integer("t", frame)]) { t in
        // logprobs[b, t, labels[b, n]] (0 for a label outside [0, K): one_hot is zero).
        let emitIndices: [Int?] = (0..<batch).flatMap { b in
          (0..<maxLabels).map { n -> Int? in
            let label = labels.scalars[b * maxLabels + n]
            return (0..<classes).contains(label) ? (b * frames + frame) * classes + label : nil
          }
        }
        let logProbEmit = t.gather(logProbabilities, indices: emitIndices, shape: [batch, maxLabels], fill: 0)
        let logProbPhi = t.gather(
          logProbabilities, indices: (0..<batch).map { ($0 * frames + frame) * classes + blankID }, shape: [batch, 1])
        let pad = Tensor(shape: [batch, 1], scalars: (0..<batch).map { logitPaddings.scalars[$0 * frames + frame] })
        let padValue = t.constant(pad, name: "pad")
        let notPad = t.constant(pad.map { 1 - $0 }, name: "1 - pad")

        let previousPhiOriginal = phi
        let previousPhi = try updatePhi(&t, phi, try t.add(emit, epsilonRepeat))
        let phiHead = t.gather(
          previousPhi, indices: (0..<batch).flatMap { b in (0..<maxLabels).map { b * (maxLabels + 1) + $0 } },
          shape: [batch, maxLabels])
        var nextEmit = try JAXOps.logaddexp(&t, try t.add(phiHead, logProbEmit), try t.add(emit, logProbEmit))
        var nextPhi = try t.add(previousPhi, logProbPhi)
        nextPhi = try updatePhi(&t, nextPhi, try t.add(t.add(emit, logProbPhi), epsilonNotRepeat))
        nextEmit = try t.add(t.multiply(padValue, emit), t.multiply(notPad, nextEmit))
        nextPhi = try t.add(t.multiply(padValue, previousPhiOriginal), t.multiply(notPad, nextPhi))
        phi = nextPhi
        emit = nextEmit
      }
      phis.append(phi)
      emits.append(emit)
    }
    let lastPhi = try t.step("ctc-final", "last epsilon transition") { t in try updatePhi(&t, phi, emit) }
    phis[frames - 1] = lastPhi
    let loss = t.step(.elementwiseLoss, "−logalpha_phi_last[b, labellen_b]") { t in
      let picked = t.gather(
        lastPhi,
        indices: (0..<batch).map { b in (0...maxLabels).contains(labelLengths[b]) ? b * (maxLabels + 1) + labelLengths[b] : nil },
        shape: [batch], fill: 0)
      return t.negate(picked)
    }
    let blank = try t.concatenate(phis.map { t.reshape($0, to: [1, batch, maxLabels + 1]) }, axis: 0)
    let emitted = try t.concatenate(emits.map { t.reshape($0, to: [1, batch, maxLabels]) }, axis: 0)
    return Result(loss: loss, logAlphaBlank: blank, logAlphaEmit: emitted)
  }
}
