/// Finds the occurrences of one delimiter of a nested construct.
protocol DelimiterMatcher {
    /// The first occurrence starting at or after `start` (searches go forward through the
    /// text, so matchers may keep state to speed them up).
    mutating func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>?
}

/// A delimiter that is a fixed byte string, such as `{{`.
struct LiteralDelimiter: DelimiterMatcher {
    let pattern: StaticString

    init(_ pattern: StaticString) { self.pattern = pattern }

    func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        ByteSearch.index(of: pattern, in: text, from: start).map { $0..<$0 + pattern.utf8CodeUnitCount }
    }
}

/// Removes nested constructs, tables and discarded elements, with WikiExtractor's
/// `dropNested`: it pairs opening and closing delimiters by counting, with its quirks for
/// unbalanced text (an opening delimiter never closed keeps the rest of the text; a
/// closing one missing at the end extends the first removed span to the last close).
struct NestedSpanRemover<Open: DelimiterMatcher, Close: DelimiterMatcher>: TextPass {
    let open: Open
    let close: Close

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var spans = self.spans(in: text)
        guard !spans.isEmpty else { return false }
        spans.sort { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        var rewriter = TextRewriter(text, into: output)
        for span in spans where span.lowerBound >= rewriter.consumed {
            rewriter.replace(span)
        }
        return rewriter.finish()
    }

    /// The spans `dropNested` removes, in the order it finds them.
    private func spans(in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var open = self.open
        var close = self.close
        guard var start = open.firstMatch(in: text, from: 0) else { return [] }
        var spans: [Range<Int>] = []
        var end = close.firstMatch(in: text, from: start.upperBound)
        var next = start
        var nesting = 0
        while var currentEnd = end {
            guard let following = open.firstMatch(in: text, from: next.upperBound) else {
                // No more openings: close the pending levels and the outermost span.
                while nesting > 0, let further = close.firstMatch(in: text, from: currentEnd.upperBound) {
                    nesting -= 1
                    currentEnd = further
                }
                spans.append(start.lowerBound..<currentEnd.upperBound)
                break
            }
            next = following
            var startMoved = false
            var unclosed = false
            while currentEnd.upperBound < next.lowerBound {
                if nesting > 0 {
                    // A closing delimiter before the next opening closes one level.
                    nesting -= 1
                    let last = currentEnd.upperBound
                    guard let further = close.firstMatch(in: text, from: currentEnd.upperBound) else {
                        spans = [(spans.first?.lowerBound ?? start.lowerBound)..<last]
                        unclosed = true
                        break
                    }
                    currentEnd = further
                } else {
                    // The span is complete; the next opening starts another.
                    spans.append(start.lowerBound..<currentEnd.upperBound)
                    start = next
                    startMoved = true
                    break
                }
            }
            if unclosed { break }
            if startMoved {
                end = close.firstMatch(in: text, from: next.upperBound)
            } else {
                end = currentEnd
                nesting += 1
            }
        }
        return spans
    }
}
