/// A framework whose loss conventions LossKit reproduces.
public enum Framework: String, Sendable, CaseIterable, Codable, ParameterChoice {
  /// Keras 3 (keras 3.15.1, TensorFlow backend).
  case keras
  /// Legacy Keras 2, `tf.keras` ≤ TF 2.15 / the `tf_keras` package (2.21).
  case tfKeras = "tf_keras"
  /// TensorFlow's `tf.nn` loss ops (TensorFlow 2.21).
  case tf
  /// TensorFlow 1-style `tf.compat.v1.losses` (TensorFlow 2.21).
  case tfV1 = "tf_v1"
  /// PyTorch's `torch.nn` losses (torch 2.15.0, CPU).
  case torch
  /// Optax's `optax.losses` (optax 0.2.8 on jax 0.10.2, CPU).
  case optax
  /// scikit-learn's loss metrics (scikit-learn 1.9.1).
  case sklearn

  /// How users usually name it.
  public var displayName: String {
    switch self {
    case .keras: "Keras 3"
    case .tfKeras: "tf.keras 2 (tf_keras)"
    case .tf: "TensorFlow tf.nn"
    case .tfV1: "TensorFlow tf.compat.v1.losses"
    case .torch: "PyTorch torch.nn"
    case .optax: "Optax (JAX)"
    case .sklearn: "scikit-learn metrics"
    }
  }

  /// The versions whose behaviour LossKit reproduces (and its conformance corpus was
  /// generated with).
  public var referenceVersion: String {
    switch self {
    case .keras: "keras 3.15.1 (tensorflow 2.21.0 backend)"
    case .tfKeras: "tf-keras 2.21.0"
    case .tf, .tfV1: "tensorflow 2.21.0"
    case .torch: "torch 2.15.0 (CPU)"
    case .optax: "optax 0.2.8, jax 0.10.2 (CPU)"
    case .sklearn: "scikit-learn 1.9.1 (numpy 2.4.6)"
    }
  }

  /// How this framework's runtime computes: its engine policy.
  public var policy: FrameworkPolicy {
    switch self {
    case .keras, .tfKeras, .tf, .tfV1: .tensorFlow
    case .torch: .torch
    case .optax: .jax
    case .sklearn: .numpy
    }
  }
}
