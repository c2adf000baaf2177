/// Removes the elements WikiExtractor discards with their content (`discardElements`:
/// `<ref>…</ref>`, `<gallery>`, `<table>`, `<small>`, …), one tag name at a time in its
/// order, each with `dropNested`; then the closing tags left unpaired, and finally stray
/// `<noinclude>` tags.
enum DiscardedElementRemover {
    /// WikiExtractor's `discardElements`, in its order.
    static let names: [TagName] = [
        "gallery", "timeline", "noinclude", "pre", "table", "tr", "td", "th", "caption", "div",
        "form", "input", "select", "option", "textarea", "ul", "li", "ol", "dl", "dt", "dd", "menu", "dir",
        "ref", "references", "img", "imagemap", "source", "small", "inputbox", "includeonly", "categorytree",
    ].map(TagName.init)
    private static let noInclude = TagName("noinclude")

    /// Runs the removals for the names that occur in the text.
    static func apply(to chain: inout PassChain) {
        let present = namesPresent(in: chain.text.bytes)
        for (index, name) in names.enumerated() where present & (1 << index) != 0 {
            chain.apply(NestedSpanRemover(open: OpeningTagDelimiter(name: name), close: ClosingTagDelimiter(name: name)))
            chain.apply(UnpairedTagRemover(name: name, bareOpenings: name == noInclude))
        }
    }

    /// A bit set, by index in `names`, of the names that follow a `<` or `</`.
    private static func namesPresent(in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var present: UInt64 = 0
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            var nameStart = UnicodeCharacterClass.endOfWhitespace(text, from: start + 1)
            if nameStart < text.count && text[nameStart] == UInt8(ascii: "/") {
                nameStart = UnicodeCharacterClass.endOfWhitespace(text, from: nameStart + 1)
            }
            if nameStart < text.count, let (name, _) = HTMLTagSyntax.name(in: text, at: nameStart),
               let index = names.firstIndex(of: name) {
                present |= 1 << index
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: start + 1)
        }
        return present
    }
}

/// An opening tag that is not self-closing: `<\s*name\b…>` with no `/` right before `>`.
private struct OpeningTagDelimiter: DelimiterMatcher {
    let name: TagName
    private var scans = AttributeScanCache()

    init(name: TagName) { self.name = name }

    mutating func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: start)
        while let position = next {
            if let tag = HTMLTagSyntax.openingTag(in: text, at: position, named: { $0 == name }, scans: &scans),
               !tag.slashBeforeEnd {
                return position..<tag.end
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: position + 1)
        }
        return nil
    }
}

/// Removes every closing tag `<\s*/\s*name\s*>` of one name and, with `bareOpenings`,
/// every opening tag without attributes, `<\s*name\s*/?\s*>`.
private struct UnpairedTagRemover: TextPass {
    let name: TagName
    let bareOpenings: Bool

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let end = tagEnd(in: text, at: start) {
                rewriter.replace(start..<end)
                resume = end
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: resume)
        }
        return rewriter.finish()
    }

    private func tagEnd(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        if let tag = HTMLTagSyntax.closingTag(in: text, at: start, spaceBeforeSlash: true) {
            return tag.name == name ? tag.end : nil
        }
        guard bareOpenings else { return nil }
        let nameStart = UnicodeCharacterClass.endOfWhitespace(text, from: start + 1)
        guard nameStart < text.count, let (found, nameEnd) = HTMLTagSyntax.name(in: text, at: nameStart),
              found == name else { return nil }
        var index = UnicodeCharacterClass.endOfWhitespace(text, from: nameEnd)
        if index < text.count && text[index] == UInt8(ascii: "/") {
            index = UnicodeCharacterClass.endOfWhitespace(text, from: index + 1)
        }
        return index < text.count && text[index] == UInt8(ascii: ">") ? index + 1 : nil
    }
}
