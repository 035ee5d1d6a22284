import Foundation
import LossKitIO

/// `jnp.mean` of unreduced optax values as JAX computed it, recorded by
/// `Tools/conformance/generate_optax.py` in `Tests/Fixtures/optax/means.json`: for tests
/// that check a mean LossKit shows (the cross-framework table reduces optax's unreduced
/// losses as a JAX user does).
public enum RecordedMeans {
  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/optax/means.json")

  /// The recorded mean of case `id` (e.g. `motivating-sigmoid_binary_cross_entropy-float32`).
  public static func optax(_ id: String) throws -> Double {
    let root = try JSONParser.parse([UInt8](try Data(contentsOf: file)))
    guard case .array(let cases)? = root["cases"],
      let found = cases.first(where: { if case .string(id)? = $0["id"] { true } else { false } }), let mean = found["mean"]
    else { throw InputError(file.path, "no mean recorded for \(id)") }
    let tensor = try TensorJSON.decode(mean, path: "\(id).mean")
    guard tensor.count == 1 else { throw InputError(file.path, "\(id): one value expected") }
    return tensor.scalars[0]
  }
}
