/// How the rows of the tables indexed by one vocabulary's ids (the word embeddings, the MLM
/// bias, CharacterBERT's MLM decoder) move to another vocabulary's ids: a token present in
/// both keeps its row, every other row keeps the value it was initialised with.
///
/// A table may have more rows than its vocabulary has tokens (NVIDIA pads the vocabulary to a
/// multiple of 8); rows past the tokens are never copied.
public struct VocabularyTransfer: Sendable, Equatable {
    /// For each id of the new vocabulary, the old id of the same token, or nil.
    public let sources: [Int?]

    /// The transfer from `old` to `new` (tokens by id).
    public init(from old: [String], to new: [String]) {
        var oldIDs: [String: Int] = [:]
        for (id, token) in old.enumerated() where oldIDs[token] == nil { oldIDs[token] = id }
        sources = new.map { oldIDs[$0] }
    }

    /// The parameters whose rows are indexed by vocabulary ids.
    public static let parameterNames: Set<String> = [
        "bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.weight", "cls.predictions.bias",
    ]

    /// Tokens of the new vocabulary whose rows come from the old one.
    public var kept: Int { sources.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    /// Tokens of the new vocabulary that start from fresh values.
    public var fresh: Int { sources.count - kept }
    /// Whether every token keeps its id.
    public var isIdentity: Bool { sources.enumerated().allSatisfy { $0.element == $0.offset } }

    /// `fresh` (the new table, rows of `width` values) with the row of every token found in
    /// `old` (the old table) replaced by its old row.
    public func apply(old: [Float], to fresh: [Float], width: Int) -> [Float] {
        precondition(width > 0 && old.count % width == 0 && fresh.count % width == 0, "tables of rows of \(width) values")
        let oldRows = old.count / width
        var table = fresh
        for (id, source) in sources.prefix(fresh.count / width).enumerated() {
            guard let source, source < oldRows else { continue }
            table[id * width ..< (id + 1) * width] = old[source * width ..< (source + 1) * width]
        }
        return table
    }
}
