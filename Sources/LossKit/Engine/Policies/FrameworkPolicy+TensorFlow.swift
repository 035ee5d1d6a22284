extension FrameworkPolicy {
  /// TensorFlow 2.21 on an x86-64 CPU (Keras 3's TensorFlow backend, tf-keras and
  /// `tf.nn`): registered gradients that give a tie of `Maximum`/`Minimum` to the first
  /// operand, Eigen's summation tree and packet math with AVX packets, and a thread pool
  /// that runs with DAZ and FTZ set — `tf.exp(-90.0)` is `0.0`, not `8.19e-40`.
  public static let tensorFlow = FrameworkPolicy(
    name: "tensorflow",
    gradientRules: GradientRules(extremumTie: .firstOperand),
    summation: .eigen(floatPacket: 8, doublePacket: 4),
    elementaryFunctions: .eigen(floatPacket: 8, doublePacket: 4),
    flushesSubnormals: true)
}
