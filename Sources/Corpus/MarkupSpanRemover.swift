/// Removes comments and tags as WikiExtractor collects and drops its spans, in one sweep:
///
/// - comments `<!--…-->` (an unclosed one stays);
/// - self-closing tags (`<ref name="x"/>`, `<references/>`, `<nowiki/>`, …, and `<nobr>`
///   with or without the slash), content-less by definition;
/// - the tags of inline elements (`<span>`, `<b>`, `<sup>`, `<a>`, …) without their content.
///
/// Each of WikiExtractor's patterns finds its matches on its own (`finditer`: a match never
/// starts inside the previous match of the same pattern); then, as `dropSpans` does, the
/// shortest span starting at a place wins, and spans starting inside a removed one go.
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
        var sweep = Sweep()
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: 0)
        while let start = next {
            if let end = sweep.shortestSpan(in: text, at: start), start >= rewriter.consumed {
                rewriter.replace(start..<end)
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: start + 1)
        }
        return rewriter.finish()
    }

    /// The patterns' matches, found at every `<` in turn.
    private struct Sweep {
        /// Where each pattern may match next: comments, then self-closing tags, then the
        /// opening and closing ignored tags, by their index in the lists.
        private var nextAllowed = [Int](repeating: 0, count: 1 + selfClosing.count + 2 * ignored.count)
        private var commentEnds = ForwardSearchCache()
        private var tagEnds = ForwardSearchCache()
        private var attributes = AttributeScanCache()

        /// The end of the shortest span starting at `start`, noting every pattern's match.
        mutating func shortestSpan(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
            if ByteSearch.hasPrefix("<!--", in: text, at: start) {
                guard start >= nextAllowed[0], let close = commentEnds.firstMatch(from: start + 4, { from in
                    ByteSearch.index(of: "-->", in: text, from: from).map { $0..<$0 + 3 }
                }) else { return nil }
                nextAllowed[0] = close.upperBound
                return close.upperBound
            }
            if let closing = HTMLTagSyntax.closingTag(in: text, at: start) {
                guard let index = ignored.firstIndex(of: closing.name) else { return nil }
                return noteMatch(pattern: 1 + selfClosing.count + ignored.count + index, start: start, end: closing.end)
            }
            var shortest: Int?
            if let tag = HTMLTagSyntax.openingTag(in: text, at: start, named: selfClosing.contains, scans: &attributes),
               tag.isSelfClosing || tag.name == noBreak, let index = selfClosing.firstIndex(of: tag.name) {
                shortest = noteMatch(pattern: 1 + index, start: start, end: tag.end)
            }
            if let tag = HTMLTagSyntax.simpleOpeningTag(in: text, at: start, named: ignored.contains, tagEnds: &tagEnds),
               let index = ignored.firstIndex(of: tag.name),
               let end = noteMatch(pattern: 1 + selfClosing.count + index, start: start, end: tag.end) {
                shortest = min(shortest ?? end, end)
            }
            return shortest
        }

        /// Records a pattern's match unless it starts inside the pattern's previous match.
        private mutating func noteMatch(pattern: Int, start: Int, end: Int) -> Int? {
            guard start >= nextAllowed[pattern] else { return nil }
            nextAllowed[pattern] = end
            return end
        }
    }
}
