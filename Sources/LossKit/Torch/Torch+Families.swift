extension Torch {
  /// torch.nn's losses in their families (`compare`, `diagnose`, `plot`, the input lint).
  ///
  /// Empty until the torch losses are merged. Merging lead: add one row per loss and
  /// convention, e.g.
  ///
  /// ```swift
  /// FamilyMember(.binaryCrossentropy, .torch, "BCELoss", form: .probabilities, targets: .binary,
  ///   reduction: .torch, perSample: .elements, sampleWeight: .parameter("weight"),
  ///   convention: "probabilities; each log clamped at −100; mean over all elements"),
  /// FamilyMember(.binaryCrossentropy, .torch, "BCEWithLogitsLoss", form: .logits, targets: .binary,
  ///   reduction: .torch, perSample: .elements, sampleWeight: .parameter("weight"),
  ///   convention: "logits: (1 − z)·x + log1p(exp(−x)) (stable); mean over all elements"),
  /// FamilyMember(.categoricalCrossentropy, .torch, "CrossEntropyLoss", form: .logits, targets: .distribution,
  ///   classAxis: .dim1, reduction: .torch, perSample: .rows, parameterNames: ["label_smoothing": "label_smoothing"],
  ///   sampleWeight: .none, convention: "logits, class dim 1: log_softmax + nll_loss; mean over rows"),
  /// FamilyMember(.sparseCategoricalCrossentropy, .torch, "CrossEntropyLoss", form: .logits, targets: .classIndices,
  ///   classAxis: .dim1, reduction: .torch, perSample: .rows, parameterNames: ["label_smoothing": "label_smoothing"],
  ///   sampleWeight: .none, convention: "logits, class dim 1, integer targets; mean over non-ignored rows"),
  /// FamilyMember(.nll, .torch, "NLLLoss", form: .logProbabilities, targets: .classIndices, classAxis: .dim1, ...),
  /// FamilyMember(.mse, .torch, "MSELoss", form: .values, targets: .values, reduction: .torch, perSample: .elements, ...),
  /// FamilyMember(.mae, .torch, "L1Loss", ...), FamilyMember(.huber, .torch, "HuberLoss", parameterNames: ["delta": "delta"], ...),
  /// FamilyMember(.klDivergence, .torch, "KLDivLoss", form: .logProbabilities, targets: .distribution, ...),
  /// FamilyMember(.poisson, .torch, "PoissonNLLLoss", form: .logRates, ...)
  /// ```
  ///
  /// `classAxis: .dim1` is the translation of Keras's `axis=-1`: compare and diagnose
  /// move the class axis to dimension 1 before calling the loss. The torch trace's
  /// `elementwise-loss` step should carry `log_clamp: -100` so that compare names the
  /// clamp ("clamps log at −100"), see docs/explain.md.
  static var familyMembers: [FamilyMember] { [] }
}
