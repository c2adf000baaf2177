import Model
import Support
import TestSupport
import Testing
import Training

extension TrainingTests {
    /// Model configuration files: Hugging Face's config.json, YAML with a character CNN, and
    /// the messages of bad keys and values.
    @Suite struct ModelConfigurationFileTests {
        /// bert-base-uncased's config.json on the Hugging Face hub.
        static let bertBaseUncased = """
            {
              "architectures": ["BertForMaskedLM"],
              "attention_probs_dropout_prob": 0.1,
              "gradient_checkpointing": false,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.1,
              "hidden_size": 768,
              "initializer_range": 0.02,
              "intermediate_size": 3072,
              "layer_norm_eps": 1e-12,
              "max_position_embeddings": 512,
              "model_type": "bert",
              "num_attention_heads": 12,
              "num_hidden_layers": 12,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "transformers_version": "4.6.0.dev0",
              "type_vocab_size": 2,
              "use_cache": true,
              "vocab_size": 30522
            }
            """

        /// The message of the error that parsing `text` throws, nil when it parses.
        static func message(_ text: String) -> String? {
            do {
                _ = try ModelConfigurationFile.parse(text, file: "model.yaml")
                return nil
            } catch {
                return "\(error)"
            }
        }

        @Test func huggingFaceConfigJSONIsBertBase() throws {
            let configuration = try ModelConfigurationFile.parse(Self.bertBaseUncased, file: "config.json")
            #expect(configuration == BertConfiguration.preset("base"))
        }

        /// Keys left out take Hugging Face's BertConfig defaults, intermediate size 3072 included.
        @Test func yamlWithDefaultsAndACharacterCNN() throws {
            let configuration = try ModelConfigurationFile.parse("""
                # a small CharacterBERT
                vocab_size: 1000
                hidden_size: 256
                num_hidden_layers: 4
                num_attention_heads: 4
                hidden_dropout_prob: 0
                next_sentence_prediction: false
                character_cnn:
                  filters: [[1, 8], [3, 16]]
                  n_highway: 1
                """, file: "model.yaml")
            #expect(configuration.vocabularySize == 1000 && configuration.hiddenSize == 256 && configuration.layers == 4)
            #expect(configuration.intermediateSize == 3072 && configuration.maxPositions == 512)
            #expect(configuration.hiddenDropout == 0 && configuration.attentionDropout == 0.1)
            #expect(!configuration.nextSentencePrediction)
            let cnn = try #require(configuration.characterCNN)
            #expect(cnn.filters == [.init(width: 1, count: 8), .init(width: 3, count: 16)])
            #expect(cnn.highwayLayers == 1 && cnn.charactersPerToken == 50 && cnn.characterVocabularySize == 263)
            #expect(try ModelConfigurationFile.parse("character_cnn: {}", file: "a.yaml").characterCNN == CharacterCNNConfiguration())
        }

        @Test func unknownKeysNameTheClosestValidKey() {
            #expect(Self.message("vocab_size: 100\nhiden_size: 64\n")
                    == "model.yaml: line 2: unknown key 'hiden_size'; the closest valid key is 'hidden_size'")
            #expect(Self.message("num_hiden_layers: 2")
                    == "model.yaml: line 1: unknown key 'num_hiden_layers'; the closest valid key is 'num_hidden_layers'")
            #expect(Self.message("character_cnn:\n  n_highways: 1\n")
                    == "model.yaml: line 2: unknown key 'character_cnn.n_highways'; the closest valid key is 'character_cnn.n_highway'")
        }

        @Test func valuesOfTheWrongTypeNameTheirKey() {
            #expect(Self.message("hidden_size: big") == "model.yaml: line 1: hidden_size: expected an integer, got \"big\"")
            #expect(Self.message("hidden_size: 76.8") == "model.yaml: line 1: hidden_size: expected an integer, got \"76.8\"")
            #expect(Self.message("{\"vocab_size\": \"30522\"}") == "model.yaml: line 1: vocab_size: expected an integer, got \"30522\"")
            #expect(Self.message("pad_token_id: 3000000000")
                    == "model.yaml: line 1: pad_token_id: expected an integer that fits Int32, got \"3000000000\"")
            #expect(Self.message("layer_norm_eps: [1]") == "model.yaml: line 1: layer_norm_eps: expected a number, got a sequence")
            #expect(Self.message("next_sentence_prediction: 1")
                    == "model.yaml: line 1: next_sentence_prediction: expected true or false, got \"1\"")
            #expect(Self.message("character_cnn:\n  filters: [[1, 2, 3]]")
                    == "model.yaml: line 2: character_cnn.filters: expected a list of [width, count] pairs, got a sequence")
            #expect(Self.message("character_cnn: 3") == "model.yaml: line 1: expected the character CNN, a mapping of keys to values")
        }

        @Test func settingsBERTKitDoesNotHaveAreRefused() {
            #expect(Self.message("hidden_act: relu") == "model.yaml: line 1: hidden_act: only gelu is supported, not relu")
            #expect(Self.message("is_decoder: true") == "model.yaml: line 1: is_decoder: only false is supported, not true")
            #expect(Self.message("num_attention_heads: 5")
                    == "model.yaml: hidden size 768 is not a multiple of the 5 attention heads")
        }

        @Test func filesThatAreNotConfigurations() {
            #expect(Self.message("") == "model.yaml: empty: expected a mapping of model configuration keys")
            #expect(Self.message("- 1") == "model.yaml: line 1: expected a model configuration, a mapping of keys to values")
            #expect(Self.message("hidden_size: [1")?.hasPrefix("model.yaml: line 2: not valid YAML: ") == true)
            #expect(Self.message("a: 1\na: 2")?.hasPrefix("model.yaml: not valid YAML: ") == true)
        }

        @Test func resolveReadsPresetsAndFiles() throws {
            #expect(try ModelConfigurationFile.resolve(model: "mini", characterBERT: false) == BertConfiguration.preset("mini"))
            let characterMini = try ModelConfigurationFile.resolve(model: "mini", characterBERT: true)
            #expect(characterMini.characterCNN == CharacterCNNConfiguration() && characterMini.vocabularySize == 100_000)
            let path = TestFiles.temporaryFile(Array(Self.bertBaseUncased.utf8), name: "config.json")
            #expect(try ModelConfigurationFile.resolve(model: path, characterBERT: false) == BertConfiguration.preset("base"))
            #expect(try ModelConfigurationFile.resolve(model: path, characterBERT: true).characterCNN == CharacterCNNConfiguration())
            #expect(throws: BERTKitError.self) { try ModelConfigurationFile.resolve(model: "huge", characterBERT: false) }
        }
    }
}
