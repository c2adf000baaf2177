/// Collapses runs of three or more `[` opening a link, a common typo (`[[[[title]]]]`), as
/// WikiExtractor's `collapseDoubledLinkBrackets` does before it replaces links: when as
/// many extra `]` follow the link's close, both sides lose their extras; when the link
/// never closes, or closes at the very end of the text, the run becomes `[[`; otherwise the
/// run stays.
struct DoubledLinkBracketCollapser: TextPass {
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var next = ByteSearch.index(of: "[[[", in: text, from: 0)
        while let start = next {
            let runEnd = ByteSearch.endOfRun(of: UInt8(ascii: "["), in: text, from: start)
            let extra = runEnd - start - 2
            var resume = runEnd
            if let linkEnd = BracketTokenizer.endOfBalanced(in: text, openingAt: runEnd - 2) {
                let closesEnd = min(linkEnd + extra, text.count)
                if ByteSearch.endOfRun(of: UInt8(ascii: "]"), in: text, from: linkEnd) >= closesEnd, closesEnd - linkEnd == extra {
                    rewriter.replace(start..<runEnd - 2)
                    rewriter.replace(linkEnd..<closesEnd)
                    resume = closesEnd
                } else if linkEnd == text.count {
                    rewriter.replace(start..<runEnd - 2)
                }
            } else {
                rewriter.replace(start..<runEnd - 2)
            }
            next = ByteSearch.index(of: "[[[", in: text, from: resume)
        }
        return rewriter.finish()
    }
}
