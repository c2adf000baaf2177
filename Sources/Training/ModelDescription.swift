import Model
import PretrainingData
import Support
import Tokenizers

/// What a checkpoint carries besides its weights, so that it can be exported, continued on
/// new data or loaded by another tool without the run that wrote it: the model
/// configuration, the vocabulary whose ids index the word embeddings and the MLM head, and
/// whether the tokenizer lowercases.
///
/// Files, written into every checkpoint directory beside model.safetensors:
/// - `model.json`: the configuration as `ModelConfigurationFile.json` writes it (Hugging
///   Face's config.json keys), which `--model` reads back;
/// - `vocab.txt` (BERT, the WordPiece vocabulary) or `mlm_vocab.txt` (CharacterBERT, the MLM
///   vocabulary), one token per line in id order;
/// - `tokenizer_config.json`: Hugging Face's BertTokenizer settings, `do_lower_case` above all.
///
/// The vocabulary and the tokenizer settings come from the training data's attributes
/// (`fromData`); a run whose data does not name them writes `model.json` alone.
public struct ModelDescription: Sendable {
    /// The sizes and settings of the model.
    public var configuration: BertConfiguration
    /// The tokens by id, or nil when unknown.
    public var vocabulary: [String]?
    /// Whether text is lowercased (and accents stripped) before tokenizing, or nil when unknown.
    public var lowercase: Bool?

    /// The name of the configuration file.
    public static let configurationFileName = "model.json"
    /// The name of the tokenizer settings file.
    public static let tokenizerFileName = "tokenizer_config.json"
    /// The special tokens of BERT's vocabularies, under Hugging Face's names for them.
    public static let specialTokens = [("unk_token", "[UNK]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]"),
                                       ("cls_token", "[CLS]"), ("mask_token", "[MASK]")]

    /// A description of `configuration` with what is known of its tokenizer.
    public init(configuration: BertConfiguration, vocabulary: [String]?, lowercase: Bool?) {
        self.configuration = configuration
        self.vocabulary = vocabulary
        self.lowercase = lowercase
    }

    /// The name of the vocabulary file: `vocab.txt` for BERT, `mlm_vocab.txt` for
    /// CharacterBERT (as in CharacterBERT's released models).
    public static func vocabularyFileName(characterBERT: Bool) -> String {
        characterBERT ? "mlm_vocab.txt" : "vocab.txt"
    }

    /// Reads the description in `directory` (a checkpoint).
    /// - Throws: `BERTKitError` when model.json is missing or not a model configuration, or
    ///   when the vocabulary or tokenizer file is there but cannot be read.
    public init(directory: String) throws {
        let configurationPath = directory + "/" + Self.configurationFileName
        guard FileSystem.exists(configurationPath) else {
            throw BERTKitError(file: directory, "has no \(Self.configurationFileName): it was not written by a BERTKit "
                               + "that records the model configuration in each checkpoint")
        }
        configuration = try ModelConfigurationFile.load(path: configurationPath)
        let vocabularyPath = directory + "/" + Self.vocabularyFileName(characterBERT: configuration.isCharacterBERT)
        vocabulary = FileSystem.exists(vocabularyPath) ? try Vocabulary(contentsOfFile: vocabularyPath).tokens : nil
        lowercase = try Self.lowercase(tokenizerConfiguration: directory + "/" + Self.tokenizerFileName)
    }

    /// The description of a run's model, with the vocabulary and lowercasing that the first
    /// training file `file` names (its `vocab_file`, `vocab_sha256` and `lowercase`
    /// attributes); the vocabulary file must still hold what the data was made with.
    /// Returns why the vocabulary is unknown when it is.
    public static func fromData(_ file: PretrainingFile, configuration: BertConfiguration) -> (ModelDescription, problem: String?) {
        var lowercase: Bool?
        if let flag = file.integerAttribute("lowercase") { lowercase = flag != 0 }
        var description = ModelDescription(configuration: configuration, vocabulary: nil, lowercase: lowercase)
        guard case .string(let path)? = file.attribute("vocab_file") else {
            return (description, "\(file.path) does not name its vocabulary (no vocab_file attribute)")
        }
        guard FileSystem.isRegularFile(path) else {
            return (description, "the data's vocabulary \(path) (vocab_file of \(file.path)) is not there")
        }
        do {
            if case .string(let expected)? = file.attribute("vocab_sha256") {
                let actual = try Digest.hexDigest(ofFile: path, algorithm: .sha256)
                guard actual == expected else {
                    return (description, "\(path) has changed since the data was made (SHA-256 \(actual), "
                            + "the data's vocab_sha256 is \(expected))")
                }
            }
            let format: Vocabulary.FileFormat = configuration.isCharacterBERT ? .countAndToken : .tokenPerLine
            description.vocabulary = try Vocabulary(contentsOfFile: path, format: format).tokens
        } catch {
            return (description, "\(error)")
        }
        return (description, nil)
    }

    /// The files to write into a checkpoint directory: names and contents.
    public var files: [(name: String, contents: String)] {
        var files = [(Self.configurationFileName, ModelConfigurationFile.json(configuration).text)]
        if let vocabulary {
            files.append((Self.vocabularyFileName(characterBERT: configuration.isCharacterBERT),
                          vocabulary.joined(separator: "\n") + "\n"))
        }
        if let lowercase { files.append((Self.tokenizerFileName, Self.tokenizerConfiguration(self, lowercase: lowercase))) }
        return files
    }

    /// tokenizer_config.json for `description`: what Hugging Face's `AutoTokenizer` needs to
    /// make BERT's tokenizer from vocab.txt (CharacterBERT's has no `tokenizer_class`: its
    /// words come from BERT's basic tokenizer alone).
    static func tokenizerConfiguration(_ description: ModelDescription, lowercase: Bool) -> String {
        var json = JSONObjectWriter()
        if !description.configuration.isCharacterBERT { json.add("tokenizer_class", "BertTokenizer") }
        json.add("do_lower_case", lowercase)
        json.add("tokenize_chinese_chars", true)
        json.add("strip_accents", json: "null")
        for (name, token) in specialTokens where description.vocabulary?.contains(token) ?? true {
            json.add(name, token)
        }
        json.add("model_max_length", description.configuration.maxPositions)
        return json.text
    }

    /// The `do_lower_case` of the tokenizer_config.json at `path`: nil when the file is
    /// absent, Hugging Face's default (true) when it does not say.
    /// - Throws: `BERTKitError` naming the file when it is not a JSON object.
    public static func lowercase(tokenizerConfiguration path: String) throws -> Bool? {
        guard FileSystem.exists(path) else { return nil }
        let bytes = try FileChunkReader.contents(of: path)
        var lowercase = true
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(buffer)
                try scanner.object { scanner, key in
                    if String(decoding: key, as: UTF8.self) == "do_lower_case" {
                        lowercase = try scanner.bool()
                    } else {
                        try scanner.skipValue()
                    }
                }
                try scanner.end()
            }
        } catch let malformed as JSONScanner.Malformed {
            throw BERTKitError(file: path, "not a tokenizer configuration: \(malformed.message)")
        }
        return lowercase
    }
}
