/// Replaces `<math>…</math>` by `formula_N` and `<code>…</code>` by `codice_N` as
/// WikiExtractor's `placeholder_tag_patterns` loop does: for the Nth element found, every
/// copy of its text still in the text becomes the placeholder N. So repeats of an element
/// get its number (their own numbers go unused), and an element ending with a copy of an
/// earlier one (`<code>a<code>x</code>` after `<code>x</code>`) loses that copy and stays.
struct PlaceholderTagReplacer: TextPass {
    static let math = PlaceholderTagReplacer(tag: "math", placeholder: "formula_")
    static let code = PlaceholderTagReplacer(tag: "code", placeholder: "codice_")

    let tag: StaticString
    let placeholder: StaticString

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        let elements = self.elements(in: text)
        guard !elements.isEmpty else { return false }
        var replaced: [(range: Range<Int>, number: Int)] = []
        for (index, element) in elements.enumerated() {
            var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
            while let start = next {
                var resume = start + 1
                let copy = start..<start + element.count
                if copy.upperBound <= text.count, ByteSearch.equal(text, copy, element),
                   !replaced.contains(where: { $0.range.overlaps(copy) }) {
                    replaced.append((copy, index + 1))
                    resume = copy.upperBound
                }
                next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: resume)
            }
        }
        guard !replaced.isEmpty else { return false }
        replaced.sort { $0.range.lowerBound < $1.range.lowerBound }
        var rewriter = TextRewriter(text, into: output)
        for (range, number) in replaced {
            rewriter.replace(range)
            output.append(placeholder)
            output.appendDecimal(number)
        }
        return rewriter.finish()
    }

    /// The elements, left to right without overlaps, as `finditer` finds them.
    private func elements(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let element = self.element(in: text, at: start) {
                elements.append(element)
                resume = element.upperBound
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: resume)
        }
        return elements
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
