/// scikit-learn 1.9.1's loss metrics (`sklearn.metrics`).
public enum SKLearn {
  /// The registry entries of every loss of this framework LossKit implements.
  static var definitions: [LossDefinition] {
    []
  }
}
