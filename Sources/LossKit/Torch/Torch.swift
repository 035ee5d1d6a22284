/// PyTorch's `torch.nn` losses, with the semantics of torch 2.15.0 on the CPU.
///
/// `y_pred` is torch's `input` (`input1` for `MarginRankingLoss` and
/// `CosineEmbeddingLoss`, `anchor` for the triplet losses, `log_probs` for `CTCLoss`);
/// `y_true` is `target` (empty for the triplet losses). Every other tensor of `forward`
/// (`input2`, `var`, `positive`, `negative`, `input_lengths`, `target_lengths`) is a
/// parameter under torch's own name. Class indices are integers.
public enum Torch {
  /// The registry entries of every loss of this framework LossKit implements.
  static var definitions: [LossDefinition] {
    [
      LossDefinition(L1Loss.self),
      LossDefinition(MSELoss.self),
      LossDefinition(CrossEntropyLoss.self),
      LossDefinition(NLLLoss.self),
      LossDefinition(PoissonNLLLoss.self),
      LossDefinition(GaussianNLLLoss.self),
      LossDefinition(KLDivLoss.self),
      LossDefinition(BCELoss.self),
      LossDefinition(BCEWithLogitsLoss.self),
      LossDefinition(MarginRankingLoss.self),
      LossDefinition(HingeEmbeddingLoss.self),
      LossDefinition(MultiLabelMarginLoss.self),
      LossDefinition(HuberLoss.self),
      LossDefinition(SmoothL1Loss.self),
      LossDefinition(SoftMarginLoss.self),
      LossDefinition(MultiLabelSoftMarginLoss.self),
      LossDefinition(CosineEmbeddingLoss.self),
      LossDefinition(MultiMarginLoss.self),
      LossDefinition(TripletMarginLoss.self),
      LossDefinition(TripletMarginWithDistanceLoss.self),
      LossDefinition(CTCLoss.self),
    ]
  }
}
