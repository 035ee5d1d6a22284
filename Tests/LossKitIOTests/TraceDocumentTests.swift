import Foundation
import LossKit
import LossKitIO
import Testing

/// The trace export: versioned, written by the one JSON writer, decodable.
@Suite("Trace documents (losskit-trace/1)")
struct TraceDocumentTests {
  static func document() throws -> TraceDocumentV1 {
    let request = LossRequest(framework: .tfKeras, loss: "BinaryCrossentropy", yTrue: Tensor([1, 1, 1]), yPred: Tensor([1, 1, 0]))
    let (definition, trace) = try LossRegistry.standard.trace(request)
    return trace.document(framework: definition.framework, loss: definition.name)
  }

  @Test func theDocumentNamesStepsAndPolicy() throws {
    let document = try Self.document()
    #expect(document.format == "losskit-trace/1")
    #expect(document.dtype == "float32")
    #expect(document.policy.name == "tensorflow" && document.policy.flushesSubnormals)
    #expect(document.steps.map(\.id) == ["inputs", "align-ranks", "clip", "elementwise-loss", "axis-reduction", "reduction"])
    // Every node is listed under exactly one step.
    let listed = document.steps.flatMap(\.nodes).sorted()
    #expect(listed == Array(0..<document.nodes.count))
    let output = document.nodes[document.output]
    #expect(output.value.shape == [] && output.value.data.count == 1)
    // The same value as the registry computes.
    let computed = try LossRegistry.standard.evaluate(
      LossRequest(framework: .tfKeras, loss: "BinaryCrossentropy", yTrue: Tensor([1, 1, 1]), yPred: Tensor([1, 1, 0])))
    #expect(output.value.data[0] == computed.loss.scalars[0])
  }

  @Test func itIsWrittenAsJSONAndDecodesBack() throws {
    let document = try Self.document()
    let text = try JSONValueEncoder().text(document)
    #expect(text.hasPrefix("{\"format\": \"losskit-trace/1\", \"framework\": \"tf_keras\""))
    // float32 values keep their shortest form.
    #expect(text.contains("\"data\": [0.0, 0.0, -15.424949]"), "\(text.prefix(400))")
    let decoded = try JSONDecoder().decode(TraceDocumentV1.self, from: Data(text.utf8))
    #expect(decoded.steps == document.steps)
    #expect(decoded.nodes.map(\.op) == document.nodes.map(\.op))
  }

  @Test func largeTensorsAreShortened() throws {
    let request = LossRequest(
      framework: .tf, loss: "sigmoid_cross_entropy_with_logits", yTrue: Tensor(repeating: 1, shape: [1000]),
      yPred: Tensor(repeating: 0.5, shape: [1000]))
    let (definition, trace) = try LossRegistry.standard.trace(request)
    let document = trace.document(framework: definition.framework, loss: definition.name, maximumElements: 10)
    #expect(document.nodes.allSatisfy { $0.value.data.count <= 10 && $0.value.count == 1000 })
    #expect(document.nodes[0].value.isTruncated)
  }
}
