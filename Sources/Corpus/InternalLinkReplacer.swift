/// Replaces internal links `[[title|label]]trail` as WikiExtractor's `replaceInternalLinks`
/// does (without `--links`):
///
/// - a link becomes its label and its trail (the word characters right after it, as in
///   `[[bus]]es`); without a pipe the label is the whole target;
/// - the label follows the last pipe before the last nested link, so `[[a|b|c]]` gives
///   `b|c`, and nested links in the label stay as they are;
/// - a link whose target has a namespace prefix (any text before a colon, such as `File:`,
///   `Category:` or `fr:`, but not `w:`, `wikt:` or `wiktionary:`) is dropped, its trail kept;
/// - a `[[` that is never closed is left alone, and does not disturb the links after it.
struct InternalLinkReplacer: TextPass {
    /// The prefixes WikiExtractor keeps links for (`acceptedNamespaces`).
    private static let acceptedNamespaces: [StaticString] = ["w", "wiktionary", "wikt"]

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        guard ByteSearch.index(of: "[[", in: text, from: 0) != nil else { return false }
        let unclosed = Self.unclosedOpenings(in: text)
        var rewriter = TextRewriter(text, into: output)
        Self.forEachBalancedLink(in: text, range: 0..<text.count, skipping: unclosed) { link, holdsLinks in
            let end = UnicodeCharacterClass.endOfWord(text, from: link.upperBound)
            rewriter.replace(link.lowerBound..<end)
            if let label = Self.label(in: text, inner: link.lowerBound + 2..<link.upperBound - 2, holdsLinks: holdsLinks) {
                output.append(text, label)
            }
            output.append(text, link.upperBound..<end)
        }
        return rewriter.finish()
    }

    /// The label a link shows, or nil when the link is dropped; `holdsLinks`: whether links
    /// are nested in it.
    private static func label(in text: UnsafeBufferPointer<UInt8>, inner: Range<Int>, holdsLinks: Bool) -> Range<Int>? {
        let innerText = UnsafeBufferPointer(rebasing: text[..<inner.upperBound])
        guard let firstPipe = ByteSearch.index(of: UInt8(ascii: "|"), in: innerText, from: inner.lowerBound) else {
            return isDropped(text, title: inner) ? nil : inner
        }
        let titleEnd = UnicodeCharacterClass.startOfWhitespace(text, endingAt: firstPipe, notBefore: inner.lowerBound)
        let title = inner.lowerBound..<titleEnd
        if isDropped(text, title: title) { return nil }
        var pipe = firstPipe
        var searchStart = firstPipe + 1
        if holdsLinks {
            forEachBalancedLink(in: text, range: inner, skipping: []) { nested, _ in
                let beforeNested = searchStart..<max(searchStart, nested.lowerBound)
                if let last = beforeNested.last(where: { text[$0] == UInt8(ascii: "|") }) { pipe = last }
                searchStart = nested.upperBound
            }
        }
        let labelStart = UnicodeCharacterClass.endOfWhitespace(text, from: pipe + 1)
        let labelEnd = UnicodeCharacterClass.startOfWhitespace(text, endingAt: inner.upperBound, notBefore: labelStart)
        return labelStart..<labelEnd
    }

    /// Whether a link to `title` is dropped: its target has a prefix before a colon (after a
    /// leading colon, if any) that is not an accepted namespace.
    private static func isDropped(_ text: UnsafeBufferPointer<UInt8>, title: Range<Int>) -> Bool {
        let titleText = UnsafeBufferPointer(rebasing: text[..<title.upperBound])
        guard let colon = ByteSearch.index(of: UInt8(ascii: ":"), in: titleText, from: title.lowerBound) else { return false }
        var prefix = title.lowerBound..<colon
        if colon == title.lowerBound {
            guard let second = ByteSearch.index(of: UInt8(ascii: ":"), in: titleText, from: colon + 1),
                  second > colon + 1 else { return false }
            prefix = colon + 1..<second
        }
        return !acceptedNamespaces.contains { name in
            name.utf8CodeUnitCount == prefix.count && ByteSearch.hasPrefix(name, in: text, at: prefix.lowerBound)
        }
    }

    /// The positions of the `[[` that no `]]` closes (WikiExtractor's
    /// `findUnclosedLinkOpenPositions`), in increasing order.
    private static func unclosedOpenings(in text: UnsafeBufferPointer<UInt8>) -> [Int] {
        var stack: [Int] = []
        var tokens = BracketTokenizer(text, range: 0..<text.count)
        while let (position, isOpening) = tokens.next() {
            if isOpening {
                stack.append(position)
            } else if !stack.isEmpty {
                stack.removeLast()
            }
        }
        return stack
    }

    /// Calls `body` with each outermost balanced `[[…]]` in `text[range]`, in order
    /// (WikiExtractor's `findBalanced`), and whether links are nested in it, ignoring the
    /// openings at the positions in `skipped`.
    private static func forEachBalancedLink(in text: UnsafeBufferPointer<UInt8>, range: Range<Int>, skipping skipped: [Int],
                                            _ body: (Range<Int>, Bool) -> Void) {
        var tokens = BracketTokenizer(text, range: range)
        var skippedIndex = 0
        var depth = 0
        var start = 0
        var holdsLinks = false
        while let (position, isOpening) = tokens.next() {
            if isOpening {
                while skippedIndex < skipped.count && skipped[skippedIndex] < position { skippedIndex += 1 }
                if skippedIndex < skipped.count && skipped[skippedIndex] == position { continue }
                if depth == 0 {
                    start = position
                    holdsLinks = false
                } else {
                    holdsLinks = true
                }
                depth += 1
            } else if depth > 0 {
                depth -= 1
                if depth == 0 { body(start..<position + 2, holdsLinks) }
            }
        }
    }
}
