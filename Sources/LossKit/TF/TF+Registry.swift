extension TF {
  /// The registry entries of the `tf.nn` loss ops.
  static var definitions: [LossDefinition] {
    [
      LossDefinition(
        .tf, "sigmoid_cross_entropy_with_logits", summary: "elementwise max(x,0) − x·z + log(1 + e^−|x|)",
        parameters: [], inputNames: ("labels", "logits"), acceptsSampleWeight: false
      ) { _ in SigmoidCrossEntropyWithLogits() },
      LossDefinition(
        .tf, "weighted_cross_entropy_with_logits", summary: "sigmoid cross-entropy with positives weighted by pos_weight",
        parameters: [
          ParameterSpec("pos_weight", .floatOrTensor, default: nil, "weight of the positive term (number or tensor)")
        ],
        inputNames: ("labels", "logits"), acceptsSampleWeight: false,
        notes: [
          ConventionNote("gradient at x = 0", "TF's abs′(0) = relu′(0) = 0 give 1 − z; the true derivative is 1 − z − (1 + (q − 1)·z)/2"),
        ]
      ) { p in
        switch p["pos_weight"] {
        case .tensor(let t): WeightedCrossEntropyWithLogits(posWeight: .tensor(t))
        default: WeightedCrossEntropyWithLogits(posWeight: p.double("pos_weight"))
        }
      },
      LossDefinition(
        .tf, "softmax_cross_entropy_with_logits", summary: "−Σ y·log_softmax(x) over axis (fused kernel)",
        parameters: [CommonParameters.axis(-1, "class axis")], inputNames: ("labels", "logits"),
        acceptsSampleWeight: false,
        notes: [
          ConventionNote("enable_op_determinism()", "TF computes −Σ y·log_softmax(x) with autodiff instead of the fused kernel, so the gradient is the true (Σy)·softmax − y"),
          ConventionNote("tf.compat.v1.nn.softmax_cross_entropy_with_logits", "labels are wrapped in stop_gradient (v2 also differentiates them)"),
        ]
      ) { p in SoftmaxCrossEntropyWithLogits(axis: p.int("axis")) },
      LossDefinition(
        .tf, "sparse_softmax_cross_entropy_with_logits", summary: "softmax cross-entropy against integer labels",
        parameters: [], inputNames: ("labels", "logits"), takesClassIndices: true, acceptsSampleWeight: false,
        notes: [
          ConventionNote("GPU", "an out-of-range label gives NaN loss and gradient instead of an error"),
        ]
      ) { _ in SparseSoftmaxCrossEntropyWithLogits() },
      LossDefinition(
        .tf, "log_poisson_loss", summary: "exp(c) − c·z (+ Stirling term with compute_full_loss)",
        parameters: [
          ParameterSpec("compute_full_loss", .bool, default: .bool(false), "add Stirling's approximation of log(z!)")
        ],
        inputNames: ("targets", "log_input"), acceptsSampleWeight: false
      ) { p in LogPoissonLoss(computeFullLoss: p.bool("compute_full_loss")) },
    ]
  }
}
