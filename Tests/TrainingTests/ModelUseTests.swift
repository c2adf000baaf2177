import Model
import Support
import Tensor
import TestSupport
import Testing
import Tokenizers
import Training

extension TrainingTests {
    /// Using a trained model: the tokenizer of fill-mask and embed, fill-mask's probabilities,
    /// embed's pooling, and a Hugging Face directory read as its checkpoint.
    @Suite struct ModelUseTests {
        /// Where the checkpoint and the vocabulary come from.
        typealias Fixture = HuggingFaceInteropTests

        /// The checkpoint of `HuggingFaceInteropTests.run` (a cased 12-token vocabulary) and its
        /// Hugging Face export, both read.
        static func models() throws -> (checkpoint: CheckpointModel, exported: CheckpointModel) {
            let (run, _) = try Fixture.run()
            let exported = TestFiles.temporaryDirectory() + "/hf"
            _ = try HuggingFaceExport.export(checkpoint: run, to: exported, overwrite: false, backend: backend)
            return (try CheckpointModel(path: run, backend: backend), try CheckpointModel(path: exported, backend: backend))
        }

        @Test func textBecomesClassifierTokensSeparatorWithMasksKept() throws {
            let (checkpoint, _) = try Self.models()
            let tokenizer = try ModelTokenizer(checkpoint)
            let text = try tokenizer.encode(InputText("a[MASK] cd A [MASK]", file: nil, place: "argument 1"))
            #expect(text.tokens == ["[CLS]", "a", "[MASK]", "c", "##d", "[UNK]", "[MASK]", "[SEP]"])
            #expect(text.ids == [2, 5, 4, 7, 8, 1, 4, 3] && text.maskPositions == [2, 6])
            let short = try tokenizer.encode(InputText("b", file: nil, place: "argument 2"))
            let inputs = tokenizer.inputs([text, short], maxPredictions: 3)
            #expect(inputs.shape == BatchShape(batchSize: 2, sequenceLength: 8, maxPredictions: 3))
            #expect(inputs.tokenIDs == text.ids + [2, 6, 3, 0, 0, 0, 0, 0])
            #expect(inputs.attentionMask == [Int32](repeating: 1, count: 8) + [1, 1, 1, 0, 0, 0, 0, 0])
            #expect(inputs.maskedPositions == [2, 6, 0, 0, 0, 0])
            #expect(inputs.maskedLabels.allSatisfy { $0 == PretrainingInputs.ignoredLabel })

            let long = #expect(throws: BERTKitError.self) {
                _ = try tokenizer.encode(InputText(String(repeating: "a ", count: 15), file: "in.txt", place: "line 3"))
            }
            #expect(long?.description == "in.txt: line 3: is 17 tokens long with [CLS] and [SEP], more than the model's "
                    + "16 positions")
        }

        @Test func fillMaskGivesTheSoftmaxOverTheVocabulary() throws {
            let (checkpoint, exported) = try Self.models()
            let texts = [InputText("a [MASK] b", file: nil, place: "argument 1"),
                         InputText("[MASK] c [MASK]", file: nil, place: "argument 2")]
            let all = try FillMask(checkpoint).predict(texts, topK: 12, batchSize: 2)
            #expect(all.map(\.candidates.count) == [1, 2] && all[1].maskPositions == [1, 3])
            for candidates in all.flatMap(\.candidates) {
                #expect(abs(candidates.map(\.score).reduce(0, +) - 1) < 1e-5)
                #expect(Set(candidates.map(\.id)) == Set(0..<12))
                #expect(candidates.map(\.score) == candidates.map(\.score).sorted(by: >))
                #expect(candidates.allSatisfy { Fixture.vocabulary[$0.id] == $0.token })
            }
            // One text at a time, from the export: the same candidates.
            let alone = try FillMask(exported).predict(texts, topK: 3, batchSize: 1)
            for (one, both) in zip(alone.flatMap(\.candidates), all.flatMap(\.candidates)) {
                #expect(one.map(\.id) == Array(both.prefix(3)).map(\.id))
                #expect(zip(one, both).allSatisfy { abs($0.score - $1.score) < 1e-6 })
            }
            let none = #expect(throws: BERTKitError.self) {
                _ = try FillMask(checkpoint).predict([InputText("a b", file: "s.txt", place: "line 1")], topK: 1, batchSize: 1)
            }
            #expect(none?.description == "s.txt: line 1: has no [MASK]: write [MASK] where a token is to be predicted")
        }

        @Test func embeddingsPoolTheLastHiddenStates() throws {
            let (checkpoint, exported) = try Self.models()
            let texts = [InputText("a b c", file: nil, place: "line 1"), InputText("e", file: nil, place: "line 2")]
            let tokenizer = try ModelTokenizer(checkpoint)
            let inputs = tokenizer.inputs(try texts.map(tokenizer.encode), maxPredictions: 0)
            let hidden = backend.floats(try checkpoint.model.hiddenStates(inputs))
            let h = checkpoint.description.configuration.hiddenSize
            let state = { (row: Int, token: Int) in Array(hidden[(row * 5 + token) * h..<(row * 5 + token + 1) * h]) }
            var vectors: [TextEmbedder.Pooling: [[Float]]] = [:]
            for pooling in TextEmbedder.Pooling.allCases {
                let embedder = try TextEmbedder(exported, pooling: pooling)
                #expect(embedder.dimension == h)
                try embedder.embed(texts, batchSize: 2) { vectors[pooling, default: []] += $0 }
            }
            // [CLS] a b c [SEP], and [CLS] e [SEP] padded to 5.
            #expect(vectors[.cls]! == [state(0, 0), state(1, 0)])
            for (row, length) in [(0, 5), (1, 3)] {
                let mean = (0..<h).map { index in (0..<length).reduce(Float(0)) { $0 + state(row, $1)[index] } / Float(length) }
                #expect(zip(mean, vectors[.mean]![row]).allSatisfy { abs($0 - $1) < 1e-6 })
            }
        }

        @Test func aHuggingFaceDirectoryIsReadAsTheCheckpointItWasExportedFrom() throws {
            let (checkpoint, exported) = try Self.models()
            #expect(checkpoint.checkpoint?.step == 5 && exported.checkpoint == nil)
            #expect(exported.description.configuration == checkpoint.description.configuration)
            #expect(exported.description.vocabulary == Fixture.vocabulary && exported.description.lowercase == false)
            let values = { (model: CheckpointModel) in model.model.parameters.namedValues.map { backend.floats($0.tensor) } }
            #expect(values(exported) == values(checkpoint))
            let missing = TestFiles.temporaryDirectory() + "/none"
            let error = #expect(throws: BERTKitError.self) { _ = try CheckpointModel(path: missing, backend: backend) }
            #expect(error?.description == "\(missing): no such model: expected a checkpoint, a run directory or a Hugging "
                    + "Face model directory")
        }
    }
}

extension TrainingTests.ModelUseTests {
    /// The MLM vocabulary of `characterBERT()`.
    static let words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "volcano", "erupted", "ash", "."]

    /// A checkpoint of a small CharacterBERT (50 characters per token) whose MLM vocabulary is
    /// `words`, lowercasing, read back.
    static func characterBERT() throws -> CheckpointModel {
        var configuration = BertConfiguration(vocabularySize: words.count, hiddenSize: 8, layers: 1, attentionHeads: 2,
                                              intermediateSize: 16, maxPositions: 16)
        configuration.characterCNN = CharacterCNNConfiguration(
            characterEmbeddingSize: 4, filters: [.init(width: 1, count: 4), .init(width: 3, count: 4)], highwayLayers: 1)
        let (directory, _) = try Fixture.run(configuration, vocabulary: words, lowercase: true)
        return try CheckpointModel(path: directory, backend: backend)
    }

    @Test func characterBERTSpellsLowercasedWordsAndPredictsMLMWords() throws {
        let model = try Self.characterBERT()
        let tokenizer = try ModelTokenizer(model)
        let text = try tokenizer.encode(InputText("The VOLCANO [MASK] ash.", file: nil, place: "argument 1"))
        #expect(text.tokens == ["[CLS]", "the", "volcano", "[MASK]", "ash", ".", "[SEP]"] && text.maskPositions == [3])
        let mapper = CharacterMapper()
        #expect(text.ids == text.tokens.flatMap { mapper.characterIDs(of: $0) })
        let padded = tokenizer.inputs([text, try tokenizer.encode(InputText("ash", file: nil, place: "argument 2"))],
                                      maxPredictions: 1)
        #expect(padded.tokenIDs.suffix(4 * CharacterMapper.idsPerToken).allSatisfy { $0 == 0 })
        let candidates = try FillMask(model).predict([InputText("The VOLCANO [MASK] ash.", file: nil, place: "argument 1")],
                                                     topK: Self.words.count, batchSize: 1)[0].candidates[0]
        #expect(Set(candidates.map(\.token)) == Set(Self.words))
        #expect(abs(candidates.map(\.score).reduce(0, +) - 1) < 1e-5)
        var vectors: [[Float]] = []
        try TextEmbedder(model, pooling: .mean).embed([InputText("ash", file: nil, place: "line 1")], batchSize: 1) {
            vectors += $0
        }
        #expect(vectors.count == 1 && vectors[0].count == 8)
    }
}
