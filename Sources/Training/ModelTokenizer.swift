import Model
import Support
import Tokenizers

/// Text as a trained model reads it: `[CLS]`, the text's tokens, `[SEP]`, with each literal
/// `[MASK]` in the text kept as the mask token (as Hugging Face's tokenizers keep special
/// tokens whole).
///
/// BERT's tokens are WordPieces of the model's vocabulary (`BertWordPieceTokenizer`);
/// CharacterBERT's are BERT BasicTokenizer words, each spelled as character ids
/// (`CharacterMapper`). Both lowercase and strip accents as the model's tokenizer settings
/// say, or, when they say nothing, as Hugging Face's default does (lowercasing).
public struct ModelTokenizer {
    /// A text tokenized.
    public struct Encoded: Sendable {
        /// The tokens, `[CLS]` and `[SEP]` included.
        public var tokens: [String]
        /// Their ids: one WordPiece id per token (BERT), or L character ids per token
        /// (CharacterBERT).
        public var ids: [Int32]
        /// The positions of the `[MASK]` tokens.
        public var maskPositions: [Int]
    }

    /// How the text becomes tokens.
    private enum Words {
        case wordPiece(BertWordPieceTokenizer)
        case characters(BasicTokenizer)
    }

    private let words: Words
    private let configuration: BertConfiguration
    /// The ids of `[CLS]`, `[SEP]`, `[MASK]` and `[PAD]` (L ids each for CharacterBERT).
    private let classifier: [Int32], separator: [Int32], mask: [Int32], padding: [Int32]
    private static let maskToken = "[MASK]"

    /// The tokenizer of `loaded`.
    /// - Throws: `BERTKitError` when a BERT has no vocabulary, or one without BERT's special
    ///   tokens; when a CharacterBERT's CNN does not read `CharacterMapper`'s 50 ids per token.
    public init(_ loaded: CheckpointModel) throws {
        configuration = loaded.description.configuration
        let lowercase = loaded.description.lowercase ?? true
        if let cnn = configuration.characterCNN {
            guard cnn.charactersPerToken == CharacterMapper.idsPerToken else {
                throw BERTKitError(file: loaded.directory, "its character CNN reads \(cnn.charactersPerToken) characters per "
                                   + "token, but text is spelled in CharacterBERT's \(CharacterMapper.idsPerToken)")
            }
            let mapper = CharacterMapper()
            words = .characters(BasicTokenizer(lowercase: lowercase))
            (classifier, separator, mask, padding) = (mapper.characterIDs(of: "[CLS]"), mapper.characterIDs(of: "[SEP]"),
                                                      mapper.characterIDs(of: Self.maskToken), mapper.characterIDs(of: "[PAD]"))
        } else {
            let tokenizer = try BertWordPieceTokenizer(vocabulary: Vocabulary(tokens: try loaded.vocabulary()),
                                                       normalizer: BertNormalizer(lowercase: lowercase))
            words = .wordPiece(tokenizer)
            (classifier, separator) = ([Int32(tokenizer.postProcessor.classifier.id)],
                                       [Int32(tokenizer.postProcessor.separator.id)])
            (mask, padding) = ([Int32(tokenizer.maskID)], [Int32(tokenizer.paddingID)])
        }
    }

    /// `input`'s tokens and ids.
    /// - Throws: `BERTKitError` naming the input when it is longer than the model's positions.
    public func encode(_ input: InputText) throws -> Encoded {
        var encoded = Encoded(tokens: ["[CLS]"], ids: classifier, maskPositions: [])
        for (index, piece) in input.text.split(separator: Self.maskToken, omittingEmptySubsequences: false).enumerated() {
            if index > 0 {
                encoded.maskPositions.append(encoded.tokens.count)
                encoded.tokens.append(Self.maskToken)
                encoded.ids += mask
            }
            append(String(piece), to: &encoded)
        }
        encoded.tokens.append("[SEP]")
        encoded.ids += separator
        guard encoded.tokens.count <= configuration.maxPositions else {
            throw input.error("is \(encoded.tokens.count) tokens long with [CLS] and [SEP], more than the model's "
                              + "\(configuration.maxPositions) positions")
        }
        return encoded
    }

    /// The inputs of a batch of `texts`: each padded to the longest, attending to its own
    /// tokens, segment 0; its `[MASK]` positions as its first masked slots, of
    /// `maxPredictions` per row (the others at position 0); every label ignored.
    public func inputs(_ texts: [Encoded], maxPredictions: Int) -> PretrainingInputs {
        let length = texts.map(\.tokens.count).max() ?? 1
        let shape = BatchShape(batchSize: texts.count, sequenceLength: length, maxPredictions: maxPredictions)
        var inputs = PretrainingInputs(
            shape: shape, tokenIDs: [], tokenTypeIDs: [Int32](repeating: 0, count: shape.tokens), attentionMask: [],
            maskedPositions: [], maskedLabels: [Int32](repeating: PretrainingInputs.ignoredLabel, count: shape.predictions),
            nextSentenceLabels: [Int32](repeating: PretrainingInputs.ignoredLabel, count: texts.count))
        for text in texts {
            let padded = length - text.tokens.count
            precondition(text.maskPositions.count <= maxPredictions, "more [MASK]s than masked slots")
            inputs.tokenIDs += text.ids
            for _ in 0..<padded { inputs.tokenIDs += padding }
            inputs.attentionMask += [Int32](repeating: 1, count: text.tokens.count) + [Int32](repeating: 0, count: padded)
            inputs.maskedPositions += text.maskPositions.map { Int32($0) }
                + [Int32](repeating: 0, count: maxPredictions - text.maskPositions.count)
        }
        return inputs
    }

    /// Appends the tokens of `text` (holding no `[MASK]`).
    private func append(_ text: String, to encoded: inout Encoded) {
        switch words {
        case .wordPiece(let tokenizer):
            let pieces = tokenizer.encode(text, addSpecialTokens: false)
            encoded.tokens += pieces.tokens
            encoded.ids += pieces.ids.map { Int32($0) }
        case .characters(let basic):
            var bytes: [UInt8] = []
            var workspace = BasicTokenizer.Workspace()
            var text = text
            text.withUTF8 { _ = basic.appendWords(of: $0, to: &bytes, workspace: &workspace) }
            let mapper = CharacterMapper()
            for word in bytes.split(separator: 0x20) {
                encoded.tokens.append(String(decoding: word, as: UTF8.self))
                word.withUnsafeBufferPointer { mapper.appendCharacterIDs(ofUTF8: $0, to: &encoded.ids) }
            }
        }
    }
}
