import CLossKitKernels

/// PyTorch's pointwise losses fused (`MSELoss`, `L1Loss`, `HuberLoss`, `SmoothL1Loss`,
/// `BCELoss`, `BCEWithLogitsLoss` without weights): per-element losses computed a
/// block at a time into a cache-sized scratch and summed in the order of ATen's
/// `cascade_sum` (``CascadeSummation``), so the value is the traced path's to the bit.
///
/// The cascade's level-0 accumulator sums `2^p` steps of 32 lanes from zero before it is
/// carried upward, so its blocks are independent: they are computed in parallel
/// (``FusedExecution``) and carried through the upper levels in order — the same
/// result for any number of threads. Float32, `input` and `target` of one shape; the
/// elementwise math is torch's: the C library's `log` and `log1p` for BCELoss (glibc's
/// algorithms as vector code where they give this process's C library's bits, checked at
/// run time; the library itself element by element otherwise), SLEEF's for
/// BCEWithLogitsLoss (``TorchVectorMath``).
enum TorchPointwiseKernel {
  private static let lanes = 8
  private static let interleave = 4

  /// `utils::CeilLog2`.

  static func evaluate(
    _ config: lk_torch_config, reduction: Torch.Reduction, _ inputs: LossInputs<Float>, gradient wanted: Bool,
    into provided: UnsafeMutableBufferPointer<Float>? = nil
  ) -> LossEvaluation<Float>? {
    let shape = inputs.yPred.shape
    guard inputs.sampleWeight == nil, inputs.yTrue.shape == shape else { return nil }
    let count = inputs.yPred.count
    // Set by BCELoss's kernel when a value is outside [0, 1]: torch raises, so the values
    // are dropped and the traced path, which names the offending argument, runs instead.
    var outOfRange: Int32 = 0
    let evaluation = inputs.yPred.scalars.withUnsafeBufferPointer { xBuffer in
      inputs.yTrue.scalars.withUnsafeBufferPointer { yBuffer in
        withUnsafeMutablePointer(to: &outOfRange) { flag in
          let x = xBuffer.baseAddress, y = yBuffer.baseAddress
          return KerasRowMeanKernel.withGradient(wanted, shape: shape, into: provided) { gradient in
            let pointers = UncheckedSendable((x, y, gradient, flag))
            // sigmoid's cpu_kernel_vec: the last count mod 32 elements on the scalar path.
            let vectorEnd = TorchVectorMath.vectorPathCount(count, Float.self)
            let elementwise = { (start: Int, n: Int, out: UnsafeMutablePointer<Float>) in
              let (x, y, g, flag) = pointers.value
              withUnsafePointer(to: config) { c in
                lk_torch_pointwise(x! + start, y! + start, n, max(0, vectorEnd - start), c, out, g.map { $0 + start }, flag)
              }
            }
            if reduction == .none {
              let values = FusedExecution.elementwiseOutput(count: count, elementwise)
              return Tensor(shape: shape, scalars: values)
            }
            let sum = cascadeSum(count: count, elementwise)
            return Tensor(reduction == .mean ? sum / Float(count) : sum)
          }
        }
      }
    }
    return outOfRange == 0 ? evaluation : nil
  }

  /// The per-element losses (`reduction='none'`'s values, the same for any reduction)
  /// summed exactly, for ``ExactlyReducible``; nil where ``evaluate`` gives nil (shapes,
  /// BCELoss's range).
  static func exactElementSum(_ config: lk_torch_config, _ inputs: LossInputs<Float>) -> ExactElementSum? {
    let vectorEnd = TorchVectorMath.vectorPathCount(inputs.yPred.count, Float.self)
    var outOfRange: Int32 = 0
    let sum = withUnsafeMutablePointer(to: &outOfRange) { flag in
      let shared = UncheckedSendable(flag)
      return withUnsafePointer(to: config) { c in
        let config = UncheckedSendable(c)
        return FusedExecution.elementwiseExactSum(inputs) { start, n, x, y in
          var (hi, lo) = (0.0, 0.0)
          lk_torch_pointwise_dd_sum(x, y, n, max(0, vectorEnd - start), config.value, shared.value, &hi, &lo)
          return ExactSum(hi: hi, lo: lo)
        }
      }
    }
    return outOfRange == 0 ? sum : nil
  }

  /// ATen's `cascade_sum` of `count` values produced by `elementwise(start, n, out)`, as
  /// ``CascadeSummation/innerSum(_:start:count:lanes:)`` with 8 lanes adds them.
  static func cascadeSum(count: Int, _ elementwise: (Int, Int, UnsafeMutablePointer<Float>) -> Void) -> Float {
    guard count >= lanes else {
      return withUnsafeTemporaryAllocation(of: Float.self, capacity: max(count, 1)) { scratch in
        if count > 0 { elementwise(0, count, scratch.baseAddress!) }
        return CascadeSummation.innerSum(UnsafeBufferPointer(scratch), start: 0, count: count, lanes: lanes)
      }
    }
    let width = lanes * interleave  // 32 lanes per step of multi_row_sum
    let vectors = count / lanes
    let groups = vectors / interleave
    let power = max(4, CascadeSummation.ceilLog2(groups) / 4)
    let step = 1 << power
    let blockElements = step * width
    let blocks = groups / step
    // Level-0 block sums, in parallel, a run of blocks per piece.
    // 16 Ki elements: a 64 KiB scratch, below malloc's mmap threshold, so pieces reuse
    // memory instead of faulting in fresh zeroed pages (a tenth of BCELoss's time at 64 Ki).
    let blocksPerPiece = max(1, (1 << 14) / blockElements)
    let pieces = (blocks + blocksPerPiece - 1) / blocksPerPiece
    var blockSums = [Float](repeating: 0, count: blocks * width)
    blockSums.withUnsafeMutableBufferPointer { sums in
      let out = UncheckedSendable(sums.baseAddress)
      FusedExecution.forEach(pieces, elements: count) { piece in
        let first = piece * blocksPerPiece
        let n = min(blocksPerPiece, blocks - first)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: n * blockElements) { scratch in
          elementwise(first * blockElements, n * blockElements, scratch.baseAddress!)
          for b in 0..<n {
            lk_cascade_block(scratch.baseAddress! + b * blockElements, step, out.value! + (first + b) * width)
          }
        }
      }
    }
    // The elements after the last full block: leftover steps, vectors and scalars.
    let tailStart = blocks * blockElements
    let tail = [Float](unsafeUninitializedCapacity: count - tailStart) { buffer, initialized in
      if count > tailStart { elementwise(tailStart, count - tailStart, buffer.baseAddress!) }
      initialized = count - tailStart
    }
    // multi_row_sum's carries through levels 1–3, block by block (in C: Swift's SIMD32 on
    // this target spilled every level to the stack, a tenth of BCELoss's time).
    var levelLanes = [Float](repeating: 0, count: 4 * width)
    blockSums.withUnsafeBufferPointer { sums in
      lk_cascade_carry(sums.baseAddress, blocks, Int32(power), &levelLanes)
    }
    let levels = (0..<4).map { j in SIMD32<Float>(levelLanes[(j * width)..<((j + 1) * width)]) }
    return tail.withUnsafeBufferPointer { t in
      // Leftover steps into level 0 (zero after the last carry), then levels 1–3.
      let leftoverSteps = groups - blocks * step
      var acc = levels[0]
      for s in 0..<leftoverSteps {
        acc = acc + UnsafeRawPointer(t.baseAddress! + s * width).loadUnaligned(as: SIMD32<Float>.self)
      }
      for j in 1..<4 { acc = acc + levels[j] }
      // row_sum: the vectors after the last group of four into row 0, then rows 1–3.
      var partial = (0..<width).map { acc[$0] }
      let vectorStart = leftoverSteps * width
      for v in 0..<(vectors - groups * interleave) {
        for k in 0..<lanes { partial[k] += t[vectorStart + v * lanes + k] }
      }
      for row in 1..<interleave {
        for k in 0..<lanes { partial[k] += partial[row * lanes + k] }
      }
      // vectorized_inner_sum: the scalars past the last vector from zero, then the lanes.
      var total: Float = 0
      for k in (vectors * lanes)..<count { total += t[k - tailStart] }
      for k in 0..<lanes { total += partial[k] }
      return total
    }
  }
}

/// A torch pointwise loss the kernel covers: its configuration for `count` elements and
/// the reduction it applies, or nil when its options run traced. `FusedLoss` and
/// `ExactlyReducible` follow from it (each type names the two public witnesses, which a
/// protocol extension cannot provide without making the C configuration public).
protocol TorchPointwiseConfigured {
  func kernelConfiguration(count: Int) -> (config: lk_torch_config, reduction: Torch.Reduction)?
}

extension TorchPointwiseConfigured {
  func pointwiseEvaluation(
    _ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?
  ) -> LossEvaluation<Float>? {
    guard let (config, reduction) = kernelConfiguration(count: inputs.yPred.count) else { return nil }
    return TorchPointwiseKernel.evaluate(config, reduction: reduction, inputs, gradient: gradient, into: buffer)
  }

  func pointwiseExactSum(_ inputs: LossInputs<Float>) -> ExactElementSum? {
    kernelConfiguration(count: inputs.yPred.count).flatMap { TorchPointwiseKernel.exactElementSum($0.config, inputs) }
  }
}

extension Torch.MSELoss: TorchPointwiseConfigured, FusedLoss, ExactlyReducible {
  func kernelConfiguration(count: Int) -> (config: lk_torch_config, reduction: Torch.Reduction)? {
    let reduction = effectiveReduction
    let norm: Float = TorchKernels.norm(reduction, count: count, scale: 2)
    return (lk_torch_config(kind: Int32(LK_TORCH_MSE), threshold: 0, norm: norm, divisor: 1, epsilon: 0), reduction)
  }
  public func fusedEvaluation(_ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?) -> LossEvaluation<Float>? {
    pointwiseEvaluation(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) -> ExactElementSum? { pointwiseExactSum(inputs) }
}

extension Torch.L1Loss: TorchPointwiseConfigured, FusedLoss, ExactlyReducible {
  func kernelConfiguration(count: Int) -> (config: lk_torch_config, reduction: Torch.Reduction)? {
    // A composite: `mean`'s backward divides the incoming 1 by the count in float.
    let reduction = effectiveReduction
    let norm: Float = reduction == .mean ? 1 / Float(count) : 1
    return (lk_torch_config(kind: Int32(LK_TORCH_L1), threshold: 0, norm: norm, divisor: 1, epsilon: 0), reduction)
  }
  public func fusedEvaluation(_ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?) -> LossEvaluation<Float>? {
    pointwiseEvaluation(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) -> ExactElementSum? { pointwiseExactSum(inputs) }
}

extension Torch.HuberLoss: TorchPointwiseConfigured, FusedLoss, ExactlyReducible {
  func kernelConfiguration(count: Int) -> (config: lk_torch_config, reduction: Torch.Reduction)? {
    let norm: Float = TorchKernels.norm(reduction, count: count)
    return (lk_torch_config(kind: Int32(LK_TORCH_HUBER), threshold: Float(delta), norm: norm, divisor: 1, epsilon: 0), reduction)
  }
  public func fusedEvaluation(_ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?) -> LossEvaluation<Float>? {
    pointwiseEvaluation(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) -> ExactElementSum? { pointwiseExactSum(inputs) }
}

extension Torch.SmoothL1Loss: TorchPointwiseConfigured, FusedLoss, ExactlyReducible {
  func kernelConfiguration(count: Int) -> (config: lk_torch_config, reduction: Torch.Reduction)? {
    guard beta > 0 else { return nil }  // beta = 0 is L1Loss, traced
    let reduction = effectiveReduction
    let norm: Float = TorchKernels.norm(reduction, count: count)
    return (lk_torch_config(kind: Int32(LK_TORCH_SMOOTH_L1), threshold: Float(beta), norm: norm, divisor: 1, epsilon: 0), reduction)
  }
  public func fusedEvaluation(_ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?) -> LossEvaluation<Float>? {
    pointwiseEvaluation(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) -> ExactElementSum? { pointwiseExactSum(inputs) }
}

extension Torch.BCELoss: TorchPointwiseConfigured, FusedLoss, ExactlyReducible {
  func kernelConfiguration(count: Int) -> (config: lk_torch_config, reduction: Torch.Reduction)? {
    // Values outside [0, 1] raise in torch: the kernel checks them as it goes and gives
    // nil then, so the traced path names them.
    guard weight == nil else { return nil }
    let reduction = effectiveReduction
    let divisor: Float = reduction == .mean ? Float(count) : 1
    return (lk_torch_config(kind: Int32(LK_TORCH_BCE), threshold: 0, norm: 1, divisor: divisor, epsilon: Float(1e-12)), reduction)
  }
  public func fusedEvaluation(_ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?) -> LossEvaluation<Float>? {
    pointwiseEvaluation(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) -> ExactElementSum? { pointwiseExactSum(inputs) }
}

extension Torch.BCEWithLogitsLoss: TorchPointwiseConfigured, FusedLoss, ExactlyReducible {
  func kernelConfiguration(count: Int) -> (config: lk_torch_config, reduction: Torch.Reduction)? {
    guard weight == nil, posWeight == nil else { return nil }
    let reduction = effectiveReduction
    let divisor: Float = reduction == .mean ? Float(count) : 1
    return (lk_torch_config(kind: Int32(LK_TORCH_BCE_WITH_LOGITS), threshold: 0, norm: 1, divisor: divisor, epsilon: 0), reduction)
  }
  public func fusedEvaluation(_ inputs: LossInputs<Float>, gradient: Bool, into buffer: UnsafeMutableBufferPointer<Float>?) -> LossEvaluation<Float>? {
    pointwiseEvaluation(inputs, gradient: gradient, into: buffer)
  }
  public func exactElementSum(_ inputs: LossInputs<Float>) -> ExactElementSum? { pointwiseExactSum(inputs) }
}
