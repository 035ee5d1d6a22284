extension Optax {
  /// optax.losses' functions in their families. Empty until the optax losses are merged.
  /// Merging lead: one row per function, e.g.
  ///
  /// ```swift
  /// FamilyMember(.binaryCrossentropy, .optax, "sigmoid_binary_cross_entropy", form: .logits, targets: .binary,
  ///   reduction: nil, perSample: .elements, sampleWeight: .none,
  ///   convention: "logits: −log_sigmoid(x)·z − log_sigmoid(−x)·(1 − z), unreduced"),
  /// FamilyMember(.categoricalCrossentropy, .optax, "softmax_cross_entropy", form: .logits, targets: .distribution,
  ///   reduction: nil, perSample: .rows, sampleWeight: .none, convention: "logits: −Σ y·log_softmax(x), unreduced"),
  /// FamilyMember(.sparseCategoricalCrossentropy, .optax, "softmax_cross_entropy_with_integer_labels", ...),
  /// FamilyMember(.focal, .optax, "sigmoid_focal_loss", form: .logits, parameterNames: ["gamma": "gamma"], ...),
  /// FamilyMember(.hinge, .optax, "hinge_loss", form: .values, targets: .signed, ...),
  /// FamilyMember(.huber, .optax, "huber_loss", parameterNames: ["delta": "delta"], ...),
  /// FamilyMember(.mse, .optax, "squared_error", ...), FamilyMember(.logCosh, .optax, "log_cosh", ...),
  /// FamilyMember(.cosineSimilarity, .optax, "cosine_similarity", ...), FamilyMember(.klDivergence, .optax, "kl_divergence", ...)
  /// ```
  ///
  /// optax returns unreduced values (`reduction: nil`): compare shows their mean.
  static var familyMembers: [FamilyMember] { [] }
}
