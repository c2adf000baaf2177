import Interop
import Model
import PretrainingData
import Support
import Tensor
import TestSupport
import Testing
import Tokenizers
import Training

extension TrainingTests {
    /// Starting from a checkpoint of another vocabulary: rows move by token, the rest start
    /// fresh; the pooler and next-sentence head may be on one side only.
    @Suite struct VocabularyTransferTests {
        @Test func rowsMoveByToken() {
            let transfer = VocabularyTransfer(from: ["[PAD]", "a", "b", "c"], to: ["[PAD]", "c", "d", "a", "e"])
            #expect(transfer.sources == [0, 3, nil, 1, nil])
            #expect(transfer.kept == 3 && transfer.fresh == 2 && !transfer.isIdentity)
            #expect(VocabularyTransfer(from: ["x", "y"], to: ["x", "y"]).isIdentity)
            // Old rows of width 2 (4 tokens and a padding row); the new table has 6 rows, the
            // last one past its 5 tokens.
            let old: [Float] = [0, 0, 1, 1, 2, 2, 3, 3, 9, 9]
            let fresh: [Float] = (0..<12).map { -Float($0) - 1 }
            #expect(transfer.apply(old: old, to: fresh, width: 2) == [0, 0, 3, 3, -5, -6, 1, 1, -9, -10, -11, -12])
        }

        /// The checkpoint's embeddings [4, 2] and bias [4] over one vocabulary, read into a
        /// model over another whose rows hold fresh values; its pooler is left unused, and a
        /// head the checkpoint lacks keeps its fresh values.
        @Test func aCheckpointReadAcrossVocabulariesAndHeads() throws {
            let run = TestFiles.temporaryDirectory()
            let store = CheckpointStore(runDirectory: run, backend: backend)
            let written = ParameterStore()
            let names = ["bert.embeddings.word_embeddings.weight", "cls.predictions.bias", "bert.pooler.dense.bias"]
            for (name, shape) in zip(names, [[4, 2], [4], [2]] as [Shape]) { written.register(name, shape, initializer: .zeros) }
            written.allocate(on: backend)
            for (index, named) in written.namedValues.enumerated() {
                backend.write((0..<named.tensor.count).map { Float(10 * index + $0) }, to: named.tensor)
            }
            let checkpoint = try store.write(step: 1, model: written.namedValues, optimizer: [], state: "{}")

            let reading = ParameterStore()
            let newNames = ["bert.embeddings.word_embeddings.weight", "cls.predictions.bias", "cls.seq_relationship.bias"]
            for (name, shape) in zip(newNames, [[5, 2], [5], [2]] as [Shape]) {
                reading.register(name, shape, initializer: .constant(-1))
            }
            reading.allocate(on: backend)
            var generator = SeededGenerator(seed: 0)
            reading.initialize(generator: &generator)
            let transfer = WeightTransfer(adaptsHeads: true, vocabulary: VocabularyTransfer(
                from: ["[PAD]", "a", "b", "c"], to: ["[PAD]", "c", "d", "a", "e"]))
            let (state, notes) = try store.read(checkpoint, model: reading.namedValues, optimizer: nil, transfer: transfer)
            #expect(state == "{}")
            let values = reading.namedValues.map { backend.floats($0.tensor) }
            #expect(values[0] == [0, 1, 6, 7, -1, -1, 2, 3, -1, -1])
            #expect(values[1] == [10, 13, -1, 11, -1])
            #expect(values[2] == [-1, -1])
            #expect(notes.count == 3)
            #expect(notes.contains { $0.hasSuffix("the pooler and next-sentence head are not used (the model is MLM-only)") })
            #expect(notes.contains { $0.hasSuffix("has no pooler and next-sentence head: they start from fresh values") })
            #expect(notes.contains("vocabulary changed: 3 tokens keep their rows of the checkpoint's embeddings and MLM "
                                   + "head, 2 start from fresh values"))

            // Without a transfer the same checkpoint does not fit: shapes and heads must match.
            let exact = #expect(throws: BERTKitError.self) {
                _ = try store.read(checkpoint, model: reading.namedValues, optimizer: nil)
            }
            #expect(exact?.message.hasPrefix("holds tensors this run does not have: 'bert.pooler.dense.bias'") == true)
        }

        /// Two corpora' data made with two vocabularies; a run on the second started from a
        /// checkpoint of the first keeps the rows of the shared tokens and says how many.
        @Test func aRunOnANewVocabularyKeepsTheSharedRows() throws {
            let directory = TestFiles.temporaryDirectory()
            let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "."]
            let vocabularies = [specials + (0..<30).map { "w\($0)" }, specials + (10..<40).map { "w\($0)" }]
            var generator = SeededGenerator(seed: 3)
            let corpus = (0..<12).map { document in
                (0..<4).map { _ in (0..<8).map { _ in "w\(Int.random(in: 10..<30, using: &generator))" }.joined(separator: " ") + " ." }
                    .joined(separator: "\n")
            }.joined(separator: "\n\n") + "\n"
            try FileSystem.createDirectory(directory + "/shards")
            TestFiles.write(Array(corpus.utf8), to: directory + "/shards/training.0.txt")
            let modelFile = directory + "/model.yaml"
            TestFiles.write(Array("""
                vocab_size: 48
                hidden_size: 8
                num_hidden_layers: 1
                num_attention_heads: 2
                intermediate_size: 16
                max_position_embeddings: 16

                """.utf8), to: modelFile)
            var configurations: [PretrainingConfiguration] = []
            for (index, tokens) in vocabularies.enumerated() {
                let vocabularyFile = directory + "/vocab\(index).txt"
                TestFiles.write(Array((tokens.joined(separator: "\n") + "\n").utf8), to: vocabularyFile)
                var options = InstanceOptions()
                (options.maxSeqLength, options.maxPredictionsPerSeq, options.dupeFactor) = (16, 3, 1)
                let creator = PretrainingDataCreator(
                    options: options,
                    vocabulary: try TokenVocabulary(wordPiece: BertWordPieceTokenizer(vocabularyFile: vocabularyFile, lowercase: true)),
                    vocabularySource: .init(file: vocabularyFile,
                                            sha256: try Digest.hexDigest(ofFile: vocabularyFile, algorithm: .sha256)),
                    lowercase: true)
                _ = try creator.run(inputs: [directory + "/shards"], outputDirectory: directory + "/data\(index)",
                                    progress: ProgressReporter(enabled: false))
                var configuration = PretrainingConfiguration()
                configuration.model = modelFile
                configuration.data = directory + "/data\(index)"
                configuration.runDirectory = directory + "/run\(index)"
                (configuration.sequenceLength, configuration.maxPredictions) = (16, 3)
                (configuration.maxSteps, configuration.checkpointInterval) = (1, 1)
                (configuration.targetBatchSize, configuration.accumulationSteps) = (2, 1)
                configuration.optimizer = .adamw
                configuration.learningRate = 0.01
                configurations.append(configuration)
            }
            let first = try Pretrainer(configuration: configurations[0], backend: backend, resume: false,
                                       progress: ProgressReporter(enabled: false))
            let checkpoint = try #require(try first.run().checkpoint)
            #expect(try ModelDescription(directory: checkpoint).vocabulary == vocabularies[0])
            let old = try SafeTensorsFile(path: checkpoint + "/model.safetensors")

            configurations[1].initCheckpoint = directory + "/run0"
            let second = try Pretrainer(configuration: configurations[1], backend: backend, resume: false,
                                        progress: ProgressReporter(enabled: false))
            let fresh = try BertForPreTraining(configuration: second.model.configuration, backend: backend, seed: 42)
            for (name, width) in [("bert.embeddings.word_embeddings.weight", 8), ("cls.predictions.bias", 1)] {
                let oldRows = try old.floats(name)
                let freshRows = backend.floats(fresh.parameters.value(fresh.parameters.id(named: name)!))
                let newRows = backend.floats(second.model.parameters.value(second.model.parameters.id(named: name)!))
                for row in 0..<48 {
                    let token = row < vocabularies[1].count ? vocabularies[1][row] : nil
                    let source = token.flatMap { vocabularies[0].firstIndex(of: $0) }
                    let expected = source.map { Array(oldRows[$0 * width ..< ($0 + 1) * width]) }
                        ?? Array(freshRows[row * width ..< (row + 1) * width])
                    #expect(Array(newRows[row * width ..< (row + 1) * width]) == expected, "\(name) row \(row) (\(token ?? "padding"))")
                }
            }
            let log = TestFiles.readString(directory + "/run1/log.txt")
            #expect(log.contains("vocabulary changed: 26 tokens keep their rows of the checkpoint's embeddings and MLM head, "
                                 + "10 start from fresh values"))
        }
    }
}
