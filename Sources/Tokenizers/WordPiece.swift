import Support
/// The WordPiece model, the same as Hugging Face `tokenizers`' `WordPiece`: splits a word
/// into vocabulary tokens greedily, longest match first, pieces after the first looked up
/// with the continuing-subword prefix ("##").
///
/// A word longer than `maxInputCharactersPerWord` characters, or one that cannot be split
/// entirely into vocabulary tokens, becomes a single unknown token covering the whole word.
/// Lookups hash slices of the word in place: no allocation per lookup or per piece.
public final class WordPiece: Sendable {
    /// One piece of a word: its token id and its byte range in the word.
    public struct Piece: Equatable, Sendable {
        /// The token id.
        public var id: UInt32
        /// Where the piece is in the word's UTF-8.
        public var bytes: Range<Int>

        /// A piece with token `id` at `bytes`.
        public init(id: UInt32, bytes: Range<Int>) {
            self.id = id
            self.bytes = bytes
        }
    }

    /// The vocabulary that pieces are looked up in.
    public let vocabulary: Vocabulary
    /// The id of the unknown token.
    public let unknownID: UInt32
    /// The prefix that marks a piece continuing a word.
    public let continuingSubwordPrefix: String
    /// Longer words are unknown.
    public let maxInputCharactersPerWord: Int
    /// Tokens starting with the prefix, keyed without it.
    private let continuations: ByteStringTable

    /// A model over `vocabulary` with `tokenizers`' defaults.
    /// - Throws: `BERTKitError` when the vocabulary lacks `unknownToken`.
    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharactersPerWord: Int = 100) throws {
        self.vocabulary = vocabulary
        self.unknownID = try vocabulary.requiredID(of: unknownToken)
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
        let prefix = Array(continuingSubwordPrefix.utf8)
        var continuations = ByteStringTable(capacity: vocabulary.count)
        for (id, token) in vocabulary.tokens.enumerated() {
            let bytes = Array(token.utf8)
            guard bytes.count > prefix.count, bytes.starts(with: prefix) else { continue }
            _ = bytes[prefix.count...].withUnsafeBufferPointer { continuations.insert($0, id: UInt32(id)) }
        }
        self.continuations = continuations
    }

    /// The pieces of `word` (a pre-tokenized word, already normalized).
    public func tokenize(_ word: String) -> [Piece] {
        var pieces: [Piece] = []
        var word = word
        word.withUTF8 { tokenize(word: $0, appendingTo: &pieces) }
        return pieces
    }

    /// Appends the pieces of the UTF-8 word `word` to `pieces`.
    public func tokenize(word: UnsafeBufferPointer<UInt8>, appendingTo pieces: inout [Piece]) {
        guard !word.isEmpty else { return }
        let firstPiece = pieces.count
        if word.count > maxInputCharactersPerWord && Self.characterCount(word) > maxInputCharactersPerWord {
            pieces.append(Piece(id: unknownID, bytes: 0..<word.count))
            return
        }
        var start = 0
        while start < word.count {
            guard let piece = longestPiece(of: word, from: start) else {
                pieces.removeSubrange(firstPiece...)
                pieces.append(Piece(id: unknownID, bytes: 0..<word.count))
                return
            }
            pieces.append(piece)
            start = piece.bytes.upperBound
        }
    }

    /// The longest vocabulary token that `word` has at `start`, trying ends from the longest
    /// possible down one character at a time.
    @inline(__always)
    private func longestPiece(of word: UnsafeBufferPointer<UInt8>, from start: Int) -> Piece? {
        var end = min(word.count, start + (start == 0 ? vocabulary.longestTokenLength : continuations.longestKey))
        while end < word.count && UTF8Codec.isContinuation(word[end]) { end -= 1 }
        while end > start {
            let slice = UnsafeBufferPointer(rebasing: word[start..<end])
            if let id = start == 0 ? vocabulary.id(of: slice) : continuations.id(of: slice) {
                return Piece(id: id, bytes: start..<end)
            }
            end -= 1
            while end > start && UTF8Codec.isContinuation(word[end]) { end -= 1 }
        }
        return nil
    }

    /// The number of characters (Unicode scalars) of UTF-8 text.
    static func characterCount(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in word where !UTF8Codec.isContinuation(byte) { count += 1 }
        return count
    }
}
