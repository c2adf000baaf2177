import Model
import Support
import Tensor
import Testing

extension ModelTests {
    /// The last layer computing only the rows the heads read (the masked slots and [CLS])
    /// gives what computing every row gives: the same losses, logits and gradients.
    @Suite struct HeadRowsTests {
        /// The test batch has 3 slots per sequence of 10 tokens, so the last layer computes 4
        /// rows of each (3 for MLM-only); with 3 unused slots more, more than half of each
        /// sequence, it computes all 10. Dropout is off, so both runs compute the same function.
        @Test(arguments: ["bert", "mlm-only", "character-bert"])
        func theHeadRowsGiveWhatEveryRowGives(_ kind: String) throws {
            let configuration = switch kind {
            case "bert": ModelTestSupport.bertConfiguration(dropout: 0)
            case "mlm-only": ModelTestSupport.bertConfiguration(nextSentencePrediction: false, dropout: 0)
            default: ModelTestSupport.characterBertConfiguration(dropout: 0)
            }
            let model = try BertForPreTraining(configuration: configuration, backend: ModelTestSupport.backend, seed: 3)
            let batch = ModelTestSupport.batch(for: configuration)
            let (slots, vocabulary) = (batch.shape.maxPredictions, configuration.vocabularySize)

            func run(_ inputs: PretrainingInputs) throws -> (losses: PretrainingLosses, logits: [Float], nsp: [Float]?,
                                                            gradients: [Float]) {
                model.parameters.zeroGradients()
                let losses = try model.forward(inputs, training: true)
                model.backward()
                // The MLM logits of the batch's own slots, leaving out the unused ones added.
                let all = model.backend.floats(model.maskedLanguageModelLogits!)
                let width = inputs.shape.maxPredictions * vocabulary
                let logits = (0..<inputs.shape.batchSize).flatMap { all[$0 * width..<($0 * width + slots * vocabulary)] }
                return (losses, logits, model.nextSentenceLogits.map(model.backend.floats),
                        model.backend.floats(model.parameters.gradients))
            }
            let headRows = try run(batch)
            let everyRow = try run(ModelTestSupport.withUnusedSlots(batch, extra: 3))

            #expect(headRows.losses.maskedTokens == everyRow.losses.maskedTokens)
            #expect(abs(headRows.losses.total - everyRow.losses.total) <= 1e-5 * everyRow.losses.total)
            let pairs = [("MLM logits", headRows.logits, everyRow.logits),
                         ("NSP logits", headRows.nsp ?? [], everyRow.nsp ?? []),
                         ("gradients", headRows.gradients, everyRow.gradients)]
            for (name, values, expected) in pairs {
                #expect(values.count == expected.count, "\(name)")
                let scale = expected.map(abs).max() ?? 0
                let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? 0
                #expect((scale > 0 || expected.isEmpty) && worst <= 1e-5 * scale,
                        "\(name): worst difference \(worst) of values up to \(scale)")
            }
            #expect((headRows.nsp == nil) == (kind == "mlm-only"))
        }
    }
}
