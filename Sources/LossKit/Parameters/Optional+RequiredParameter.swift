extension Optional {
  /// The value of a required parameter, or the error that names it.
  func unwrapped(parameter: String) throws -> Wrapped {
    guard let value = self else {
      throw LossError.invalidParameter(name: parameter, expected: "a value", got: "nothing (it is required)")
    }
    return value
  }
}
