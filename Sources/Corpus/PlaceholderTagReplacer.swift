/// Replaces each `<math>…</math>` by `formula_N` and each `<code>…</code>` by `codice_N`,
/// as WikiExtractor's `placeholder_tag_patterns` loop does: the Nth element found gets N,
/// and an element repeating an earlier one, byte for byte, gets that one's number.
struct PlaceholderTagReplacer: TextPass {
    static let math = PlaceholderTagReplacer(tag: "math", placeholder: "formula_")
    static let code = PlaceholderTagReplacer(tag: "code", placeholder: "codice_")

    let tag: StaticString
    let placeholder: StaticString

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var elements: [Range<Int>] = []
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let element = self.element(in: text, at: start) {
                let number = 1 + (elements.firstIndex { ByteSearch.equal(text, $0, element) } ?? elements.count)
                elements.append(element)
                rewriter.replace(element)
                output.append(placeholder)
                output.appendDecimal(number)
                resume = element.upperBound
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: resume)
        }
        return rewriter.finish()
    }

    /// The element at `start`: `<\s*tag(\s*| [^>]+?)>.*?<\s*/\s*tag\s*>`, case-insensitive.
    private func element(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Range<Int>? {
        let nameStart = UnicodeCharacterClass.endOfWhitespace(text, from: start + 1)
        guard ByteSearch.hasPrefixIgnoringCase(tag, in: text, at: nameStart) else { return nil }
        let nameEnd = nameStart + tag.utf8CodeUnitCount
        let spaceEnd = UnicodeCharacterClass.endOfWhitespace(text, from: nameEnd)
        let contentStart: Int
        if spaceEnd < text.count && text[spaceEnd] == UInt8(ascii: ">") {
            contentStart = spaceEnd + 1
        } else if nameEnd + 1 < text.count, text[nameEnd] == UInt8(ascii: " "), text[nameEnd + 1] != UInt8(ascii: ">"),
                  let close = ByteSearch.index(of: UInt8(ascii: ">"), in: text, from: nameEnd + 1) {
            contentStart = close + 1
        } else {
            return nil
        }
        let name = TagName(tag)
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: contentStart)
        while let position = next {
            if let closing = HTMLTagSyntax.closingTag(in: text, at: position, spaceBeforeSlash: true), closing.name == name {
                return start..<closing.end
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: position + 1)
        }
        return nil
    }
}
