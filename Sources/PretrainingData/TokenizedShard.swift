/// A shard's documents as token ids: each document a run of sentences, each sentence a run
/// of tokens, all stored back to back.
public struct TokenizedShard: Sendable {
    /// Every token of every sentence, in order.
    public internal(set) var tokens: [Int32] = []
    /// The end (exclusive) in `tokens` of each sentence.
    public internal(set) var sentenceEnds: [Int] = []
    /// The end (exclusive) in `sentenceEnds` of each non-empty document.
    public internal(set) var documentEnds: [Int] = []
    /// Tokens that stand for something the vocabulary lacks: WordPiece's `[UNK]`, or words
    /// outside CharacterBERT's MLM vocabulary (kept as input, never masked).
    public internal(set) var unknownTokens = 0
    /// Words beyond the base vocabulary, numbered from `TokenVocabulary.firstExtraID`
    /// (CharacterBERT's input words that the MLM vocabulary lacks).
    public internal(set) var extraWords: [String] = []

    public init() {}

    /// The number of documents.
    public var documentCount: Int { documentEnds.count }

    /// The sentences (indices into `sentenceEnds`) of document `index`.
    public func sentences(ofDocument index: Int) -> Range<Int> {
        (index == 0 ? 0 : documentEnds[index - 1])..<documentEnds[index]
    }

    /// The tokens (indices into `tokens`) of sentence `index`.
    public func tokens(ofSentence index: Int) -> Range<Int> {
        (index == 0 ? 0 : sentenceEnds[index - 1])..<sentenceEnds[index]
    }

    /// Closes the current sentence after tokens were appended; an empty one is dropped.
    mutating func endSentence() {
        if tokens.count > (sentenceEnds.last ?? 0) { sentenceEnds.append(tokens.count) }
    }

    /// Closes the current document; one without sentences is dropped.
    mutating func endDocument() {
        if sentenceEnds.count > (documentEnds.last ?? 0) { documentEnds.append(sentenceEnds.count) }
    }
}
