import Model
import Support
import Yams

/// A model configuration file: YAML with Hugging Face's config.json key names, so that a
/// Hugging Face config.json (JSON being YAML) loads as it is.
///
/// Keys (Hugging Face's `BertConfig` defaults, i.e. BERT-base, for those left out):
/// `vocab_size`, `hidden_size`, `num_hidden_layers`, `num_attention_heads`,
/// `intermediate_size`, `max_position_embeddings`, `type_vocab_size`, `pad_token_id`
/// (integers); `layer_norm_eps`, `hidden_dropout_prob`, `attention_probs_dropout_prob`,
/// `initializer_range` (numbers); BERTKit's `next_sentence_prediction` (true or false; false:
/// MLM only). Settings BERTKit has one way of must have that value: `model_type: bert`,
/// `hidden_act: gelu`, `position_embedding_type: absolute`, `is_decoder: false`,
/// `add_cross_attention: false`, `tie_word_embeddings: true`. Keys that change nothing
/// trained are accepted and ignored: `architectures`, `transformers_version`, `torch_dtype`,
/// `dtype`, `use_cache`, `gradient_checkpointing`, `classifier_dropout`, `bos_token_id`,
/// `eos_token_id`, `_name_or_path`, `output_past`, and the `directionality` and `pooler_*`
/// keys that Google's TensorFlow checkpoints left in converted configurations.
///
/// `json` writes a configuration back in these keys.
///
/// CharacterBERT: a `character_cnn` mapping (empty for the paper's CNN) with ELMo's names:
/// `n_characters` (character vocabulary, 263), `embedding_dim` (16),
/// `max_characters_per_token` (50), `filters` (a list of [width, count] pairs, the paper's
/// [[1, 32], [2, 32], [3, 64], [4, 128], [5, 256], [6, 512], [7, 1024]]), `n_highway` (2).
/// `vocab_size` is then the MLM vocabulary.
///
/// Any other key is an error that names the file, the line, the key and the closest valid
/// key; a value of the wrong type is an error that names its key.
public enum ModelConfigurationFile {
    /// CharacterBERT's MLM vocabulary size for the presets (the CharacterBERT repository's
    /// default `max_vocabulary_size`).
    public static let characterBERTVocabularySize = 100_000

    /// The configuration `--model` names: a preset (`BertConfiguration.presets`: tiny, mini,
    /// small, medium, base, large) or a file. With `characterBERT`, a preset is CharacterBERT
    /// with the paper's CNN and a 100,000-word MLM vocabulary, and a file without
    /// `character_cnn` gets the paper's CNN.
    public static func resolve(model: String, characterBERT: Bool) throws -> BertConfiguration {
        if let preset = BertConfiguration.preset(model, vocabularySize: characterBERT ? characterBERTVocabularySize : 30522,
                                                 characterBERT: characterBERT) {
            return preset
        }
        guard FileSystem.exists(model) else {
            let presets = BertConfiguration.presets.map(\.name).joined(separator: ", ")
            throw BERTKitError(file: model, "neither a model preset (\(presets)) nor a configuration file")
        }
        var configuration = try load(path: model)
        if characterBERT && configuration.characterCNN == nil { configuration.characterCNN = CharacterCNNConfiguration() }
        return configuration
    }

    /// The configuration in the file at `path`.
    public static func load(path: String) throws -> BertConfiguration {
        try parse(String(decoding: FileChunkReader.contents(of: path), as: UTF8.self), file: path)
    }

    /// The configuration in `text`, read from `file` (for messages).
    public static func parse(_ text: String, file: String) throws -> BertConfiguration {
        let root = try ConfigurationReader.document(text, file: file)
        var configuration = BertConfiguration(vocabularySize: 30522, hiddenSize: 768, layers: 12, attentionHeads: 12,
                                              intermediateSize: 3072)
        let reader = ConfigurationReader(file: file, prefix: "")
        guard let root else { throw BERTKitError(file: file, "empty: expected a mapping of model configuration keys") }
        try reader.apply(root, keys, to: &configuration, what: "a model configuration")
        let problems = configuration.problems
        guard problems.isEmpty else { throw BERTKitError(file: file, problems.joined(separator: "; ")) }
        return configuration
    }

    /// The configuration as the members of a file that `parse` reads back to an equal
    /// configuration: `model_type` bert, `huggingFaceMembers`, `next_sentence_prediction`
    /// and, for CharacterBERT, `character_cnn`.
    public static func json(_ configuration: BertConfiguration) -> JSONObjectWriter {
        var json = JSONObjectWriter()
        json.add("model_type", "bert")
        json.add(contentsOf: huggingFaceMembers(configuration))
        json.add("next_sentence_prediction", configuration.nextSentencePrediction)
        if let cnn = configuration.characterCNN { json.add("character_cnn", json: characterCNNJSON(cnn)) }
        return json
    }

    /// The sizes and settings under the keys of Hugging Face's `BertConfig`, as its
    /// config.json has them.
    public static func huggingFaceMembers(_ configuration: BertConfiguration) -> JSONObjectWriter {
        var json = JSONObjectWriter()
        for (key, value) in [("vocab_size", configuration.vocabularySize), ("hidden_size", configuration.hiddenSize),
                             ("num_hidden_layers", configuration.layers), ("num_attention_heads", configuration.attentionHeads),
                             ("intermediate_size", configuration.intermediateSize)] {
            json.add(key, value)
        }
        json.add("hidden_act", "gelu")
        for (key, value) in [("max_position_embeddings", configuration.maxPositions),
                             ("type_vocab_size", configuration.typeVocabularySize),
                             ("pad_token_id", Int(configuration.paddingTokenID))] {
            json.add(key, value)
        }
        for (key, value) in [("layer_norm_eps", configuration.layerNormEpsilon), ("hidden_dropout_prob", configuration.hiddenDropout),
                             ("attention_probs_dropout_prob", configuration.attentionDropout),
                             ("initializer_range", configuration.initializerRange)] {
            json.add(key, value)
        }
        return json
    }

    /// The `character_cnn` mapping as JSON, in ELMo's names.
    public static func characterCNNJSON(_ cnn: CharacterCNNConfiguration) -> String {
        var json = JSONObjectWriter()
        json.add("n_characters", cnn.characterVocabularySize)
        json.add("embedding_dim", cnn.characterEmbeddingSize)
        json.add("max_characters_per_token", cnn.charactersPerToken)
        json.add("filters", json: "[" + cnn.filters.map { "[\($0.width), \($0.count)]" }.joined(separator: ", ") + "]")
        json.add("n_highway", cnn.highwayLayers)
        return json.compact
    }

    /// The top-level keys.
    static let keys: [ConfigurationKey<BertConfiguration>] = [
        .value("vocab_size", \.vocabularySize, ConfigurationReader.integer),
        .value("hidden_size", \.hiddenSize, ConfigurationReader.integer),
        .value("num_hidden_layers", \.layers, ConfigurationReader.integer),
        .value("num_attention_heads", \.attentionHeads, ConfigurationReader.integer),
        .value("intermediate_size", \.intermediateSize, ConfigurationReader.integer),
        .value("max_position_embeddings", \.maxPositions, ConfigurationReader.integer),
        .value("type_vocab_size", \.typeVocabularySize, ConfigurationReader.integer),
        .value("pad_token_id", \.paddingTokenID, ConfigurationReader.integer),
        .value("layer_norm_eps", \.layerNormEpsilon, ConfigurationReader.number),
        .value("hidden_dropout_prob", \.hiddenDropout, ConfigurationReader.number),
        .value("attention_probs_dropout_prob", \.attentionDropout, ConfigurationReader.number),
        .value("initializer_range", \.initializerRange, ConfigurationReader.number),
        .value("next_sentence_prediction", \.nextSentencePrediction, ConfigurationReader.bool),
        ConfigurationKey(name: "character_cnn") { configuration, node, reader in
            var cnn = CharacterCNNConfiguration()
            try reader.nested("character_cnn").apply(node, characterCNNKeys, to: &cnn, what: "the character CNN")
            configuration.characterCNN = cnn
        },
        .fixed("model_type", "bert", ConfigurationReader.string),
        .fixed("hidden_act", "gelu", ConfigurationReader.string),
        .fixed("position_embedding_type", "absolute", ConfigurationReader.string),
        .fixed("is_decoder", false, ConfigurationReader.bool),
        .fixed("add_cross_attention", false, ConfigurationReader.bool),
        .fixed("tie_word_embeddings", true, ConfigurationReader.bool),
    ] + ["architectures", "transformers_version", "torch_dtype", "dtype", "use_cache", "gradient_checkpointing",
         "classifier_dropout", "bos_token_id", "eos_token_id", "_name_or_path", "output_past", "directionality",
         "pooler_fc_size", "pooler_num_attention_heads", "pooler_num_fc_layers", "pooler_size_per_head",
         "pooler_type"].map(ConfigurationKey.ignored)

    /// The keys of the `character_cnn` mapping.
    static let characterCNNKeys: [ConfigurationKey<CharacterCNNConfiguration>] = [
        .value("n_characters", \.characterVocabularySize, ConfigurationReader.integer),
        .value("embedding_dim", \.characterEmbeddingSize, ConfigurationReader.integer),
        .value("max_characters_per_token", \.charactersPerToken, ConfigurationReader.integer),
        .value("n_highway", \.highwayLayers, ConfigurationReader.integer),
        ConfigurationKey(name: "filters") { cnn, node, reader in
            let pair = "a list of [width, count] pairs"
            cnn.filters = try reader.sequence(node, "filters", what: pair) { element in
                let numbers: [Int] = try reader.sequence(element, "filters", what: pair) { try reader.integer($0, "filters") }
                guard numbers.count == 2 else { throw reader.wrongType(element, "filters", pair) }
                return CharacterCNNConfiguration.Filter(width: numbers[0], count: numbers[1])
            }
        },
    ]
}
