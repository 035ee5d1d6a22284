/// PyTorch's `torch.nn` losses, with the semantics of torch 2.15.0 on the CPU.
public enum Torch {
  /// The registry entries of every loss of this framework LossKit implements.
  static var definitions: [LossDefinition] {
    []
  }
}
