import Model
import Support
import TestSupport
import Testing
import Training

extension TrainingTests {
    /// model.json, the vocabulary and tokenizer_config.json that every checkpoint carries.
    @Suite struct ModelDescriptionTests {
        /// A CharacterBERT with a CNN of its own, MLM-only, without dropout.
        static let characterBERT: BertConfiguration = {
            var configuration = BertConfiguration(vocabularySize: 300, hiddenSize: 96, layers: 3, attentionHeads: 4,
                                                  intermediateSize: 200, maxPositions: 64, typeVocabularySize: 3,
                                                  layerNormEpsilon: 1e-7, hiddenDropout: 0, attentionDropout: 0.25,
                                                  initializerRange: 0.05, nextSentencePrediction: false,
                                                  characterCNN: CharacterCNNConfiguration(
                                                    filters: [.init(width: 1, count: 4), .init(width: 3, count: 8)],
                                                    highwayLayers: 1))
            configuration.paddingTokenID = 2
            return configuration
        }()

        @Test func modelJSONReadsBackToTheSameConfiguration() throws {
            for configuration in [BertConfiguration.preset("base")!, BertConfiguration.preset("tiny", vocabularySize: 4000)!,
                                  Self.characterBERT] {
                let text = ModelConfigurationFile.json(configuration).text
                #expect(try ModelConfigurationFile.parse(text, file: "model.json") == configuration, "\(text)")
            }
            #expect(ModelConfigurationFile.json(BertConfiguration.preset("tiny")!).text.hasPrefix("""
                {
                  "model_type": "bert",
                  "vocab_size": 30522,
                  "hidden_size": 128,
                """))
        }

        @Test func filesReadBackToTheSameDescription() throws {
            for (configuration, vocabulary, lowercase) in [(BertConfiguration.preset("tiny", vocabularySize: 7)!,
                                                            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "##b"], false),
                                                           (Self.characterBERT, ["the", "of", "é"], true)] {
                let directory = TestFiles.temporaryDirectory()
                let description = ModelDescription(configuration: configuration, vocabulary: vocabulary, lowercase: lowercase)
                let vocabularyFile = configuration.isCharacterBERT ? "mlm_vocab.txt" : "vocab.txt"
                #expect(description.files.map(\.name) == ["model.json", vocabularyFile, "tokenizer_config.json"])
                for (name, contents) in description.files {
                    TestFiles.write(Array(contents.utf8), to: directory + "/" + name)
                }
                let read = try ModelDescription(directory: directory)
                #expect(read.configuration == configuration && read.vocabulary == vocabulary && read.lowercase == lowercase)
            }
            let bare = TestFiles.temporaryDirectory()
            let configuration = BertConfiguration.preset("mini")!
            TestFiles.write(Array(ModelConfigurationFile.json(configuration).text.utf8), to: bare + "/model.json")
            let read = try ModelDescription(directory: bare)
            #expect(read.configuration == configuration && read.vocabulary == nil && read.lowercase == nil)
            let missing = #expect(throws: BERTKitError.self) { _ = try ModelDescription(directory: TestFiles.temporaryDirectory()) }
            #expect(missing?.message.hasPrefix("has no model.json") == true)
        }

        @Test func lowercaseOfATokenizerConfiguration() throws {
            let read = { (text: String) in
                try ModelDescription.lowercase(tokenizerConfiguration: TestFiles.temporaryFile(Array(text.utf8)))
            }
            #expect(try read(#"{"do_lower_case": false, "model_max_length": 512}"#) == false)
            #expect(try read(#"{"tokenizer_class": "BertTokenizer", "extra": {"a": [1, null]}}"#) == true)
            #expect(try ModelDescription.lowercase(tokenizerConfiguration: "/nonexistent/tokenizer_config.json") == nil)
            let error = #expect(throws: BERTKitError.self) { _ = try read(#"{"do_lower_case": "yes"}"#) }
            #expect(error?.message.hasPrefix("not a tokenizer configuration: expected true or false") == true)
        }
    }
}
