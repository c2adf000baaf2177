import Support
import Tokenizers

/// The tokens instances are made of: how text becomes token ids, which ids are special,
/// which may be masked and which a random replacement draws from.
///
/// BERT: WordPiece ids of `vocab.txt`; every token but [CLS] and [SEP] may be masked and a
/// random replacement is any vocabulary token, as in Google's script. CharacterBERT: words of
/// BERT's BasicTokenizer; ids below the MLM vocabulary's size are its words (so a word's id is
/// its MLM label), then [CLS], [SEP] and [MASK], then each shard's words outside the MLM
/// vocabulary; only MLM words may be masked, and a random replacement is an MLM word, as in
/// CharacterBERT's repository.
public final class TokenVocabulary: Sendable {
    /// Which of the two models the tokens are for.
    public enum Kind: Sendable {
        case wordPiece(BertWordPieceTokenizer)
        case words(BasicTokenizer)
    }

    /// How text becomes tokens.
    public let kind: Kind
    /// The vocabulary of masked-token labels: `vocab.txt`, or the MLM vocabulary.
    public let labels: Vocabulary
    /// The id of `[CLS]`.
    public let cls: Int32
    /// The id of `[SEP]`.
    public let sep: Int32
    /// The id of `[MASK]`.
    public let mask: Int32
    /// For WordPiece ids, whether the token continues a word ("##…"); empty for words.
    let continuation: [Bool]

    /// WordPiece tokens of `tokenizer`'s vocabulary.
    public init(wordPiece tokenizer: BertWordPieceTokenizer) throws {
        kind = .wordPiece(tokenizer)
        labels = tokenizer.vocabulary
        cls = try Int32(labels.requiredID(of: "[CLS]"))
        sep = try Int32(labels.requiredID(of: "[SEP]"))
        mask = Int32(tokenizer.maskID)
        continuation = labels.tokens.map { $0.hasPrefix("##") }
    }

    /// BasicTokenizer words, masked and predicted over `mlmVocabulary`.
    public init(words tokenizer: BasicTokenizer, mlmVocabulary: Vocabulary) {
        kind = .words(tokenizer)
        labels = mlmVocabulary
        cls = Int32(mlmVocabulary.count)
        sep = cls + 1
        mask = cls + 2
        continuation = []
    }

    /// Whether tokens are CharacterBERT words.
    public var isWords: Bool {
        if case .words = kind { return true }
        return false
    }

    /// The first id of a shard's extra words (CharacterBERT).
    public var firstExtraID: Int32 { mask + 1 }

    /// Whether `token` may be masked (besides not being [CLS] or [SEP]).
    @inline(__always)
    func isMaskCandidate(_ token: Int32) -> Bool { token < Int32(labels.count) }

    /// Whether `token` continues the previous token's word (WordPiece "##" pieces).
    @inline(__always)
    func continuesWord(_ token: Int32) -> Bool { !continuation.isEmpty && continuation[Int(token)] }

    /// The token string of `id`, with `shard`'s extra words.
    public func token(_ id: Int32, extraWords: [String] = []) -> String {
        if id < Int32(labels.count) { return labels.tokens[Int(id)] }
        if !isWords { return "[\(id)?]" }
        switch id {
        case cls: return "[CLS]"
        case sep: return "[SEP]"
        case mask: return "[MASK]"
        default:
            let extra = Int(id - firstExtraID)
            return extra < extraWords.count ? extraWords[extra] : "[\(id)?]"
        }
    }
}
