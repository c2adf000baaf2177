/// The sizes of CharacterBERT's character CNN (ELMo's): character embedding, convolutions,
/// highway layers.
public struct CharacterCNNConfiguration: Sendable, Hashable {
    /// One convolution over the characters of a token: its window and its number of filters.
    public struct Filter: Sendable, Hashable {
        public var width: Int
        public var count: Int

        public init(width: Int, count: Int) {
            self.width = width
            self.count = count
        }
    }

    /// The character ids (258 bytes and markers, +1 for padding, +1 for [MASK]'s).
    public var characterVocabularySize: Int
    /// The width of a character embedding.
    public var characterEmbeddingSize: Int
    /// Characters per token, markers and padding included.
    public var charactersPerToken: Int
    /// The convolutions; their outputs are concatenated.
    public var filters: [Filter]
    /// The number of highway layers after the convolutions.
    public var highwayLayers: Int

    /// The paper's CNN by default: 263 × 16 embedding, 50 characters, widths 1…7 with
    /// 32, 32, 64, 128, 256, 512, 1024 filters (2048 in all), two highway layers.
    public init(characterVocabularySize: Int = 263, characterEmbeddingSize: Int = 16, charactersPerToken: Int = 50,
                filters: [Filter] = [(1, 32), (2, 32), (3, 64), (4, 128), (5, 256), (6, 512), (7, 1024)]
                    .map { Filter(width: $0.0, count: $0.1) },
                highwayLayers: Int = 2) {
        self.characterVocabularySize = characterVocabularySize
        self.characterEmbeddingSize = characterEmbeddingSize
        self.charactersPerToken = charactersPerToken
        self.filters = filters
        self.highwayLayers = highwayLayers
    }

    /// The width of the concatenated convolution outputs, which the highway layers keep.
    public var filterCount: Int { filters.reduce(0) { $0 + $1.count } }

    /// The problems that make the sizes unusable, empty when there are none.
    public var problems: [String] {
        var problems: [String] = []
        if filters.isEmpty { problems.append("the character CNN needs at least one filter") }
        for filter in filters where filter.width < 1 || filter.width > charactersPerToken || filter.count < 1 {
            problems.append("filter of width \(filter.width) and \(filter.count) filters does not fit \(charactersPerToken) characters")
        }
        if characterVocabularySize < 1 || characterEmbeddingSize < 1 || highwayLayers < 0 {
            problems.append("character CNN sizes must be positive")
        }
        return problems
    }
}
