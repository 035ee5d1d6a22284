/// A framework whose loss conventions LossKit reproduces.
public enum Framework: String, Sendable, CaseIterable, Codable, ParameterChoice {
  /// Keras 3 (keras 3.15.1, TensorFlow backend).
  case keras
  /// Legacy Keras 2, `tf.keras` ≤ TF 2.15 / the `tf_keras` package (2.21).
  case tfKeras = "tf_keras"
  /// TensorFlow's `tf.nn` loss ops (TensorFlow 2.21).
  case tf

  /// How users usually name it.
  public var displayName: String {
    switch self {
    case .keras: "Keras 3"
    case .tfKeras: "tf.keras 2 (tf_keras)"
    case .tf: "TensorFlow tf.nn"
    }
  }

  /// The versions whose behaviour LossKit reproduces (and its conformance corpus was
  /// generated with).
  public var referenceVersion: String {
    switch self {
    case .keras: "keras 3.15.1 (tensorflow 2.21.0 backend)"
    case .tfKeras: "tf-keras 2.21.0"
    case .tf: "tensorflow 2.21.0"
    }
  }

  /// How this framework's runtime computes: its engine policy.
  public var policy: FrameworkPolicy {
    switch self {
    case .keras, .tfKeras, .tf: .tensorFlow
    }
  }
}
