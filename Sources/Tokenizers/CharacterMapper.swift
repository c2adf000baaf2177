/// Maps tokens to CharacterBERT's character ids, 50 per token, as the CharacterBERT
/// repository's `CharacterMapper` does.
///
/// A token's UTF-8 bytes, cut to 48 (even inside a character), are framed by
/// begin-of-word and end-of-word and padded; raw ids are bytes 0–255, 256 begin-of-sentence,
/// 257 end-of-sentence, 258 begin-of-word, 259 end-of-word, 260 padding, 261 mask, and every
/// id is then shifted by one so that 0 means a padded token. `[CLS]`, `[SEP]` and `[MASK]`
/// are one framed special character (begin-of-sentence, end-of-sentence, mask); `[PAD]` is
/// all zeros; every other token, `[UNK]` included, is spelled out.
public struct CharacterMapper: Sendable {
    /// Ids per token.
    public static let idsPerToken = 50
    /// The raw (unshifted) character that begins a sentence, the character of `[CLS]`.
    public static let beginningOfSentence: Int32 = 256
    /// The raw character that ends a sentence, the character of `[SEP]`.
    public static let endOfSentence: Int32 = 257
    /// The raw character before a token's characters.
    public static let beginningOfWord: Int32 = 258
    /// The raw character after a token's characters.
    public static let endOfWord: Int32 = 259
    /// The raw character that pads a token to 50.
    public static let padding: Int32 = 260
    /// The raw character of `[MASK]`.
    public static let mask: Int32 = 261

    /// The mapper; it has no options.
    public init() {}

    /// The 50 character ids of `token`.
    public func characterIDs(of token: String) -> [Int32] {
        var ids: [Int32] = []
        var token = token
        token.withUTF8 { appendCharacterIDs(ofUTF8: $0, to: &ids) }
        return ids
    }

    /// Appends the 50 character ids of the token whose UTF-8 is `token`.
    public func appendCharacterIDs(ofUTF8 token: UnsafeBufferPointer<UInt8>, to ids: inout [Int32]) {
        var special: Int32?
        if token.count <= 6 && token.first == UInt8(ascii: "[") {
            if token.elementsEqual(Self.paddingToken) { return ids.append(contentsOf: repeatElement(0, count: Self.idsPerToken)) }
            special = Self.specialTokens.first { token.elementsEqual($0.token) }?.character
        }
        let start = ids.count
        ids.append(contentsOf: repeatElement(Self.padding + 1, count: Self.idsPerToken))
        ids[start] = Self.beginningOfWord + 1
        var end = start + 1
        if let special {
            ids[end] = special + 1
            end += 1
        } else {
            for byte in token.prefix(Self.idsPerToken - 2) {
                ids[end] = Int32(byte) + 1
                end += 1
            }
        }
        ids[end] = Self.endOfWord + 1
    }

    /// The tokens spelled as one special character.
    private static let specialTokens: [(token: [UInt8], character: Int32)] = [
        (Array("[CLS]".utf8), beginningOfSentence), (Array("[SEP]".utf8), endOfSentence), (Array("[MASK]".utf8), mask),
    ]
    private static let paddingToken = Array("[PAD]".utf8)
}
