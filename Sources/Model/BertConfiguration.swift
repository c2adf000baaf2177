/// The sizes and settings of a BERT or CharacterBERT model (Hugging Face's `BertConfig`).
public struct BertConfiguration: Sendable, Hashable {
    /// The WordPiece vocabulary (BERT) or the MLM vocabulary (CharacterBERT): the rows of the
    /// MLM decoder.
    public var vocabularySize: Int
    /// The width of every hidden state (H).
    public var hiddenSize: Int
    /// The number of encoder layers.
    public var layers: Int
    /// The attention heads per layer; H must be a multiple of it.
    public var attentionHeads: Int
    /// The width of the feed-forward layer's inner activation.
    public var intermediateSize: Int
    /// The longest sequence the position embeddings cover.
    public var maxPositions: Int
    /// The number of segment (token type) embeddings.
    public var typeVocabularySize: Int
    /// LayerNorm's ε.
    public var layerNormEpsilon: Float
    /// Dropout on the embeddings and on each sublayer's output.
    public var hiddenDropout: Float
    /// Dropout on the attention probabilities.
    public var attentionDropout: Float
    /// The standard deviation of the normal draws that initialise weights.
    public var initializerRange: Float
    /// Whether the model has the pooler and the next-sentence head (false: MLM only).
    public var nextSentencePrediction: Bool
    /// The id of [PAD], whose word embedding gets no gradient (Hugging Face's `pad_token_id`).
    public var paddingTokenID: Int32 = 0
    /// The character CNN that replaces the word embeddings (CharacterBERT), or nil for BERT.
    public var characterCNN: CharacterCNNConfiguration?

    /// A configuration with Hugging Face's defaults for everything but the sizes.
    public init(vocabularySize: Int = 30522, hiddenSize: Int, layers: Int, attentionHeads: Int,
                intermediateSize: Int? = nil, maxPositions: Int = 512, typeVocabularySize: Int = 2,
                layerNormEpsilon: Float = 1e-12, hiddenDropout: Float = 0.1, attentionDropout: Float = 0.1,
                initializerRange: Float = 0.02, nextSentencePrediction: Bool = true,
                characterCNN: CharacterCNNConfiguration? = nil) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.attentionHeads = attentionHeads
        self.intermediateSize = intermediateSize ?? 4 * hiddenSize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.hiddenDropout = hiddenDropout
        self.attentionDropout = attentionDropout
        self.initializerRange = initializerRange
        self.nextSentencePrediction = nextSentencePrediction
        self.characterCNN = characterCNN
    }

    /// The width of one attention head.
    public var headSize: Int { hiddenSize / attentionHeads }

    /// Whether this is a CharacterBERT.
    public var isCharacterBERT: Bool { characterCNN != nil }

    /// The problems that make the sizes unusable, empty when there are none.
    public var problems: [String] {
        var problems: [String] = []
        for (name, value) in [("vocabulary size", vocabularySize), ("hidden size", hiddenSize), ("layers", layers),
                              ("attention heads", attentionHeads), ("intermediate size", intermediateSize),
                              ("max positions", maxPositions), ("type vocabulary size", typeVocabularySize)]
        where value < 1 {
            problems.append("\(name) must be at least 1, not \(value)")
        }
        if attentionHeads >= 1 && hiddenSize % attentionHeads != 0 {
            problems.append("hidden size \(hiddenSize) is not a multiple of the \(attentionHeads) attention heads")
        }
        for (name, value) in [("hidden dropout", hiddenDropout), ("attention dropout", attentionDropout)]
        where !(value >= 0 && value < 1) {
            problems.append("\(name) must be in [0, 1), not \(value)")
        }
        return problems + (characterCNN?.problems ?? [])
    }
}

extension BertConfiguration {
    /// The named sizes: Google's BERT miniatures (tiny, mini, small, medium) and the paper's
    /// base and large.
    public static let presets: [(name: String, layers: Int, hidden: Int)] = [
        ("tiny", 2, 128), ("mini", 4, 256), ("small", 4, 512), ("medium", 8, 512), ("base", 12, 768), ("large", 24, 1024),
    ]

    /// A named size with 64-wide heads and a 4·H feed-forward layer, or nil for an unknown name.
    ///
    /// For CharacterBERT the vocabulary is the MLM vocabulary and the word embeddings are the
    /// character CNN of the paper.
    public static func preset(_ name: String, vocabularySize: Int = 30522, characterBERT: Bool = false) -> BertConfiguration? {
        guard let preset = presets.first(where: { $0.name == name }) else { return nil }
        return BertConfiguration(vocabularySize: vocabularySize, hiddenSize: preset.hidden, layers: preset.layers,
                                 attentionHeads: preset.hidden / 64,
                                 characterCNN: characterBERT ? CharacterCNNConfiguration() : nil)
    }
}
