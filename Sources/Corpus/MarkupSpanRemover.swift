/// Removes comments and tags in one sweep, as WikiExtractor collects and drops its spans:
///
/// - comments `<!--…-->` (an unclosed one stays);
/// - self-closing tags (`<ref name="x"/>`, `<references/>`, `<nowiki/>`, …, and `<nobr>`
///   with or without the slash), content-less by definition;
/// - the tags of inline elements (`<span>`, `<b>`, `<sup>`, `<a>`, …) without their content.
///
/// Where several spans start at the same place the shortest wins, and spans starting inside
/// a removed one are ignored, as `dropSpans` does.
struct MarkupSpanRemover: TextPass {
    /// WikiExtractor's `selfClosingTags`.
    private static let selfClosing: [TagName] = ["nobr", "ref", "references", "nowiki", "templatestyles", "section"]
        .map(TagName.init)
    private static let noBreak = TagName("nobr")
    /// WikiExtractor's `ignoredTags`, plus `a` since links are not kept.
    private static let ignored: [TagName] = [
        "abbr", "b", "bdi", "big", "blockquote", "cite", "div", "em", "font", "hiero", "i", "kbd", "nowiki",
        "plaintext", "poem", "s", "section", "span", "strike", "strong", "sub", "sup", "tt", "u", "var", "a",
    ].map(TagName.init)

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var searches = Searches()
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let end = Self.spanEnd(in: text, at: start, searches: &searches) {
                rewriter.replace(start..<end)
                resume = end
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: resume)
        }
        return rewriter.finish()
    }

    /// The ends of comments and of tags, searched from increasing positions.
    private struct Searches {
        var commentEnd = ForwardSearchCache()
        var tagEnd = ForwardSearchCache()
    }

    /// The end of the shortest span to remove that starts at `start`, or nil.
    private static func spanEnd(in text: UnsafeBufferPointer<UInt8>, at start: Int, searches: inout Searches) -> Int? {
        if ByteSearch.hasPrefix("<!--", in: text, at: start) {
            return searches.commentEnd.firstMatch(from: start + 4) { from in
                ByteSearch.index(of: "-->", in: text, from: from).map { $0..<$0 + 3 }
            }?.upperBound
        }
        if let closing = HTMLTagSyntax.closingTag(in: text, at: start) {
            return ignored.contains(closing.name) ? closing.end : nil
        }
        var end: Int?
        if let tag = HTMLTagSyntax.openingTag(in: text, at: start, named: selfClosing.contains),
           tag.isSelfClosing || tag.name == noBreak {
            end = tag.end
        }
        if let tag = HTMLTagSyntax.simpleOpeningTag(in: text, at: start, named: ignored.contains,
                                                    tagEnds: &searches.tagEnd) {
            end = min(end ?? tag.end, tag.end)
        }
        return end
    }
}
