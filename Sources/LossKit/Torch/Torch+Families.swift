extension Torch {
  /// torch.nn's losses in their families (`compare`, `diagnose`, `plot`, the input lint).
  /// A torch loss joins its family with one row here.
  ///
  /// `classAxis: .dim1` is the translation of Keras's `axis=-1`: compare and diagnose
  /// move the class axis to dimension 1 before calling the loss. The cross-entropies'
  /// `weight=` is per class, not a sample weight (`sampleWeight: .none`: compare weights
  /// their unreduced values itself); `BCELoss`'s and `BCEWithLogitsLoss`'s `weight=` is
  /// an elementwise rescaling, which is what a sample weight does there.
  static var familyMembers: [FamilyMember] {
    let smoothing = ["label_smoothing": "label_smoothing"]
    return [
      FamilyMember(
        .binaryCrossentropy, .torch, "BCELoss", form: .probabilities, targets: .binary, reduction: .torch,
        perSample: .elements, sampleWeight: .parameter("weight"),
        convention: "probabilities, no clip: each log clamped at −100 (so log 0 costs 100); mean over all elements; "
          + "backward (x − y)/max((1 − x)·x, 1e-12), not the clamped forward's"),
      FamilyMember(
        .binaryCrossentropy, .torch, "BCEWithLogitsLoss", form: .logits, targets: .binary, reduction: .torch,
        perSample: .elements, sampleWeight: .parameter("weight"),
        convention: "logits: (1 − y)·x − log_sigmoid(x), stable and unbounded; mean over all elements"),
      FamilyMember(
        .categoricalCrossentropy, .torch, "CrossEntropyLoss", form: .logits, targets: .distribution, classAxis: .dim1,
        reduction: .torch, perSample: .rows, parameterNames: smoothing, sampleWeight: .none,
        convention: "logits, classes along dim 1, probability targets: −Σ y·log_softmax(x) per row (smoothing toward 1/C); "
          + "mean over rows"),
      FamilyMember(
        .sparseCategoricalCrossentropy, .torch, "CrossEntropyLoss", form: .logits, targets: .classIndices,
        classAxis: .dim1, reduction: .torch, perSample: .rows, parameterNames: smoothing, sampleWeight: .none,
        convention: "logits, classes along dim 1, integer targets: log_softmax + nll_loss; mean over the rows not "
          + "ignored (ignore_index=−100)"),
      FamilyMember(
        .nll, .torch, "NLLLoss", form: .logProbabilities, targets: .classIndices, classAxis: .dim1, reduction: .torch,
        perSample: .rows, sampleWeight: .none,
        convention: "log-probabilities, classes along dim 1: −x[n, y_n]; mean divides by Σ weight[y_n] (the row count "
          + "without weight=)"),
      FamilyMember(
        .mse, .torch, "MSELoss", form: .values, targets: .values, reduction: .torch, perSample: .elements,
        sampleWeight: .none, convention: "(x − y)²; mean over all elements (ATen's cascade sum)"),
      FamilyMember(
        .mae, .torch, "L1Loss", form: .values, targets: .values, reduction: .torch, perSample: .elements,
        sampleWeight: .none, convention: "|x − y|; mean over all elements"),
      FamilyMember(
        .huber, .torch, "HuberLoss", form: .values, targets: .values, reduction: .torch, perSample: .elements,
        parameterNames: ["delta": "delta"], sampleWeight: .none,
        convention: "½z² where z = |x − y| < δ, else δ·(z − ½δ); mean over all elements"),
      FamilyMember(
        .huber, .torch, "SmoothL1Loss", form: .values, targets: .values, reduction: .torch, perSample: .elements,
        sampleWeight: .none,
        convention: "½z²/β where z < β, else z − ½β: Huber at β = δ = 1, Huber/β otherwise (takes beta, not delta)",
        isPrimary: false),
      FamilyMember(
        .poisson, .torch, "PoissonNLLLoss", form: .logRates, targets: .values, reduction: .torch, perSample: .elements,
        sampleWeight: .none,
        convention: "log-rates (log_input=True): exp(x) − y·x, no Stirling term (full=False); mean over all elements"),
      FamilyMember(
        .poisson, .torch, "PoissonNLLLoss", parameters: ["log_input": .bool(false)], form: .values, targets: .values,
        reduction: .torch, perSample: .elements, sampleWeight: .none,
        convention: "rates (log_input=False): x − y·log(x + 1e-8); mean over all elements", isPrimary: false),
      FamilyMember(
        .klDivergence, .torch, "KLDivLoss", form: .logProbabilities, targets: .distribution,
        reduction: ReductionTranslation(mean: "batchmean", sum: "sum", none: "none"), perSample: .elements,
        sampleWeight: .none,
        convention: "log-probability input, probability target: xlogy(y, y) − y·x per element; the default "
          + "reduction='mean' divides by the element count, not the batch size (reduction=mean here asks for 'batchmean')"),
    ]
  }
}
