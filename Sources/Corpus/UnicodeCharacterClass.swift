/// Python's `\w` and `\s` (`str.isalnum() or "_"`, `str.isspace()`), on UTF-8 bytes, for
/// the places where WikiExtractor's regular expressions depend on them.
enum UnicodeCharacterClass {
    /// Decodes the scalar at `index` of valid UTF-8: its value and length in bytes.
    @inline(__always)
    static func decode(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, length: Int) {
        let lead = UInt32(text[index])
        if lead < 0x80 { return (lead, 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= text.count else { return (0xFFFD, 1) }
        var scalar = lead & (0x7F >> UInt32(length))
        for offset in 1..<length { scalar = scalar << 6 | UInt32(text[index + offset] & 0x3F) }
        return (scalar, length)
    }

    /// Whether the character at `index` is a word character (Python's `\w`), and its length.
    @inline(__always)
    static func wordCharacter(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (isWord: Bool, length: Int) {
        let byte = text[index]
        if byte < 0x80 { return (isASCIIWord(byte), 1) }
        let (scalar, length) = decode(text, at: index)
        return (isNonASCIIWord(scalar), length)
    }

    /// The length of the word character at `index`, or 0 when it is none.
    @inline(__always)
    static func wordLength(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let (isWord, length) = wordCharacter(text, at: index)
        return isWord ? length : 0
    }

    /// The end of the run of word characters starting at `index` (Python's `\w*`).
    static func endOfWord(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var end = index
        while end < text.count {
            let length = wordLength(text, at: end)
            if length == 0 { break }
            end += length
        }
        return end
    }

    /// Whether `text[range]` holds no word character.
    static func hasNoWord(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound {
            let (isWord, length) = wordCharacter(text, at: index)
            if isWord { return false }
            index += length
        }
        return true
    }

    /// The length of the whitespace character at `index` (Python's `\s`), or 0.
    @inline(__always)
    static func whitespaceLength(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = text[index]
        if byte < 0x80 { return isASCIIWhitespace(byte) ? 1 : 0 }
        guard byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 else { return 0 }
        let (scalar, length) = decode(text, at: index)
        return isNonASCIIWhitespace(scalar) ? length : 0
    }

    /// The end of the run of whitespace starting at `index` (Python's `\s*`).
    @inline(__always)
    static func endOfWhitespace(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var end = index
        while end < text.count {
            let length = whitespaceLength(text, at: end)
            if length == 0 { break }
            end += length
        }
        return end
    }

    /// The start of the run of whitespace ending at `end`.
    static func startOfWhitespace(_ text: UnsafeBufferPointer<UInt8>, endingAt end: Int, notBefore floor: Int) -> Int {
        var start = end
        while start > floor {
            let length = whitespaceLength(endingAt: start, in: text, notBefore: floor)
            if length == 0 { break }
            start -= length
        }
        return start
    }

    /// Whether the character ending at `end` is whitespace.
    @inline(__always)
    static func isWhitespace(endingAt end: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        whitespaceLength(endingAt: end, in: text, notBefore: 0) > 0
    }

    /// Whether the character at `index` is whitespace; false at the text's end.
    @inline(__always)
    static func isWhitespace(at index: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        index < text.count && whitespaceLength(text, at: index) > 0
    }

    /// Whether the character at `index` is not a word character (true at the text's end):
    /// a `\b` after a word.
    @inline(__always)
    static func isWordBoundary(at index: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        index >= text.count || wordLength(text, at: index) == 0
    }

    /// The length of the whitespace character ending at `end`, not starting before `floor`,
    /// or 0.
    private static func whitespaceLength(endingAt end: Int, in text: UnsafeBufferPointer<UInt8>, notBefore floor: Int) -> Int {
        guard end > floor else { return 0 }
        let byte = text[end - 1]
        if byte < 0x80 { return isASCIIWhitespace(byte) ? 1 : 0 }
        for length in 2...3 where end - length >= floor {
            let start = end - length
            if text[start] & 0xC0 != 0x80 {
                return whitespaceLength(text, at: start) == length ? length : 0
            }
        }
        return 0
    }

    /// Whether a non-ASCII scalar is whitespace.
    private static func isNonASCIIWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Whether a non-ASCII scalar is a word character: the last range starting at or before
    /// it holds it.
    private static func isNonASCIIWord(_ scalar: UInt32) -> Bool {
        var low = 0
        var high = wordRanges.count / 2
        while low < high {
            let middle = (low + high) / 2
            if wordRanges[2 * middle] <= scalar { low = middle + 1 } else { high = middle }
        }
        return low > 0 && scalar <= wordRanges[2 * (low - 1) + 1]
    }

    /// Whether an ASCII byte is a word character: a letter, a digit or `_`.
    @inline(__always)
    static func isASCIIWord(_ byte: UInt8) -> Bool {
        byte < 64 ? (0x03FF_0000_0000_0000 as UInt64) >> byte & 1 != 0
            : byte < 128 && (0x07FF_FFFE_87FF_FFFE as UInt64) >> (byte - 64) & 1 != 0
    }

    /// Whether an ASCII byte is whitespace: `\t \n \v \f \r`, the separators 0x1C–0x1F
    /// and space.
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte < 64 && (0x0000_0001_F000_3E00 as UInt64) >> byte & 1 != 0
    }
}
