import LossKit
import LossKitTestSupport
import Testing

@Suite("explain")
struct ExplainTests {
  let registry = LossRegistry.standard

  /// Every family member, generically: explain's value is the value `compute` returns
  /// (the fused kernel where there is one), bit for bit, and the contributions add up to it.
  @Test func explanationAgreesWithComputeAndTheFusedKernels() throws {
    var checked = 0
    for member in registry.families.members where registry.definitions.contains(where: { $0.name == member.loss && $0.framework == member.framework }) {
      checked += 1
      let family = try registry.families.family(member.family)
      let inputs = FamilySamples.inputs(family, form: member.form)
      let request = try registry.families.request(for: member, inputs)
      let explanation = try Explanation.explain(request)
      let computed = try registry.evaluate(request).loss
      #expect(explanation.value.data == Array(computed.scalars.prefix(explanation.value.data.count)), "\(member.label)")
      // The fused kernel, called directly where it covers these inputs.
      let loss = try registry.definition(named: member.loss, framework: member.framework).make(request.parameters)
      if loss.computeDType(forInputs: .float32) == .float32,
        let fused = try loss.fused(request.inputs(as: Float.self), gradient: false)
      {
        #expect(explanation.value.data == fused.loss.scalars.prefix(64).map { Double($0) }, "\(member.label) fused")
      }
      if computed.isScalar, computed.scalars[0].isFinite {
        let sum = explanation.elements.reduce(0) { $0 + $1.contribution }
        #expect(!explanation.elementsTruncated)
        #expect(abs(sum - computed.scalars[0]) <= 1e-5 * abs(computed.scalars[0]) + 1e-6, "\(member.label): \(sum)")
      }
      #expect(explanation.steps.contains { $0.id == "inputs" })
    }
    #expect(checked >= LossRegistry.standard.families.families.count, "\(checked) members explained")
  }

  @Test func seedExampleFlagsTheClippedElements() throws {
    let request = LossRequest(framework: .keras, loss: "BinaryCrossentropy", yTrue: Tensor([1, 1, 1]), yPred: Tensor([1, 1, 0]))
    let explanation = try Explanation.explain(request)
    #expect(explanation.granularity == "element" && explanation.elementCount == 3)
    #expect(explanation.elements.allSatisfy { $0.flags == [.clipped] })
    #expect(explanation.elements[2].share > 0.999999)
    #expect(explanation.steps.map(\.id).contains("clip"))
    let clip = try #require(explanation.steps.first { $0.id == "clip" })
    #expect(clip.output?.data == [Double(Float(1 - 1e-7)), Double(Float(1 - 1e-7)), Double(Float(1e-7))])
  }

  @Test func flagsIgnoredWeightedToZeroAndSaturated() throws {
    let probabilities = Tensor<Double>(shape: [3, 3], scalars: [0.9, 0.05, 0.05, 0.1, 0.2, 0.7, 0.2, 0.6, 0.2])
    let sparse = LossRequest(
      framework: .keras, loss: "SparseCategoricalCrossentropy", parameters: ["ignore_class": .int(2)],
      yTrue: Tensor([0, 2, 1]), yPred: probabilities, sampleWeight: Tensor([1, 1, 0]))
    let explanation = try Explanation.explain(sparse)
    #expect(explanation.granularity == "row")
    #expect(explanation.elements[1].flags.contains(.ignored))
    #expect(explanation.elements[2].flags.contains(.weightedToZero))
    #expect(explanation.elements[0].flags.isEmpty)
    let logits = LossRequest(framework: .tf, loss: "sigmoid_cross_entropy_with_logits", yTrue: Tensor([1, 1]), yPred: Tensor([20, 0.5]))
    let saturated = try Explanation.explain(logits)
    #expect(saturated.elements[0].flags == [.saturated])
    #expect(saturated.elements[1].flags.isEmpty)
  }

  @Test func largeInputsListTheLargestContributions() throws {
    let n = 5000
    let yPred = Tensor<Double>(shape: [n], scalars: (0..<n).map { Double($0 % 97) / 97 })
    let request = LossRequest(framework: .keras, loss: "BinaryCrossentropy", yTrue: Tensor<Double>(repeating: 1, shape: [n]), yPred: yPred)
    let explanation = try Explanation.explain(request, maximumElements: 8, maximumListed: 10)
    #expect(explanation.elementsTruncated && explanation.elements.count == 10)
    #expect(explanation.elements.first?.yPred == 0)
    #expect(explanation.steps.allSatisfy { ($0.output?.data.count ?? 0) <= 8 })
    #expect(explanation.flagCounts[Explanation.Flag.clipped] == Int((Double(n) / 97).rounded(.up)))
  }
}

@Suite("compare")
struct CompareTests {
  @Test func seedExampleDepartures() throws {
    let comparison = try Comparison.compare(.binaryCrossentropy, Comparison.seedExample)
    #expect(comparison.rows.map(\.framework).prefix(3) == ["keras", "tf_keras", "tf"])
    #expect(comparison.rows[0].departure == nil)
    let tfKeras = try #require(comparison.rows[1].departure)
    #expect(tfKeras.step == "elementwise-loss")
    #expect(tfKeras.description.contains("adds 1e-07 inside each log"))
    let tf = try #require(comparison.rows[2].departure)
    #expect(tf.description == "no clip; reads y_pred as logits: max(x, 0) − x·z + log1p(exp(−|x|))")
    #expect(tf.reference?.hasPrefix("clips y_pred to [1e-07, 0.9999999]") == true)
    #expect(comparison.rows[2].shown == "mean")
    // The tf row's value is the mean of its per-element losses, as the old table showed.
    #expect(comparison.rows[2].value == Double(Float(0.43989018)))

    func row(_ framework: String, _ loss: String) throws -> Comparison.Row {
      try #require(comparison.rows.first { $0.framework == framework && $0.loss == loss })
    }
    // torch's BCELoss clamps each log at −100 where Keras clips.
    let bce = try #require(try row("torch", "BCELoss").departure)
    #expect(bce.step == "elementwise-loss" && bce.description == "no clip; clamps each log at −100")
    #expect(try row("torch", "BCELoss").perElement == [-0.0, -0.0, 100])
    #expect(try row("torch", "BCEWithLogitsLoss").departure?.description.contains("reads y_pred as logits") == true)
    // scikit-learn clips at float32's machine epsilon.
    let sklearn = try #require(try row("sklearn", "log_loss").departure)
    #expect(sklearn.step == "clip" && sklearn.description == "clips y_pred to [1.1920929e-07, 0.9999999], ε = finfo(float32).eps")
    // tf.compat.v1 adds ε inside the logs and does not clip: Keras 3's value by another route.
    let v1 = try row("tf_v1", "log_loss")
    #expect(v1.departure?.description == "no clip; adds 1e-07 inside each log")
    #expect(v1.value == comparison.rows[0].value)
    let optax = try row("optax", "sigmoid_binary_cross_entropy")
    // Shown as a JAX user reduces it: jnp.mean, recorded by generate_optax.py.
    let jaxMean = try RecordedMeans.optax("motivating-sigmoid_binary_cross_entropy-float32")
    #expect(optax.shown == "mean" && optax.value == jaxMean, "\(optax.value) vs jnp.mean \(jaxMean)")
    #expect(optax.departure?.description.contains("reads y_pred as logits") == true)
  }

  /// A reduction that differs after the first departure is named too: tf.compat.v1
  /// divides by the number of non-zero weights.
  @Test func theFinalReductionIsNamedWhenItDiffers() throws {
    let inputs = FamilyInputs(
      yTrue: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]), yPred: Tensor(shape: [2, 2], scalars: [0.9, 0.2, 0.3, 0.6]),
      sampleWeight: Tensor([1, 0]))
    let comparison = try Comparison.compare(.binaryCrossentropy, inputs)
    let v1 = try #require(comparison.rows.first { $0.framework == "tf_v1" })
    #expect(v1.alsoDeparts?.step == "reduction")
    #expect(v1.alsoDeparts?.description == "divides the weighted sum by the number of non-zero weights")
    // Keras: (l₀₀ + l₀₁)/4 (the mean over the batch of 2 of the per-sample means with weights [1, 0]);
    // tf_v1: (l₀₀ + l₀₁)/2 (two non-zero weights after broadcasting): twice as much.
    let keras = comparison.rows[0].value
    #expect(abs(v1.value - 2 * keras) <= 4e-6 * keras)
  }

  /// A member that takes no sample weight (torch's MSELoss, optax) is weighted by LossKit
  /// on its unreduced values; tf.compat.v1 and scikit-learn take the weights themselves.
  @Test func sampleWeightsReachEveryMember() throws {
    let inputs = FamilyInputs(
      yTrue: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), yPred: Tensor(shape: [2, 2], scalars: [1.5, 2, 2, 5]),
      sampleWeight: Tensor([1, 0]))
    let comparison = try Comparison.compare(.mse, inputs)
    #expect(comparison.skipped.isEmpty, "\(comparison.skipped)")
    #expect(comparison.rows.map(\.framework) == ["keras", "tf_keras", "tf_v1", "torch", "optax", "sklearn"])
    func row(_ framework: String) throws -> Comparison.Row { try #require(comparison.rows.first { $0.framework == framework }) }
    // The frameworks' own values for this input (keras 3.15.1, tf-keras 2.21.0 with
    // sample_weight=[1, 0]: 0.0625; tf.compat.v1 with weights (2, 1): 0.125; sklearn 1.9.1
    // with sample_weight: 0.125), and torch 2.15 / optax's unreduced values weighted and
    // averaged (`(MSELoss(reduction='none')(p, y) * w[:, None]).mean()` = 0.0625).
    for framework in ["keras", "tf_keras", "torch", "optax"] { #expect(try row(framework).value == 0.0625, "\(framework)") }
    #expect(try row("torch").weightedByLossKit && row("optax").weightedByLossKit && !row("keras").weightedByLossKit)
    // tf.compat.v1 divides by the 2 non-zero weights (after broadcasting), scikit-learn by the weights' sum 1 per output.
    #expect(try row("tf_v1").value == 0.125 && row("sklearn").value == 0.125)
  }

  @Test func everyFamilyComparesItsPrimaryMembers() throws {
    let families = LossRegistry.standard.families
    for family in families.families {
      let primaries = LossRegistry.standard.registeredMembers(of: family.id).filter(\.isPrimary)
      guard !primaries.isEmpty else { continue }
      let inputs = FamilySamples.inputs(family, form: .probabilities)
      let comparison = try Comparison.compare(family.id, inputs)
      #expect(comparison.rows.count + comparison.skipped.count == primaries.count, "\(family.id)")
      // The rows are the members not skipped, in order: each row is its member's value.
      let shown = primaries.filter { member in !comparison.skipped.contains { $0.hasPrefix("\(member.label): ") } }
      #expect(shown.count == comparison.rows.count, "\(family.id): \(comparison.skipped)")
      for (row, member) in zip(comparison.rows, shown) {
        #expect(row.framework == member.framework.rawValue && row.loss == member.loss, "\(family.id)")
        #expect(row.value == (try families.evaluate(member, inputs)).value, "\(member.label)")
      }
    }
  }

  @Test func parametersAreTranslated() throws {
    let inputs = FamilySamples.inputs(try LossFamilies.standard.family(.binaryCrossentropy), form: .logits)
    let logits = try Comparison.compare(.binaryCrossentropy, inputs, parameters: ["from_logits": .bool(true)])
    #expect(logits.rows.map(\.framework) == ["keras", "tf_keras", "tf", "tf_v1", "torch", "optax"])
    // Every logits member reads logits: they depart in the reduction only (or not at all).
    #expect(logits.rows.allSatisfy { $0.departure == nil || ["rounding", "none", "reduction", "axis-reduction"].contains($0.departure!.step) })
    for row in logits.rows { #expect(abs(row.value - logits.rows[0].value) <= 1e-6 * logits.rows[0].value, "\(row.framework)") }
    let summed = try Comparison.compare(.binaryCrossentropy, inputs, parameters: ["reduction": .string("sum")])
    let keras = try Keras.BinaryCrossentropy(reduction: .sum)(inputs.yTrue.converted(to: Float.self), inputs.yPred.converted(to: Float.self))
    #expect(summed.rows[0].value == Double(keras.scalars[0]))
    let smoothed = try Comparison.compare(.binaryCrossentropy, inputs, parameters: ["label_smoothing": .float(0.1)])
    #expect(smoothed.rows.map(\.framework) == ["keras", "tf_keras"])
    // The primary members without a label_smoothing parameter are skipped and listed.
    let skipped = ["tf/sigmoid_cross_entropy_with_logits", "tf_v1/log_loss", "torch/BCELoss", "torch/BCEWithLogitsLoss",
      "optax/sigmoid_binary_cross_entropy", "sklearn/log_loss"]
    #expect(smoothed.skipped.map { String($0.prefix { $0 != ":" }) } == skipped)
    // tf.compat.v1's sigmoid_cross_entropy takes label_smoothing (toward 0.5, as Keras).
    let v1 = try Comparison.compare(.binaryCrossentropy, inputs, parameters: ["label_smoothing": .float(0.1), "from_logits": .bool(true)])
    #expect(v1.rows.map(\.framework) == ["keras", "tf_keras", "tf_v1"])
    #expect(abs(v1.rows[2].value - v1.rows[0].value) <= 1e-6 * v1.rows[0].value)
  }
}

@Suite("diagnose")
struct DiagnoseTests {
  @Test func seedSumInsteadOfMeanComesFirst() throws {
    let diagnosis = try Diagnosis.diagnose(
      Comparison.seedExample, observed: 16.118, options: DiagnosisOptions(observedText: "16.118"))
    let first = try #require(diagnosis.candidates.first)
    #expect(first.family == "binary-crossentropy")
    #expect(first.mistakes == [.sumInsteadOfMean])
    #expect(first.recipe.contains("summed instead of averaged (no division by the 3 elements"))
    #expect(diagnosis.tolerance == 0.0005)
  }

  /// A framework's own loss with no mistake outranks any mistake that gives the same value.
  @Test func aFrameworksOwnLossOutranksMistakes() throws {
    let keras = try Keras.BinaryCrossentropy()(Tensor<Float>([1, 1, 1]), Tensor<Float>([1, 1, 0]))
    let observed = Double(keras.scalars[0])
    let diagnosis = try Diagnosis.diagnose(Comparison.seedExample, observed: observed, options: DiagnosisOptions(observedText: "\(keras.scalars[0])"))
    let first = try #require(diagnosis.candidates.first)
    #expect(first.framework == "keras" && first.loss == "BinaryCrossentropy" && first.mistakes.isEmpty)
    let withMistakes = diagnosis.candidates.dropFirst().filter { $0.value == observed && !$0.mistakes.isEmpty }
    #expect(!withMistakes.isEmpty)  // e.g. the hand-written clip at 1e-7, same value, ranked after
  }

  @Test func nothingMatchesGivesTheNearest() throws {
    let diagnosis = try Diagnosis.diagnose(Comparison.seedExample, observed: 3.5, options: DiagnosisOptions(observedText: "3.5"))
    #expect(!diagnosis.matched && diagnosis.candidates.isEmpty)
    #expect(diagnosis.nearest.count == 5)
  }

  @Test func precisionOfTheObservedNumber() {
    #expect(Diagnosis.digitTolerance("16.118") == 0.0005)
    #expect(Diagnosis.digitTolerance("1.6118e1") == 0.0005)
    #expect(Diagnosis.digitTolerance("100") == 0.5)
    #expect(Diagnosis.digitTolerance("-2.5E-3") == 0.00005)
  }

  @Test func familyOptionAndUnknownFamily() throws {
    let diagnosis = try Diagnosis.diagnose(
      Comparison.seedExample, observed: 16.118, options: DiagnosisOptions(family: .binaryCrossentropy, observedText: "16.118"))
    #expect(diagnosis.families == ["binary-crossentropy"])
    let error = try #require(throws: LossError.self) {
      try Diagnosis.diagnose(Comparison.seedExample, observed: 1, options: DiagnosisOptions(family: "bce"))
    }
    #expect(error.kind == .invalidValue && error.argument == "family", "\(error)")
  }
}
