/// An elementwise function of one tensor, as the frameworks' primitive ops define it.
public enum UnaryOp: String, Sendable, CaseIterable {
  case negate = "neg"
  case log
  case log1p
  case exp
  case sigmoid
  case relu
  case abs
  /// -1, 0 or 1 (0 for ±0; NaN stays NaN), TF's `sign` and the subgradient of `abs`.
  case sign
  case square
  case reciprocal
  case sqrt
  case tanh
  case sinh
  case cosh
  /// `e^x − 1`.
  case expm1
  /// `log(1 + e^x)` as TensorFlow's `Softplus` kernel computes it: `x` above
  /// `−(log ε + 2)`, `e^x` below `log ε + 2`, `log1p(e^x)` between (ε the dtype's
  /// machine epsilon).
  case softplus
  /// `1 / √x` (TF's `Rsqrt`).
  case rsqrt
  /// Rounds to float32 and back (a `cast` to float32 inside a float64 computation, as
  /// `tf.compat.v1.losses` does); the identity in float32. Its gradient is rounded to
  /// float32 too, as the framework computes it in float32.
  case roundToFloat32 = "cast_float32"
}

/// An elementwise function of two tensors, broadcast NumPy-style.
public enum BinaryOp: String, Sendable, CaseIterable {
  case add
  case subtract = "sub"
  case multiply = "mul"
  case divide = "div"
  /// `x / y`, or 0 where `y == 0` (TF's `divide_no_nan`).
  case divideNoNaN = "divide_no_nan"
  /// The larger value; NaN if either is NaN (TF and NumPy propagate NaN).
  case maximum
  /// The smaller value; NaN if either is NaN.
  case minimum
  case pow
  /// `x · log(y)`, and 0 where `x == 0` unless `y` is NaN (torch's and SciPy's `xlogy`).
  case xlogy
}

import CLossKitKernels

enum Kernels {
  @inline(__always)
  static func sigmoid<S: LossScalar>(_ x: S) -> S { 1 / (1 + S.exp(-x)) }

  /// TensorFlow's `Softplus` functor (`softplus_op.h`).
  @inline(__always)
  static func softplus<S: LossScalar>(_ x: S) -> S {
    let threshold = S.log(S.ulpOfOne) + 2
    if x > -threshold { return x }
    let e = S.exp(x)
    return x < threshold ? e : S.log1p(e)
  }

  @inline(__always)
  static func sign<S: LossScalar>(_ x: S) -> S { x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? x : 0)) }

  @inline(__always)
  static func maximum<S: LossScalar>(_ x: S, _ y: S) -> S {
    x.isNaN || y.isNaN ? S.nan : (x >= y ? x : y)
  }

  @inline(__always)
  static func minimum<S: LossScalar>(_ x: S, _ y: S) -> S {
    x.isNaN || y.isNaN ? S.nan : (x <= y ? x : y)
  }

  static func map<S: LossScalar>(_ x: [S], _ f: (S) -> S) -> [S] {
    [S](unsafeUninitializedCapacity: x.count) { out, initialized in
      x.withUnsafeBufferPointer { input in
        for i in 0..<input.count { out[i] = f(input[i]) }
      }
      initialized = x.count
    }
  }

  /// Applies a unary op to a tensor with the policy's elementary functions, the result
  /// flushed as a kernel output.
  static func apply<S: LossScalar>(_ op: UnaryOp, _ x: Tensor<S>, _ environment: KernelEnvironment) -> Tensor<S> {
    environment.flushed(Tensor(shape: x.shape, scalars: apply(op, x.scalars, environment)))
  }

  /// Applies a unary op to every element of one contiguous run, with the policy's
  /// elementary functions.
  static func apply<S: LossScalar>(_ op: UnaryOp, _ x: [S], _ environment: KernelEnvironment) -> [S] {
    if environment.elementaryFunctions == .xla, let code = xlaCode(op) {
      return unaryInC(x, float: { lk_xla_unary_f32(code, $0, $1, $2) }, double: { lk_xla_unary_f64(code, $0, $1, $2) })
    }
    let packet = environment.elementaryFunctions.packet(S.self)
    if packet > 0, let code = eigenCode(op) {
      return unaryInC(
        x, float: { lk_eigen_unary_f32(code, $0, $1, $2, packet) }, double: { lk_eigen_unary_f64(code, $0, $1, $2, packet) })
    }
    if packet > 0, op == .reciprocal, S.self == Float.self {
      return [S](unsafeUninitializedCapacity: x.count) { out, initialized in
        x.withUnsafeBufferPointer { input in
          input.withMemoryRebound(to: Float.self) { i in
            out.withMemoryRebound(to: Float.self) { o in lk_eigen_reciprocal_f32(i.baseAddress, o.baseAddress, i.count, packet) }
          }
        }
        initialized = x.count
      }
    }
    return apply(op, x)
  }

  /// TensorFlow's SigmoidGrad kernel, `g·y·(1 − y)`, associated as its packet and
  /// scalar paths do under an Eigen policy.
  static func sigmoidGradient<S: LossScalar>(y: Tensor<S>, g: Tensor<S>, _ environment: KernelEnvironment) -> Tensor<S>? {
    let packet = environment.elementaryFunctions.packet(S.self)
    guard packet > 0, y.shape == g.shape else { return nil }
    let out = [S](unsafeUninitializedCapacity: y.count) { out, initialized in
      y.scalars.withUnsafeBufferPointer { yb in
        g.scalars.withUnsafeBufferPointer { gb in
          if S.self == Float.self {
            yb.withMemoryRebound(to: Float.self) { yy in
              gb.withMemoryRebound(to: Float.self) { gg in
                out.withMemoryRebound(to: Float.self) { o in
                  lk_tf_sigmoid_grad_f32(yy.baseAddress, gg.baseAddress, o.baseAddress, yy.count, packet)
                }
              }
            }
          } else {
            yb.withMemoryRebound(to: Double.self) { yy in
              gb.withMemoryRebound(to: Double.self) { gg in
                out.withMemoryRebound(to: Double.self) { o in
                  lk_tf_sigmoid_grad_f64(yy.baseAddress, gg.baseAddress, o.baseAddress, yy.count, packet)
                }
              }
            }
          }
        }
      }
      initialized = y.count
    }
    return Tensor(shape: y.shape, scalars: out)
  }

  /// The C kernels' code for a unary op that has an Eigen packet function.
  static func eigenCode(_ op: UnaryOp) -> Int32? {
    switch op {
    case .log: 0
    case .exp: 1
    case .log1p: 2
    case .sigmoid: 3
    default: nil
    }
  }

  /// The C kernels' code for a unary op that has an XLA function
  /// (``ElementaryFunctions/xla``).
  static func xlaCode(_ op: UnaryOp) -> Int32? {
    switch op {
    case .log: 0
    case .exp: 1
    case .log1p: 2
    case .sigmoid: 3
    case .expm1: 4
    case .tanh: 5
    default: nil
    }
  }

  /// `x` through a C function of (input, output, count), the float or the double one.
  static func unaryInC<S: LossScalar>(
    _ x: [S], float: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void,
    double: (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void
  ) -> [S] {
    [S](unsafeUninitializedCapacity: x.count) { out, initialized in
      x.withUnsafeBufferPointer { input in
        if S.self == Float.self {
          input.withMemoryRebound(to: Float.self) { i in
            out.withMemoryRebound(to: Float.self) { o in float(i.baseAddress, o.baseAddress, i.count) }
          }
        } else {
          input.withMemoryRebound(to: Double.self) { i in
            out.withMemoryRebound(to: Double.self) { o in double(i.baseAddress, o.baseAddress, i.count) }
          }
        }
      }
      initialized = x.count
    }
  }

  /// Applies a unary op to every element with the C library's functions.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func apply<S: LossScalar>(_ op: UnaryOp, _ x: [S]) -> [S] {
    switch op {
    case .negate: return map(x) { -$0 }
    case .log: return map(x) { S.log($0) }
    case .log1p: return map(x) { S.log1p($0) }
    case .exp: return map(x) { S.exp($0) }
    case .sigmoid: return map(x) { sigmoid($0) }
    case .relu: return map(x) { $0 > 0 ? $0 : ($0.isNaN ? $0 : 0) }
    case .abs: return map(x) { Swift.abs($0) }
    case .sign: return map(x) { sign($0) }
    case .square: return map(x) { $0 * $0 }
    case .reciprocal: return map(x) { 1 / $0 }
    case .sqrt: return map(x) { $0.squareRoot() }
    case .tanh: return map(x) { S.tanh($0) }
    case .sinh: return map(x) { S.sinh($0) }
    case .cosh: return map(x) { S.cosh($0) }
    case .expm1: return map(x) { S.expm1($0) }
    case .softplus: return map(x) { softplus($0) }
    case .rsqrt: return map(x) { 1 / $0.squareRoot() }
    case .roundToFloat32: return map(x) { S(Float($0)) }
    }
  }

  /// Applies a binary op to two broadcast-compatible tensors.
  ///
  /// - Precondition: the shapes broadcast (callers check and throw first).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func apply<S: LossScalar>(_ op: BinaryOp, _ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
    switch op {
    case .add: return zip(a, b) { $0 + $1 }
    case .subtract: return zip(a, b) { $0 - $1 }
    case .multiply: return zip(a, b) { $0 * $1 }
    case .divide: return zip(a, b) { $0 / $1 }
    case .divideNoNaN: return zip(a, b) { $1 == 0 ? 0 : $0 / $1 }
    case .maximum: return zip(a, b) { maximum($0, $1) }
    case .minimum: return zip(a, b) { minimum($0, $1) }
    case .pow: return zip(a, b) { S.pow($0, $1) }
    case .xlogy: return zip(a, b) { x, y in y.isNaN ? y : (x == 0 ? 0 : x * S.log(y)) }
    }
  }

  /// `mask ? a : b` elementwise, for tensors of one shape.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  static func select<S: LossScalar>(_ mask: Tensor<Bool>, _ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
    precondition(mask.shape == a.shape && a.shape == b.shape, "Kernels.select: shapes \(mask.shape), \(a.shape), \(b.shape)")
    let out = [S](unsafeUninitializedCapacity: a.count) { buffer, initialized in
      mask.scalars.withUnsafeBufferPointer { m in
        a.scalars.withUnsafeBufferPointer { x in
          b.scalars.withUnsafeBufferPointer { y in
            for i in 0..<m.count { buffer[i] = m[i] ? x[i] : y[i] }
          }
        }
      }
      initialized = a.count
    }
    return Tensor(shape: a.shape, scalars: out)
  }

  /// Combines two tensors elementwise under NumPy broadcasting.
  static func zip<A, B, R>(_ a: Tensor<A>, _ b: Tensor<B>, _ f: (A, B) -> R) -> Tensor<R> {
    if a.shape == b.shape {
      let out = [R](unsafeUninitializedCapacity: a.count) { buffer, initialized in
        a.scalars.withUnsafeBufferPointer { x in
          b.scalars.withUnsafeBufferPointer { y in
            for i in 0..<x.count { buffer[i] = f(x[i], y[i]) }
          }
        }
        initialized = a.count
      }
      return Tensor(shape: a.shape, scalars: out)
    }
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      preconditionFailure("Kernels.zip: shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    let count = Shape.count(shape)
    if b.count == 1 && a.count == count {
      let y = b.scalars[0]
      return Tensor(shape: shape, scalars: a.scalars.map { f($0, y) })
    }
    if a.count == 1 && b.count == count {
      let x = a.scalars[0]
      return Tensor(shape: shape, scalars: b.scalars.map { f(x, $0) })
    }
    var walk = StridedWalk(shape: shape, strides: [broadcastStrides(a.shape, to: shape), broadcastStrides(b.shape, to: shape)])
    var out = [R]()
    out.reserveCapacity(count)
    a.scalars.withUnsafeBufferPointer { x in
      b.scalars.withUnsafeBufferPointer { y in
        for _ in 0..<count {
          out.append(f(x[walk.offsets[0]], y[walk.offsets[1]]))
          walk.advance()
        }
      }
    }
    return Tensor(shape: shape, scalars: out)
  }

  /// Strides that read `shape` as if broadcast to `target` (0 along stretched axes).
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = Shape.strides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { d in
      d < offset || shape[d - offset] == 1 ? 0 : own[d - offset]
    }
  }

  /// Materializes `x` broadcast to `shape`.
  static func broadcast<T>(_ x: Tensor<T>, to shape: [Int]) -> Tensor<T> {
    if x.shape == shape { return x }
    return gather(x, shape: shape, strides: broadcastStrides(x.shape, to: shape))
  }
}
