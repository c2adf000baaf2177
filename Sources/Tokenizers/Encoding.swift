/// The tokens of a text or a pair of texts, as `tokenizers`' `Encoding` gives them.
public struct Encoding: Equatable, Sendable {
    /// The token ids.
    public var ids: [UInt32] = []
    /// The tokens.
    public var tokens: [String] = []
    /// For each token, its range of characters (Unicode scalars) in the text it came from;
    /// special tokens have `0..<0`.
    public var offsets: [Range<Int>] = []
    /// For each token, 0 in the first text and 1 in the second one of a pair.
    public var typeIDs: [UInt32] = []

    /// No tokens.
    public init() {}

    /// Appends one token.
    public mutating func append(id: UInt32, token: String, offsets: Range<Int>, typeID: UInt32) {
        ids.append(id)
        tokens.append(token)
        self.offsets.append(offsets)
        typeIDs.append(typeID)
    }

    /// Appends the tokens of `other`.
    public mutating func append(contentsOf other: Encoding) {
        ids += other.ids
        tokens += other.tokens
        offsets += other.offsets
        typeIDs += other.typeIDs
    }
}
