/// Conversions of label values to class indices.
enum ClassLabels {
  /// TensorFlow's `cast(float → int64)`: truncation toward zero (Keras casts `y_true`
  /// to the loss dtype first, so labels arrive as floats; 1.9 becomes 1). A label that
  /// is not finite cannot be a class index.
  static func truncating<S: LossScalar>(_ labels: Tensor<S>, argument: String) throws -> Tensor<Int> {
    try labels.map { value -> Int in
      guard value.isFinite, Swift.abs(value) < 0x1p62 else {
        throw LossError.invalidValue(argument: argument, expected: "class indices", got: "\(value)")
      }
      return Int(value.rounded(.towardZero))
    }
  }

  /// Labels that must already be integers (TF's sparse op takes an integer tensor).
  static func exact<S: LossScalar>(_ labels: Tensor<S>, argument: String) throws -> Tensor<Int> {
    try labels.map { value -> Int in
      guard value.isFinite, value == value.rounded(), Swift.abs(value) < 0x1p62 else {
        throw LossError.invalidValue(argument: argument, expected: "integer class indices", got: "\(value)")
      }
      return Int(value)
    }
  }

  /// Throws for the first label outside `[0, classes)`.
  static func requireInRange(_ labels: Tensor<Int>, classes: Int, argument: String) throws {
    if let bad = labels.scalars.first(where: { $0 < 0 || $0 >= classes }) {
      throw LossError.labelOutOfRange(argument: argument, label: bad, classes: classes)
    }
  }
}
