import Support
/// BERT's pre-tokenization, the same as Hugging Face `tokenizers`' `BertPreTokenizer`: splits
/// normalized text into words at whitespace, which is dropped, and around punctuation (ASCII
/// punctuation or a P* general category), each mark a word of its own.
public struct BertPreTokenizer: Sendable {
    /// What a character does to the split.
    private enum Role: UInt8 { case word, whitespace, punctuation }

    private let asciiRoles: [Role]

    /// The pre-tokenizer; it has no options.
    public init() {
        let table = UnicodeTable.current
        asciiRoles = (0..<128).map { Self.role(of: table.entry(Unicode.Scalar(UInt8($0))).traits) }
    }

    /// The words of `text` with their offsets in the original text (in characters).
    public func split(_ text: NormalizedText) -> [(word: String, offsets: Range<Int>)] {
        var words: [Range<Int>] = []
        split(text, into: &words)
        return words.map { (String(decoding: text.utf8[$0], as: UTF8.self), text.originalRange(of: $0)) }
    }

    /// Puts the byte ranges of the words of `text` into `words`, replacing its contents.
    public func split(_ text: NormalizedText, into words: inout [Range<Int>]) {
        words.removeAll(keepingCapacity: true)
        text.utf8.withUnsafeBufferPointer { bytes in
            let table = UnicodeTable.current
            var wordStart = 0
            var index = 0
            while index < bytes.count {
                let role: Role
                let length: Int
                let byte = bytes[index]
                if byte < 0x80 {
                    role = asciiRoles[Int(byte)]
                    length = 1
                } else {
                    let decoded = UTF8Codec.decode(bytes, at: index)
                    role = Self.role(of: table.entry(decoded.scalar).traits)
                    length = decoded.length
                }
                if role != .word {
                    if wordStart < index { words.append(wordStart..<index) }
                    if role == .punctuation { words.append(index..<index + length) }
                    wordStart = index + length
                }
                index += length
            }
            if wordStart < bytes.count { words.append(wordStart..<bytes.count) }
        }
    }

    private static func role(of traits: UnicodeTable.Traits) -> Role {
        if traits.contains(.whitespace) { return .whitespace }
        if traits.contains(.punctuation) { return .punctuation }
        return .word
    }
}
