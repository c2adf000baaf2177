import Testing
import Model
import Support
import Tensor
#if canImport(Glibc)
import Glibc
#endif

extension ModelTests {
    /// `hiddenStates`: the last encoder layer's output, the states the heads read.
    @Suite struct HiddenStatesTests {
        /// The hidden states of `inputs` as rows of H values, and the model's configuration.
        private static func hidden(_ model: BertForPreTraining, _ inputs: PretrainingInputs) throws -> [[Float]] {
            let values = ModelTestSupport.backend.floats(try model.hiddenStates(inputs))
            let width = model.configuration.hiddenSize
            #expect(values.count == inputs.shape.tokens * width)
            return (0..<inputs.shape.tokens).map { Array(values[$0 * width..<($0 + 1) * width]) }
        }

        @Test func theNextSentenceHeadReadsTheClassifierTokensState() throws {
            let backend = ModelTestSupport.backend
            let configuration = ModelTestSupport.bertConfiguration()
            let model = try BertForPreTraining(configuration: configuration, backend: backend, seed: 3)
            let inputs = ModelTestSupport.batch(for: configuration)
            _ = try model.forward(inputs, training: false)
            let logits = backend.floats(model.nextSentenceLogits!)
            let hidden = try Self.hidden(model, inputs)
            let value = { (name: String) in backend.floats(model.parameters.value(model.parameters.id(named: name)!)) }
            let (poolerWeight, poolerBias) = (value("bert.pooler.dense.weight"), value("bert.pooler.dense.bias"))
            let (headWeight, headBias) = (value("cls.seq_relationship.weight"), value("cls.seq_relationship.bias"))
            let h = configuration.hiddenSize
            for row in 0..<inputs.shape.batchSize {
                // BertPooler: tanh(W · hidden[CLS] + b); then the next-sentence linear layer.
                let classifier = hidden[row * inputs.shape.sequenceLength]
                let pooled = (0..<h).map { o in
                    tanh((0..<h).reduce(poolerBias[o]) { $0 + poolerWeight[o * h + $1] * classifier[$1] })
                }
                for label in 0..<2 {
                    let expected = (0..<h).reduce(headBias[label]) { $0 + headWeight[label * h + $1] * pooled[$1] }
                    #expect(abs(expected - logits[row * 2 + label]) < 1e-5, "row \(row), label \(label)")
                }
            }
        }

        @Test(arguments: [false, true])
        func aTokensStateDoesNotDependOnPaddingOrOtherRows(characterBERT: Bool) throws {
            let configuration = characterBERT ? ModelTestSupport.characterBertConfiguration()
                                              : ModelTestSupport.bertConfiguration()
            let model = try BertForPreTraining(configuration: configuration, backend: ModelTestSupport.backend, seed: 5)
            let batch = ModelTestSupport.batch(for: configuration)
            let together = try Self.hidden(model, batch)
            // The batch's second row, whose last 4 of 10 tokens are padding, alone and unpadded.
            let idsPerToken = configuration.characterCNN?.charactersPerToken ?? 1
            let (length, real) = (batch.shape.sequenceLength, 6)
            let alone = PretrainingInputs(
                shape: BatchShape(batchSize: 1, sequenceLength: real, maxPredictions: 0),
                tokenIDs: Array(batch.tokenIDs[length * idsPerToken..<(length + real) * idsPerToken]),
                tokenTypeIDs: Array(batch.tokenTypeIDs[length..<length + real]),
                attentionMask: [Int32](repeating: 1, count: real), maskedPositions: [], maskedLabels: [],
                nextSentenceLabels: [PretrainingInputs.ignoredLabel])
            let single = try Self.hidden(model, alone)
            for token in 0..<real {
                let difference = zip(single[token], together[length + token]).map { abs($0 - $1) }.max()!
                #expect(difference < 1e-5, "token \(token): \(difference)")
            }
            // The states are the encoder's output, each row LayerNorm-ed with γ = 1 and β = 0.
            for state in single {
                let mean = state.reduce(0, +) / Float(state.count)
                #expect(abs(mean) < 1e-5)
            }
        }
    }
}
