extension Torch {
  /// `log_probs` as `y_pred`, `targets` as `y_true`.
  static let ctcInputs = InputNames(yTrue: "targets", yPred: "log_probs")

  /// `torch.nn.CTCLoss`: the negative log-likelihood of each target sequence under
  /// `log_probs` `(T, N, C)` (or `(T, C)` unbatched), by ATen's CPU `_ctc_loss` (the
  /// alpha recursion with a three-term log-sum-exp in the dtype). `targets` are padded
  /// `(N, S)` or concatenated `(Σ target_lengths)`; `input_lengths` and `target_lengths`
  /// are parameters. `mean` divides each loss by its target length (at least 1) and
  /// averages; `zero_infinity` replaces infinite losses (and their gradients) by 0.
  ///
  /// The gradient is `_ctc_loss_backward`'s `exp(lp) − exp(log α + log β + nll − lp)`:
  /// the gradient with respect to the logits *before* a log_softmax, which is what torch
  /// returns for `log_probs` even when they are a leaf (pytorch#52241).
  public struct CTCLoss: DeclaredLoss {
    public var blank: Int = 0
    public var reduction: Reduction = .mean
    public var zeroInfinity = false
    public var inputLengths: Tensor<Double>? = nil
    public var targetLengths: Tensor<Double>? = nil

    public init() {}
    public init(
      blank: Int = 0, reduction: Reduction = .mean, zeroInfinity: Bool = false, inputLengths: Tensor<Double>? = nil,
      targetLengths: Tensor<Double>? = nil
    ) {
      (self.blank, self.reduction, self.zeroInfinity) = (blank, reduction, zeroInfinity)
      (self.inputLengths, self.targetLengths) = (inputLengths, targetLengths)
    }

    public static let declaration = LossDeclaration<Self>(
      .torch, "CTCLoss", summary: "connectionist temporal classification NLL; log_probs (T, N, C), classes along dim 2",
      parameters: [
        LossParameter("blank", \.blank, "index of the blank label"),
        Torch.reductionOnly(\.reduction),
        LossParameter("zero_infinity", \.zeroInfinity, "replace infinite losses and their gradients by 0"),
        LossParameter(required: "input_lengths", \.inputLengths, "forward's input_lengths: (N,) or ()"),
        LossParameter(required: "target_lengths", \.targetLengths, "forward's target_lengths: (N,) or ()"),
      ], inputNames: ctcInputs, takesClassIndices: true, acceptsSampleWeight: false,
      notes: [ConventionNote("gradient", "assumes log_probs came out of log_softmax (it is the gradient w.r.t. the logits), pytorch#52241")])

    public func record<S: LossScalar>(on t: inout LossTrace<S>, _ inputs: LossInputs<S>) throws -> LossTrace<S>.Value {
      let (targetsValue, logProbsValue) = try Torch.recordInputs(&t, inputs, ctcInputs)
      let logProbs = t[logProbsValue]
      let batched = logProbs.rank == 3
      guard logProbs.rank == 3 || logProbs.rank == 2 else {
        throw LossError.shapeMismatch(argument: "log_probs", expected: "(T, N, C) or (T, C)", got: Shape.describe(logProbs.shape))
      }
      let T = logProbs.shape[0]
      let N = batched ? logProbs.shape[1] : 1
      let C = logProbs.shape.last!
      func lengths(_ value: Tensor<Double>?, _ name: String) throws -> [Int] {
        let tensor = try Torch.required(value, name)
        guard batched ? (tensor.rank == 1 && tensor.count == N) : tensor.count == 1 else {
          throw LossError.shapeMismatch(argument: name, expected: batched ? "(\(N),)" : "()", got: Shape.describe(tensor.shape))
        }
        return try ClassLabels.exact(tensor, argument: name).scalars
      }
      let inputLengths = try lengths(self.inputLengths, "input_lengths")
      let targetLengths = try lengths(self.targetLengths, "target_lengths")
      guard (0..<C).contains(blank) else {
        throw LossError.invalidParameter(name: "blank", expected: "a class index in [0, \(C))", got: "\(blank)")
      }
      for l in inputLengths where l < 0 || l > T {
        throw LossError.invalidValue(argument: "input_lengths", expected: "values in [0, \(T)]", got: "\(l)")
      }
      for l in targetLengths where l < 0 {
        throw LossError.invalidValue(argument: "target_lengths", expected: "non-negative values", got: "\(l)")
      }
      let targets = try Torch.classIndices(t[targetsValue], argument: "targets")
      // Offsets of each sequence's targets.
      var offsets = [Int](repeating: 0, count: N)
      if targets.rank == 2 {
        guard targets.shape[0] == N else {
          throw LossError.shapeMismatch(argument: "targets", expected: "(\(N), S) or (Σ target_lengths,)", got: Shape.describe(targets.shape))
        }
        let stride = targets.shape[1]
        for b in 0..<N {
          guard targetLengths[b] <= stride else {
            throw LossError.shapeMismatch(
              argument: "targets", expected: "at least \(targetLengths[b]) entries per row", got: Shape.describe(targets.shape))
          }
          offsets[b] = b * stride
        }
      } else if targets.rank <= 1 {
        var running = 0
        for b in 0..<N {
          offsets[b] = running
          running += targetLengths[b]
        }
        guard running <= targets.count else {
          throw LossError.shapeMismatch(
            argument: "targets", expected: "Σ target_lengths = \(running) concatenated targets", got: Shape.describe(targets.shape))
        }
      } else {
        throw LossError.shapeMismatch(argument: "targets", expected: "(N, S) or (Σ target_lengths,)", got: Shape.describe(targets.shape))
      }
      for b in 0..<N {
        for k in 0..<targetLengths[b] where !(0..<C).contains(targets.scalars[offsets[b] + k]) {
          throw LossError.labelOutOfRange(argument: "targets", label: targets.scalars[offsets[b] + k], classes: C)
        }
      }
      let kernel = CTCKernel(
        logProbs: logProbs.reshaped(to: [T, N, C]), targets: targets.scalars, offsets: offsets, inputLengths: inputLengths,
        targetLengths: targetLengths, blank: blank)
      let (nll, alphas) = kernel.forward()
      let zeroInfinity = self.zeroInfinity
      let losses = Tensor(shape: [N], scalars: nll.map { zeroInfinity && $0 == S.infinity ? 0 : $0 })
      let perSequence = t.step(.fusedKernel, "_ctc_loss kernel (alpha recursion)", [.integer("blank", blank)]) { t in
        t.kernel("ctc_loss", logProbsValue, value: batched ? losses : losses.reshaped(to: [])) { g in
          let grad = kernel.backward(nll: nll, alphas: alphas, outputGradient: g.scalars, zeroInfinity: zeroInfinity)
          return grad.reshaped(to: logProbs.shape)
        }
      }
      switch reduction {
      case .none, .sum: return Torch.applyReduction(&t, perSequence, reduction)
      case .mean:
        return try t.step(.reduction, "mean of loss / clamp_min(target_length, 1)") { t in
          let divisors = Tensor(shape: batched ? [N] : [], scalars: targetLengths.map { S(Swift.max($0, 1)) })
          return t.mean(try t.divide(perSequence, t.constant(divisors, name: "clamp_min(target_lengths, 1)")))
        }
      }
    }
  }
}

/// ATen's CPU CTC (`LossCTC.cpp`): `log α`, the negative log-likelihoods and, for the
/// backward, `log β` and the gradient, in the dtype, in the kernel's order.
struct CTCKernel<S: LossScalar>: Sendable {
  let logProbs: Tensor<S>  // (T, N, C)
  let targets: [Int]
  let offsets: [Int]
  let inputLengths: [Int]
  let targetLengths: [Int]
  let blank: Int

  var T: Int { logProbs.shape[0] }
  var N: Int { logProbs.shape[1] }
  var C: Int { logProbs.shape[2] }

  func lp(_ t: Int, _ b: Int, _ c: Int) -> S { logProbs.scalars[(t * N + b) * C + c] }

  /// The label at position `s` of the blank-extended target of sequence `b`.
  func prime(_ b: Int, _ s: Int) -> Int { s % 2 == 0 ? blank : targets[offsets[b] + s / 2] }

  /// The per-sequence NLL and each sequence's `log α` (`T × (2L + 1)`).
  func forward() -> (nll: [S], alphas: [[S]]) {
    var nll = [S](repeating: 0, count: N)
    var alphas: [[S]] = []
    for b in 0..<N {
      let input = inputLengths[b], length = targetLengths[b]
      let width = 2 * length + 1
      var alpha = [S](repeating: -S.infinity, count: Swift.max(T, 1) * width)
      if input == 0 {
        nll[b] = length == 0 ? 0 : S.infinity
        alphas.append(alpha)
        continue
      }
      alpha[0] = lp(0, b, blank)
      if length > 0 { alpha[1] = lp(0, b, prime(b, 1)) }
      for t in 1..<Swift.max(input, 1) {
        for s in 0..<width {
          let current = prime(b, s)
          let la1 = alpha[(t - 1) * width + s]
          var lamax = la1
          var la2 = -S.infinity, la3 = -S.infinity
          if s > 0 {
            la2 = alpha[(t - 1) * width + s - 1]
            if la2 > lamax { lamax = la2 }
          }
          if s > 1 && prime(b, s - 2) != current {
            la3 = alpha[(t - 1) * width + s - 2]
            if la3 > lamax { lamax = la3 }
          }
          if lamax == -S.infinity { lamax = 0 }
          alpha[t * width + s] = S.log(S.exp(la1 - lamax) + S.exp(la2 - lamax) + S.exp(la3 - lamax)) + lamax + lp(t, b, current)
        }
      }
      if length == 0 {
        nll[b] = -alpha[(input - 1) * width]
      } else {
        let l1 = alpha[(input - 1) * width + 2 * length]
        let l2 = alpha[(input - 1) * width + 2 * length - 1]
        var m = Swift.max(l1, l2)
        if m == -S.infinity { m = 0 }
        nll[b] = -(S.log(S.exp(l1 - m) + S.exp(l2 - m)) + m)
      }
      alphas.append(alpha)
    }
    return (nll, alphas)
  }

  /// `ctc_loss_backward_cpu_template`: `log β`, the log of Σ α·β per label, then
  /// `(exp(lp) − exp(lcab + nll − lp))·g` for `t < input_length`, 0 after.
  func backward(nll: [S], alphas: [[S]], outputGradient: [S], zeroInfinity: Bool) -> Tensor<S> {
    var grad = [S](repeating: -S.infinity, count: T * N * C)
    func index(_ t: Int, _ b: Int, _ c: Int) -> Int { (t * N + b) * C + c }
    func accumulate(_ t: Int, _ b: Int, _ c: Int, _ value: S) {
      let i = index(t, b, c)
      if grad[i] == -S.infinity {
        grad[i] = value
      } else {
        let m = Swift.max(grad[i], value)
        grad[i] = S.log(S.exp(grad[i] - m) + S.exp(value - m)) + m
      }
    }
    for b in 0..<N {
      let input = inputLengths[b], length = targetLengths[b]
      let width = 2 * length + 1
      let alpha = alphas[b]
      let gr = outputGradient.count == 1 ? outputGradient[0] : outputGradient[b]
      if zeroInfinity && nll[b] == S.infinity {
        for t in 0..<T { for c in 0..<C { grad[index(t, b, c)] = 0 } }
        continue
      }
      var beta = [S](repeating: -S.infinity, count: Swift.max(T, 1) * width)
      if input > 0 {
        let last = input - 1
        beta[last * width + 2 * length] = lp(last, b, blank)
        grad[index(last, b, blank)] = alpha[last * width + 2 * length] + beta[last * width + 2 * length]
        if length > 0 {
          let current = prime(b, 2 * length - 1)
          beta[last * width + 2 * length - 1] = lp(last, b, current)
          grad[index(last, b, current)] = alpha[last * width + 2 * length - 1] + beta[last * width + 2 * length - 1]
        }
        var t = input - 2
        while t >= 0 {
          for s in stride(from: 2 * length, through: 0, by: -1) {
            let current = prime(b, s)
            let lb1 = beta[(t + 1) * width + s]
            var lbmax = lb1
            var lb2 = -S.infinity, lb3 = -S.infinity
            if s < 2 * length {
              lb2 = beta[(t + 1) * width + s + 1]
              if lb2 > lbmax { lbmax = lb2 }
            }
            if s < 2 * length - 1 && prime(b, s + 2) != current {
              lb3 = beta[(t + 1) * width + s + 2]
              if lb3 > lbmax { lbmax = lb3 }
            }
            if lbmax == -S.infinity { lbmax = 0 }
            beta[t * width + s] = S.log(S.exp(lb1 - lbmax) + S.exp(lb2 - lbmax) + S.exp(lb3 - lbmax)) + lbmax + lp(t, b, current)
            accumulate(t, b, current, alpha[t * width + s] + beta[t * width + s])
          }
          t -= 1
        }
        for t in 0..<input {
          for c in 0..<C {
            let i = index(t, b, c)
            let logP = lp(t, b, c)
            grad[i] = (S.exp(logP) - S.exp(grad[i] + nll[b] - logP)) * gr
          }
        }
      }
      for t in input..<T { for c in 0..<C { grad[index(t, b, c)] = 0 } }
    }
    return Tensor(shape: [T, N, C], scalars: grad)
  }
}
