import Interop
import Model
import Support
import Tensor
import Testing

extension ModelTests {
    /// The model against PyTorch on the fixtures of Tests/Fixtures/reference (made by
    /// scripts/make_reference_fixtures.py; PyTorch computed them in float64 from float32
    /// weights): losses and logits within 1e-5 and every gradient within 1e-4, each error
    /// relative to the largest magnitude in the reference tensor.
    @Suite struct ReferenceParityTests {
        static let directory = FileSystem.split(FileSystem.split(#filePath).directory).directory + "/Fixtures/reference"

        /// The fixtures' shared sizes (see the README beside them).
        static func configuration(vocabularySize: Int, characterCNN: CharacterCNNConfiguration? = nil) -> BertConfiguration {
            BertConfiguration(vocabularySize: vocabularySize, hiddenSize: 64, layers: 2, attentionHeads: 4, intermediateSize: 128,
                              maxPositions: 32, hiddenDropout: 0, attentionDropout: 0, characterCNN: characterCNN)
        }

        /// Each fixture file and the configuration of its model.
        static let fixtures: [String: BertConfiguration] = [
            "bert.safetensors": configuration(vocabularySize: 120),
            "character_bert.safetensors": configuration(
                vocabularySize: 60,
                characterCNN: CharacterCNNConfiguration(
                    filters: [(1, 8), (2, 8), (3, 16), (4, 16), (5, 16), (6, 16), (7, 16)].map { .init(width: $0.0, count: $0.1) })),
        ]

        @Test func bertMatchesTransformers() throws {
            try compare("bert.safetensors")
        }

        @Test func characterBertMatchesThePyTorchModule() throws {
            try compare("character_bert.safetensors")
        }

        /// The fixture file `name`, and a model holding its weights with its batch.
        static func open(_ name: String, _ backend: Backend) throws -> (SafeTensorsFile, BertForPreTraining, PretrainingInputs) {
            let file = try SafeTensorsFile(path: directory + "/" + name)
            let (model, inputs) = try load(file, fixtures[name]!, backend)
            return (file, model, inputs)
        }

        /// A model holding the fixture's weights, and the fixture's batch.
        static func load(_ file: SafeTensorsFile, _ configuration: BertConfiguration, _ backend: Backend) throws
            -> (BertForPreTraining, PretrainingInputs) {
            let model = try BertForPreTraining(configuration: configuration, backend: backend)
            for parameter in model.parameters.parameters {
                let name = "param." + parameter.name
                #expect(try file.shape(name) == parameter.shape.dimensions, "\(name)")
                backend.write(try file.floats(name), to: model.parameters.value(model.parameters.id(named: parameter.name)!))
            }
            let shape = try file.shape("input.masked_lm_positions")
            let inputs = PretrainingInputs(
                shape: BatchShape(batchSize: shape[0], sequenceLength: try file.shape("input.attention_mask")[1], maxPredictions: shape[1]),
                tokenIDs: try file.int32s("input.input_ids"), tokenTypeIDs: try file.int32s("input.token_type_ids"),
                attentionMask: try file.int32s("input.attention_mask"), maskedPositions: try file.int32s("input.masked_lm_positions"),
                maskedLabels: try file.int32s("input.masked_lm_labels"), nextSentenceLabels: try file.int32s("input.next_sentence_label"))
            return (model, inputs)
        }

        private func compare(_ name: String) throws {
            let backend = ModelTestSupport.backend
            let (file, model, inputs) = try Self.open(name, backend)
            // Every fixture parameter is one of the model's.
            let fixtureNames = Set(file.names.filter { $0.hasPrefix("param.") }.map { String($0.dropFirst(6)) })
            #expect(fixtureNames == Set(model.parameters.parameters.map(\.name)))

            model.parameters.zeroGradients()
            let losses = try model.forward(inputs, training: true)
            model.backward()
            var report: [(String, Double)] = []
            func check(_ key: String, _ ours: [Float], tolerance: Double) throws {
                let error = relativeError(ours, try file.doubles(key))
                report.append((key, error))
                #expect(error <= tolerance, "\(name) \(key): relative error \(error)")
            }
            try check("output.mlm_loss", [losses.maskedLanguageModel], tolerance: 1e-5)
            try check("output.nsp_loss", [losses.nextSentence ?? .nan], tolerance: 1e-5)
            try check("output.loss", [losses.total], tolerance: 1e-5)
            try check("output.mlm_logits", backend.floats(model.maskedLanguageModelLogits!), tolerance: 1e-5)
            try check("output.nsp_logits", backend.floats(model.nextSentenceLogits!), tolerance: 1e-5)
            for parameter in model.parameters.parameters {
                let key = "grad." + parameter.name
                let ours = backend.floats(model.parameters.gradient(model.parameters.id(named: parameter.name)!))
                if parameter.name.hasSuffix("attention.self.key.bias") {
                    // Softmax ignores a constant added to every key's score, so this gradient is
                    // exactly zero; the reference holds float64 rounding noise (~1e-20) and ours
                    // float32 noise, checked against the scale of the query-bias gradient.
                    let noise = ours.map { abs(Double($0)) }.max() ?? 0
                    #expect(noise < 1e-7, "\(key) should be zero, is up to \(noise)")
                } else {
                    try check(key, ours, tolerance: 1e-4)
                }
            }
            let worstOutput = report.filter { !$0.0.hasPrefix("grad.") }.max { $0.1 < $1.1 }!
            let worstGradient = report.filter { $0.0.hasPrefix("grad.") }.max { $0.1 < $1.1 }!
            print("\(name): worst output error \(worstOutput.1) (\(worstOutput.0)), worst gradient error \(worstGradient.1) (\(worstGradient.0))")
        }
    }
}

/// max |ours − reference| / max |reference|.
func relativeError(_ ours: [Float], _ reference: [Double]) -> Double {
    precondition(ours.count == reference.count, "\(ours.count) values against \(reference.count)")
    let scale = reference.map(abs).max() ?? 0
    let difference = zip(ours, reference).map { abs(Double($0) - $1) }.max() ?? 0
    return scale > 0 ? difference / scale : difference
}
