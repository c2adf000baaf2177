import Interop
import Model
import Support
import Tensor
import TestSupport
import Testing
import Training

extension TrainingTests {
    /// `export hf` and `import hf`: names, files and values both ways, what transformers'
    /// files hold besides BERTKit's parameters, and directories that are not BERT.
    @Suite struct HuggingFaceInteropTests {
        static let configuration = BertConfiguration(vocabularySize: 12, hiddenSize: 8, layers: 1, attentionHeads: 2,
                                                     intermediateSize: 16, maxPositions: 16)
        static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "##d", "e", "f", "g"]

        /// A run directory holding one checkpoint of a model with random weights, of `vocabulary`,
        /// cased unless `lowercase`.
        static func run(_ configuration: BertConfiguration = configuration, vocabulary: [String] = vocabulary,
                        lowercase: Bool = false) throws -> (directory: String, model: BertForPreTraining) {
            let directory = TestFiles.temporaryDirectory()
            let model = try BertForPreTraining(configuration: configuration, backend: backend, seed: 9)
            try CheckpointStore(runDirectory: directory, backend: backend).write(
                step: 5, model: model.parameters.namedValues,
                optimizer: OptimizerState(bufferNames: ["exp_avg", "exp_avg_sq"]).tensors(for: model.parameters),
                state: "{}", files: ModelDescription(configuration: configuration, vocabulary: vocabulary, lowercase: lowercase).files)
            return (directory, model)
        }

        /// Every tensor of a safetensors file as floats, by name.
        static func tensors(_ path: String) throws -> [String: [Float]] {
            let file = try SafeTensorsFile(path: path)
            return Dictionary(uniqueKeysWithValues: try file.names.map { ($0, try file.floats($0)) })
        }

        @Test func exportWritesHuggingFaceFiles() throws {
            let (run, model) = try Self.run()
            let output = TestFiles.temporaryDirectory() + "/hf"
            let summary = try HuggingFaceExport.export(checkpoint: run, to: output, overwrite: false, backend: backend)
            #expect(summary.checkpoint.path == run + "/checkpoints/step_5" && summary.warnings.isEmpty)
            #expect(summary.files == ["model.safetensors", "config.json", "vocab.txt", "tokenizer_config.json",
                                      "special_tokens_map.json"])
            #expect(try FileSystem.contents(of: output) == summary.files.sorted())
            let weights = try SafeTensorsFile(path: output + "/model.safetensors")
            #expect(weights.names == model.parameters.parameters.map(\.name) && weights.metadata == ["format": "pt"])
            #expect(!weights.names.contains { $0.hasPrefix("cls.predictions.decoder") })
            let config = TestFiles.readString(output + "/config.json")
            #expect(config.hasPrefix("{\n  \"architectures\": [\"BertForPreTraining\"],\n  \"model_type\": \"bert\",\n"))
            #expect(config.contains("\"tie_word_embeddings\": true"))
            #expect(try ModelConfigurationFile.parse(config, file: "config.json") == Self.configuration)
            #expect(TestFiles.readString(output + "/vocab.txt") == Self.vocabulary.joined(separator: "\n") + "\n")
            #expect(try ModelDescription.lowercase(tokenizerConfiguration: output + "/tokenizer_config.json") == false)
            #expect(TestFiles.readString(output + "/tokenizer_config.json").contains("\"tokenizer_class\": \"BertTokenizer\""))

            let existing = #expect(throws: BERTKitError.self) {
                _ = try HuggingFaceExport.export(checkpoint: run, to: output, overwrite: false, backend: backend)
            }
            #expect(existing?.message == "already exists (use --force to replace it)")
            _ = try HuggingFaceExport.export(checkpoint: run + "/checkpoints/step_5", to: output, overwrite: true, backend: backend)
            #expect(try FileSystem.contents(of: FileSystem.split(output).directory) == ["hf"])
        }

        @Test func importOfAnExportGivesBackTheCheckpoint() throws {
            let (run, _) = try Self.run()
            let exported = TestFiles.temporaryDirectory() + "/hf"
            _ = try HuggingFaceExport.export(checkpoint: run, to: exported, overwrite: false, backend: backend)
            let imported = TestFiles.temporaryDirectory()
            let summary = try HuggingFaceImport.importDirectory(exported, to: imported, overwrite: false, backend: backend)
            #expect(summary.checkpoint.path == imported + "/checkpoints/step_0" && summary.notes.isEmpty)
            #expect(try Self.tensors(summary.checkpoint.modelPath) == Self.tensors(run + "/checkpoints/step_5/model.safetensors"))
            #expect(try Self.tensors(summary.checkpoint.optimizerPath).values.allSatisfy { $0.allSatisfy { $0 == 0 } })
            let description = try ModelDescription(directory: summary.checkpoint.path)
            #expect(description.configuration == Self.configuration && description.vocabulary == Self.vocabulary)
            #expect(description.lowercase == false)
            #expect(TestFiles.readString(summary.checkpoint.statePath).contains("\"phase\": 1"))

            let again = #expect(throws: BERTKitError.self) {
                _ = try HuggingFaceImport.importDirectory(exported, to: imported, overwrite: false, backend: backend)
            }
            #expect(again?.file == summary.checkpoint.path && again?.message == "already exists (use --force to replace it)")
            let named = try HuggingFaceImport.importDirectory(exported, to: imported + "/elsewhere/step_40/", overwrite: false,
                                                              backend: backend)
            #expect(named.checkpoint.path == imported + "/elsewhere/step_40" && named.checkpoint.step == 40)
        }

        /// A directory as transformers may write it: BF16, the tied decoder stored, the
        /// position_ids buffer; then an MLM-only one with TensorFlow-era bare names.
        @Test func importReadsWhatTransformersWrites() throws {
            let (run, _) = try Self.run()
            let exported = TestFiles.temporaryDirectory() + "/hf"
            _ = try HuggingFaceExport.export(checkpoint: run, to: exported, overwrite: false, backend: backend)
            let original = try Self.tensors(exported + "/model.safetensors")
            let file = try SafeTensorsFile(path: exported + "/model.safetensors")
            /// `values` rounded toward zero to BF16, in the shape of the tensor `like`.
            func bfloat16(_ name: String, like: String, _ values: [Float]) throws -> SafeTensor {
                SafeTensor(name, dtype: .bf16, shape: try file.shape(like), bytes: values.flatMap { value -> [UInt8] in
                    let bits = value.bitPattern >> 16
                    return [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8)]
                })
            }
            let (embeddings, bias) = ("bert.embeddings.word_embeddings.weight", "cls.predictions.bias")
            let rounded = original.mapValues { $0.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) } }
            let positionIDs = SafeTensor("bert.embeddings.position_ids", dtype: .i64, shape: [1, 16],
                                         bytes: (0..<16).flatMap { [UInt8($0)] + [UInt8](repeating: 0, count: 7) })
            var tensors = try original.keys.sorted().map { try bfloat16($0, like: $0, original[$0]!) } + [positionIDs]
            tensors.append(try bfloat16("cls.predictions.decoder.weight", like: embeddings, original[embeddings]!))
            tensors.append(try bfloat16("cls.predictions.decoder.bias", like: bias, original[bias]!))
            try SafeTensorsWriter.write(tensors, to: exported + "/model.safetensors", overwrite: true)
            let summary = try HuggingFaceImport.importDirectory(exported, to: TestFiles.temporaryDirectory(), overwrite: false,
                                                                backend: backend)
            #expect(try Self.tensors(summary.checkpoint.modelPath) == rounded)
            #expect(summary.notes == ["dropped the buffers bert.embeddings.position_ids",
                                      "dropped cls.predictions.decoder.weight, equal to \(embeddings) (tied)",
                                      "dropped cls.predictions.decoder.bias, equal to \(bias) (tied)",
                                      "converted BF16 weights to F32"])

            // A decoder of its own is not BERTKit's model.
            var untied = original[embeddings]!
            untied[3] += 1
            tensors[tensors.count - 2] = try bfloat16("cls.predictions.decoder.weight", like: embeddings, untied)
            try SafeTensorsWriter.write(tensors, to: exported + "/model.safetensors", overwrite: true)
            let error = #expect(throws: BERTKitError.self) {
                _ = try HuggingFaceImport.importDirectory(exported, to: TestFiles.temporaryDirectory(), overwrite: false,
                                                          backend: backend)
            }
            #expect(error?.place == "tensor 'cls.predictions.decoder.weight'" && error?.message.hasPrefix("differs from") == true)

            // No next-sentence head, names without "bert." and LayerNorm gamma and beta.
            let bare = try original.keys.sorted().filter { !$0.hasPrefix("cls.seq_relationship.") }.map { name in
                var stored = name.hasPrefix("bert.") ? String(name.dropFirst(5)) : name
                if stored.contains("LayerNorm.") {
                    stored = stored.hasSuffix(".weight") ? stored.dropLast(7) + ".gamma" : stored.dropLast(5) + ".beta"
                }
                return SafeTensor(stored, shape: try file.shape(name), floats: original[name]!)
            }
            try SafeTensorsWriter.write(bare, to: exported + "/model.safetensors", overwrite: true)
            let mlmOnly = try HuggingFaceImport.importDirectory(exported, to: TestFiles.temporaryDirectory(), overwrite: false,
                                                                backend: backend)
            #expect(!mlmOnly.configuration.nextSentencePrediction)
            #expect(try Self.tensors(mlmOnly.checkpoint.modelPath) == original.filter { !WeightTransfer.isNextSentenceHead($0.key) })
            #expect(mlmOnly.notes == ["no next-sentence head (a BertForMaskedLM): the checkpoint is MLM-only, its pooler dropped; "
                                      + "a run with next-sentence prediction starts the pooler and head from fresh values"])
            #expect(try ModelDescription(directory: mlmOnly.checkpoint.path).configuration.nextSentencePrediction == false)
        }

        @Test func directoriesThatAreNotBERT() throws {
            let directory = TestFiles.temporaryDirectory()
            func importError() -> BERTKitError? {
                #expect(throws: BERTKitError.self) {
                    _ = try HuggingFaceImport.importDirectory(directory, to: TestFiles.temporaryDirectory(), overwrite: false,
                                                              backend: backend)
                }
            }
            #expect(importError()?.message == "has no config.json: not a Hugging Face model directory")
            TestFiles.write(Array(#"{"model_type": "gpt2", "n_embd": 768}"#.utf8), to: directory + "/config.json")
            #expect(importError()?.message == "is a 'gpt2' model (model_type): import hf reads BERT (model_type bert)")
            TestFiles.write(Array(#"{"model_type": "bert", "hidden_size": 64, "num_attention_heads": 4}"#.utf8),
                            to: directory + "/config.json")
            TestFiles.write([], to: directory + "/pytorch_model.bin")
            let weights = importError()
            #expect(weights?.file == directory + "/model.safetensors")
            #expect(weights?.message.hasPrefix("is missing: it holds pytorch_model.bin only") == true)
        }
    }
}
