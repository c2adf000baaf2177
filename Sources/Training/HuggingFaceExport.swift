import Interop
import Model
import Support
import Tensor
import Tokenizers

/// `bertkit export hf`: a checkpoint as a Hugging Face model directory, written under a
/// temporary name and renamed when complete.
///
/// BERT, for transformers' `AutoModelForPreTraining`, `AutoModelForMaskedLM` and
/// `AutoTokenizer`:
/// - config.json: `architectures` BertForPreTraining (BertForMaskedLM for an MLM-only
///   model), `model_type` bert, the sizes and settings, `tie_word_embeddings` true;
/// - model.safetensors: every parameter F32 under its Hugging Face name, metadata
///   `format: pt`; the decoder is tied (its weight is the word embeddings, its bias
///   `cls.predictions.bias`), so neither `cls.predictions.decoder.*` is stored, as
///   transformers saves it; no `position_ids` buffer (transformers makes it);
/// - vocab.txt, tokenizer_config.json (BertTokenizer, `do_lower_case` from the training
///   data), special_tokens_map.json.
///
/// CharacterBERT, which transformers has no class for: config.json (`model_type`
/// character_bert, `architectures` CharacterBertForPreTraining, `mlm_vocab_size`,
/// `character_cnn`), model.safetensors under the names of helboukkouri/character-bert's
/// `CharacterBertForPreTraining` (the encoder under `character_bert.`; the untied decoder's
/// bias under both `cls.predictions.decoder.bias` and `cls.predictions.bias`), mlm_vocab.txt
/// (one word per line) and a README.md saying what can load it.
public enum HuggingFaceExport {
    /// What an export wrote.
    public struct Summary: Sendable {
        /// The checkpoint exported.
        public var checkpoint: Checkpoint
        /// The model exported.
        public var configuration: BertConfiguration
        /// The files written, by name.
        public var files: [String]
        /// The tensors in model.safetensors.
        public var tensors: Int
        /// Their elements.
        public var parameters: Int
        /// What the directory can and cannot do.
        public var notes: [String]
        /// Defaults taken for what the checkpoint does not say.
        public var warnings: [String]
    }

    /// Exports the checkpoint `path` names (a checkpoint directory, or a run directory's
    /// newest) to the directory `output`, read on `backend`; `vocabularyFile` (vocab.txt, or
    /// CharacterBERT's MLM vocabulary) replaces the checkpoint's vocabulary or stands in for
    /// one it lacks; `overwrite` replaces an existing directory.
    /// - Throws: `BERTKitError` for a missing or damaged checkpoint, one without a vocabulary
    ///   and no `vocabularyFile`, a vocabulary larger than the model's, an existing non-empty
    ///   `output` without `overwrite`, or a failed write.
    public static func export(checkpoint path: String, to output: String, vocabularyFile: String? = nil,
                              overwrite: Bool, backend: Backend) throws -> Summary {
        let checkpoint = try CheckpointStore.resolve(path)
        let loaded = try CheckpointModel(checkpoint: checkpoint, backend: backend)
        var description = loaded.description
        let configuration = description.configuration
        let vocabularyName = ModelDescription.vocabularyFileName(characterBERT: configuration.isCharacterBERT)
        if let vocabularyFile {
            description.vocabulary = try Vocabulary(contentsOfFile: vocabularyFile,
                                                    format: configuration.isCharacterBERT ? .countAndToken : .tokenPerLine).tokens
        }
        guard let vocabulary = description.vocabulary else {
            throw BERTKitError(file: checkpoint.path, "has no \(vocabularyName) (the run could not read its data's "
                               + "vocabulary): give the vocabulary the data was made with as --vocab")
        }
        guard vocabulary.count <= configuration.vocabularySize else {
            throw BERTKitError(file: vocabularyFile ?? checkpoint.path + "/" + vocabularyName,
                               "has \(vocabulary.count) tokens, more than the model's \(configuration.vocabularySize)")
        }
        var notes: [String] = []
        var warnings: [String] = []
        if description.lowercase == nil {
            description.lowercase = true
            warnings.append("the checkpoint does not say whether its tokenizer lowercases: do_lower_case is true, "
                         + "Hugging Face's default")
        }
        let directory = try OutputDirectory(path: output, overwrite: overwrite)
        let tensors = configuration.isCharacterBERT ? characterBERTTensors(loaded.model) : bertTensors(loaded.model)
        try SafeTensorsWriter.write(tensors, metadata: ["format": "pt"], to: directory.path(of: "model.safetensors"))
        var files: [(name: String, contents: String)] = [("config.json", huggingFaceConfiguration(configuration).text),
                                                        (vocabularyName, vocabulary.joined(separator: "\n") + "\n")]
        if configuration.isCharacterBERT {
            files.append(("README.md", characterBERTStatement(description, checkpoint: checkpoint)))
            notes.append("transformers has no CharacterBERT: helboukkouri/character-bert's CharacterBertForPreTraining "
                         + "loads the weights (README.md says how)")
        } else {
            files.append((ModelDescription.tokenizerFileName,
                          ModelDescription.tokenizerConfiguration(description, lowercase: description.lowercase!)))
            var specialTokens = JSONObjectWriter()
            for (name, token) in ModelDescription.specialTokens where vocabulary.contains(token) { specialTokens.add(name, token) }
            files.append(("special_tokens_map.json", specialTokens.text))
            if !configuration.nextSentencePrediction {
                notes.append("MLM-only model: config.json names BertForMaskedLM; AutoModelForPreTraining would start "
                             + "the pooler and next-sentence head from random values")
            }
        }
        for (name, contents) in files { try directory.write(name, contents) }
        try directory.commit()
        return Summary(checkpoint: checkpoint, configuration: configuration,
                       files: ["model.safetensors"] + files.map(\.name), tensors: tensors.count,
                       parameters: tensors.reduce(0) { $0 + $1.shape.reduce(1, *) }, notes: notes, warnings: warnings)
    }

    /// config.json: the architecture, the model type, the sizes and settings.
    static func huggingFaceConfiguration(_ configuration: BertConfiguration) -> JSONObjectWriter {
        var json = JSONObjectWriter()
        if let cnn = configuration.characterCNN {
            json.add("architectures", ["CharacterBertForPreTraining"])
            json.add("model_type", "character_bert")
            json.add(contentsOf: ModelConfigurationFile.huggingFaceMembers(configuration))
            json.add("mlm_vocab_size", configuration.vocabularySize)
            json.add("character_cnn", json: ModelConfigurationFile.characterCNNJSON(cnn))
            json.add("tie_word_embeddings", false)
        } else {
            json.add("architectures", [configuration.nextSentencePrediction ? "BertForPreTraining" : "BertForMaskedLM"])
            json.add("model_type", "bert")
            json.add(contentsOf: ModelConfigurationFile.huggingFaceMembers(configuration))
            json.add("tie_word_embeddings", true)
        }
        json.add("dtype", "float32")
        return json
    }

    /// BERT's parameters under their own names, which are Hugging Face's.
    static func bertTensors(_ model: BertForPreTraining) -> [SafeTensor] {
        model.parameters.namedValues.map { name, tensor in
            SafeTensor(name, shape: tensor.shape.dimensions, floats: model.backend.floats(tensor))
        }
    }

    /// CharacterBERT's parameters under the names of helboukkouri/character-bert's
    /// `CharacterBertForPreTraining`: `bert.` becomes `character_bert.`, and the MLM bias is
    /// also stored as the decoder's bias.
    static func characterBERTTensors(_ model: BertForPreTraining) -> [SafeTensor] {
        model.parameters.namedValues.flatMap { name, tensor -> [SafeTensor] in
            let values = model.backend.floats(tensor)
            let exported = name.hasPrefix("bert.") ? "character_bert." + name.dropFirst(5) : name
            let tensor = SafeTensor(exported, shape: tensor.shape.dimensions, floats: values)
            guard name == "cls.predictions.bias" else { return [tensor] }
            return [tensor, SafeTensor("cls.predictions.decoder.bias", shape: tensor.shape, floats: values)]
        }
    }

    /// README.md of an exported CharacterBERT: what it is and what can load it.
    static func characterBERTStatement(_ description: ModelDescription, checkpoint: Checkpoint) -> String {
        let configuration = description.configuration
        let cnn = configuration.characterCNN!
        let paperCNN = cnn == CharacterCNNConfiguration()
        let lowercase = description.lowercase ?? true
        return """
            # CharacterBERT exported by BERTKit

            Written by `bertkit export hf` (BERTKit \(BERTKitVersion.string)) from the checkpoint `\(checkpoint.path)`:
            \(configuration.layers) layers, hidden size \(configuration.hiddenSize), \(configuration.attentionHeads) heads, \
            an MLM vocabulary of \(configuration.vocabularySize) words, \
            \(configuration.nextSentencePrediction ? "with" : "without") the next-sentence head.

            ## What can load it

            - **Hugging Face transformers cannot.** It has no CharacterBERT class: `AutoModel`, \
            `AutoModelForPreTraining`, `AutoModelForMaskedLM` and `AutoTokenizer` do not know `model_type` \
            `character_bert`, and no transformers class has a character CNN in place of the word embeddings.
            - **helboukkouri/character-bert's code can**: its `CharacterBertForPreTraining.from_pretrained(<this \
            directory>)` (transformers 5) finds every tensor under the names in model.safetensors: the encoder \
            under `character_bert.` (`character_bert.embeddings.word_embeddings.*` is the character CNN: \
            `_char_embedding_weights`, `char_conv_<i>`, `_highways._layers.<i>`, `_projection`), the heads under \
            `cls.`. That code builds the paper's character CNN whatever config.json says; \
            \(paperCNN ? "this model has the paper's CNN" : "**this model's CNN is not the paper's** (see `character_cnn` in config.json), so that code cannot load it without changes"). \
            \(configuration.nextSentencePrediction ? "" : "This model was trained without next-sentence prediction: that code starts `cls.seq_relationship` from random values. ")
            - BERTKit itself: keep using the checkpoint (`bertkit pretrain --init-checkpoint`); `bertkit import hf` \
            reads BERT directories only.

            ## Files

            - `config.json`: Hugging Face's BERT keys for the encoder; `vocab_size` and `mlm_vocab_size` are the \
            MLM vocabulary's size; `character_cnn` gives the character CNN's sizes in ELMo's names.
            - `model.safetensors`: every tensor F32. The MLM decoder is not tied to anything (there is no word \
            embedding table); its bias is stored twice, as `cls.predictions.decoder.bias` and \
            `cls.predictions.bias`, with equal values, since transformers versions differ in which they read.
            - `mlm_vocab.txt`: the MLM vocabulary, one word per line; line i + 1 is the word of logit i.

            ## Input

            Words, not WordPieces: the text split by BERT's basic tokenizer \
            (\(lowercase ? "lowercased, accents stripped" : "cased")), `[CLS]` first and `[SEP]` after each segment. \
            Each word is \(cnn.charactersPerToken) character ids: its UTF-8 bytes cut to \(cnn.charactersPerToken - 2), \
            framed by begin-of-word (258) and end-of-word (259), padded with 260, every id then plus one so that 0 is \
            a padded word (helboukkouri/character-bert's `CharacterIndexer`).

            """
    }
}
