/// Decodes character references as WikiExtractor's `unescape` does: `&#?(\w+);` becomes the
/// entity's character when it is a known name (case-sensitive), `&#` and a decimal number,
/// or `&#x` and a hexadecimal one; anything else stays as it is.
struct HTMLEntityDecoder: TextPass {
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var next = ByteSearch.index(of: UInt8(ascii: "&"), in: text, from: 0)
        while let ampersand = next {
            var resume = ampersand + 1
            if let (end, scalar) = Self.reference(in: text, at: ampersand) {
                rewriter.replace(ampersand..<end)
                output.appendUTF8(scalar)
                resume = end
            }
            next = ByteSearch.index(of: UInt8(ascii: "&"), in: text, from: resume)
        }
        return rewriter.finish()
    }

    /// The reference starting with the ampersand at `start`: its end and its character.
    static func reference(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (end: Int, scalar: UInt32)? {
        let numeric = start + 1 < text.count && text[start + 1] == UInt8(ascii: "#")
        let nameStart = start + (numeric ? 2 : 1)
        let nameEnd = UnicodeCharacterClass.endOfWord(text, from: nameStart)
        guard nameEnd > nameStart, nameEnd < text.count, text[nameEnd] == UInt8(ascii: ";") else { return nil }
        let name = UnsafeBufferPointer(rebasing: text[nameStart..<nameEnd])
        let scalar: UInt32?
        if !numeric {
            scalar = HTMLEntities.codePoint(named: name)
        } else if name[0] == UInt8(ascii: "x") {
            scalar = number(UnsafeBufferPointer(rebasing: name.dropFirst()), radix: 16)
        } else {
            scalar = number(name, radix: 10)
        }
        guard let scalar else { return nil }
        return (nameEnd + 1, scalar)
    }

    /// The value of ASCII digits in `radix` when it is a Unicode scalar value, else nil
    /// (surrogates included, which Python would decode to a lone surrogate).
    private static func number(_ digits: UnsafeBufferPointer<UInt8>, radix: UInt32) -> UInt32? {
        guard !digits.isEmpty else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value * radix + digit
            if value > 0x10FFFF { return nil }
        }
        return (0xD800...0xDFFF).contains(value) ? nil : value
    }
}
