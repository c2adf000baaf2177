/// The tokens of one text, and the working storage to make them, reused from text to text
/// so that tokenizing many texts on a thread allocates nothing per text.
public struct TokenBuffer: Sendable {
    /// The token ids of the last text tokenized.
    public internal(set) var ids: [UInt32] = []
    /// For each token, its range of characters (Unicode scalars) in the text.
    public internal(set) var offsets: [Range<Int>] = []
    /// The last text, normalized.
    public internal(set) var normalized = NormalizedText()
    /// The byte ranges of the words of `normalized`.
    var words: [Range<Int>] = []
    /// The pieces of the word being tokenized.
    var pieces: [WordPiece.Piece] = []

    /// An empty buffer.
    public init() {}
}
