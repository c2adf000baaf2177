/// Replaces `<math>…</math>` by `formula_N` and `<code>…</code>` by `codice_N` as
/// WikiExtractor's `placeholder_tag_patterns` loop does: for the Nth element found, every
/// copy of its text still in the text becomes the placeholder N. So repeats of an element
/// get its number (their own numbers go unused), and an element ending with a copy of an
/// earlier one (`<code>a<code>x</code>` after `<code>x</code>`) keeps only its start.
struct PlaceholderTagReplacer: TextPass {
    static let math = PlaceholderTagReplacer(tag: "math", placeholder: "formula_")
    static let code = PlaceholderTagReplacer(tag: "code", placeholder: "codice_")

    let tag: StaticString
    let placeholder: StaticString

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        let elements = self.elements(in: text)
        guard !elements.isEmpty else { return false }
        // A copy of an element can only be another element or, when an element holds an
        // inner opening tag, that element's end: each element is replaced once at most.
        var replacements = [(start: Int, number: Int)?](repeating: nil, count: elements.count)
        let hosts = elements.indices.filter { opensAnother(text, elements[$0]) }
        for (index, element) in elements.enumerated() where replacements[index] == nil {
            for other in index..<elements.count where replacements[other] == nil
                && ByteSearch.equal(text, elements[other], element) {
                replacements[other] = (elements[other].lowerBound, index + 1)
            }
            for host in hosts where replacements[host] == nil && elements[host].count > element.count {
                let copy = elements[host].upperBound - element.count..<elements[host].upperBound
                if ByteSearch.equal(text, copy, element) { replacements[host] = (copy.lowerBound, index + 1) }
            }
        }
        var rewriter = TextRewriter(text, into: output)
        for (element, replacement) in zip(elements, replacements) {
            guard let (start, number) = replacement else { continue }
            rewriter.replace(start..<element.upperBound)
            output.append(placeholder)
            output.appendDecimal(number)
        }
        return rewriter.finish()
    }

    /// Whether the element's content holds another opening `<\s*tag`.
    private func opensAnother(_ text: UnsafeBufferPointer<UInt8>, _ element: Range<Int>) -> Bool {
        let elementText = UnsafeBufferPointer(rebasing: text[..<element.upperBound])
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: elementText, from: element.lowerBound + 1)
        while let position = next {
            let nameStart = UnicodeCharacterClass.endOfWhitespace(elementText, from: position + 1)
            if ByteSearch.hasPrefixIgnoringCase(tag, in: elementText, at: nameStart) { return true }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: elementText, from: position + 1)
        }
        return false
    }

    /// The elements, left to right without overlaps, as `finditer` finds them.
    private func elements(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        var closingTags = ForwardSearchCache()
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let element = self.element(in: text, at: start, closingTags: &closingTags) {
                elements.append(element)
                resume = element.upperBound
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: resume)
        }
        return elements
    }

    /// The element at `start`: `<\s*tag(\s*| [^>]+?)>.*?<\s*/\s*tag\s*>`, case-insensitive.
    private func element(in text: UnsafeBufferPointer<UInt8>, at start: Int,
                         closingTags: inout ForwardSearchCache) -> Range<Int>? {
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
        let closing = ClosingTagDelimiter(name: TagName(tag))
        return closingTags.firstMatch(from: contentStart) { closing.firstMatch(in: text, from: $0) }
            .map { start..<$0.upperBound }
    }
}
