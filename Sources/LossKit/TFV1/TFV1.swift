/// TensorFlow 1-style `tf.compat.v1.losses`, with the semantics of TensorFlow 2.21.
public enum TFV1 {
  /// The registry entries of every loss of this framework LossKit implements.
  static var definitions: [LossDefinition] {
    []
  }
}
