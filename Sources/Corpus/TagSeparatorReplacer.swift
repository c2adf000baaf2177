/// Replaces tags that separate text (`<br>`, `<p>`, …) by a separator, as WikiExtractor's
/// `substituteLineBreakTag` does: no separator where the tag already touches whitespace
/// or an end of the text, so that words on either side never merge.
struct TagSeparatorReplacer: TextPass {
    /// `<br>` and `<hr>` (their attributes may quote `>`) become spaces.
    static let lineBreaks = TagSeparatorReplacer(names: [TagName("br"), TagName("hr")],
                                                 separator: UInt8(ascii: " "), quotedAttributes: true)
    /// `<p>`, `<center>` and `<h1>`–`<h4>`, opening and closing, become newlines.
    static let blocks = TagSeparatorReplacer(
        names: ["p", "center", "h1", "h2", "h3", "h4"].map(TagName.init),
        separator: UInt8(ascii: "\n"), quotedAttributes: false)

    let names: [TagName]
    let separator: UInt8
    /// Whether opening tags end at the first `>` outside quotes (`<\s*br\b…>`) rather than
    /// at the first `>` (`<p\b.*?>`).
    let quotedAttributes: Bool

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var tagEnds = ForwardSearchCache()
        var attributes = AttributeScanCache()
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let end = tagEnd(in: text, at: start, tagEnds: &tagEnds, attributes: &attributes) {
                rewriter.replace(start..<end)
                let touchesSpace = start == 0 || end == text.count
                    || UnicodeCharacterClass.isWhitespace(endingAt: start, in: text)
                    || UnicodeCharacterClass.isWhitespace(at: end, in: text)
                if !touchesSpace { output.append(separator) }
                resume = end
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: resume)
        }
        return rewriter.finish()
    }

    /// The end of one of the tags at `start`, or nil.
    private func tagEnd(in text: UnsafeBufferPointer<UInt8>, at start: Int, tagEnds: inout ForwardSearchCache,
                        attributes: inout AttributeScanCache) -> Int? {
        if let closing = HTMLTagSyntax.closingTag(in: text, at: start) {
            return names.contains(closing.name) ? closing.end : nil
        }
        if quotedAttributes {
            return HTMLTagSyntax.openingTag(in: text, at: start, named: names.contains, scans: &attributes)?.end
        }
        return HTMLTagSyntax.simpleOpeningTag(in: text, at: start, named: names.contains, tagEnds: &tagEnds)?.end
    }
}
