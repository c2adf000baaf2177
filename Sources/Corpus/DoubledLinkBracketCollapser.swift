/// Collapses runs of three or more `[` opening a link, a common typo (`[[[[title]]]]`), as
/// WikiExtractor's `collapseDoubledLinkBrackets` does before it replaces links: when as
/// many extra `]` follow the link's close, both sides lose their extras; when the link
/// never closes, or closes at the very end of the text, the run becomes `[[`; otherwise the
/// run stays.
struct DoubledLinkBracketCollapser: TextPass {
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        guard var next = ByteSearch.index(of: "[[[", in: text, from: 0) else { return false }
        let links = LinkCloser(text)
        var rewriter = TextRewriter(text, into: output)
        while true {
            let start = next
            let runEnd = ByteSearch.endOfRun(of: UInt8(ascii: "["), in: text, from: start)
            let extra = runEnd - start - 2
            var resume = runEnd
            if let linkEnd = links.end(ofLinkOpeningBefore: runEnd) {
                let closesEnd = min(linkEnd + extra, text.count)
                if closesEnd - linkEnd == extra && ByteSearch.endOfRun(of: UInt8(ascii: "]"), in: text, from: linkEnd) >= closesEnd {
                    rewriter.replace(start..<runEnd - 2)
                    rewriter.replace(linkEnd..<closesEnd)
                    resume = closesEnd
                } else if linkEnd == text.count {
                    rewriter.replace(start..<runEnd - 2)
                }
            } else {
                rewriter.replace(start..<runEnd - 2)
            }
            guard let following = ByteSearch.index(of: "[[[", in: text, from: resume) else { break }
            next = following
        }
        return rewriter.finish()
    }
}

/// Where the link opened by the last two `[` of a run closes, as WikiExtractor's
/// `findBalanced` finds it, for every run at once: from the depth of brackets after each
/// `[[` or `]]` token and, for each token, the next token where the depth drops.
private struct LinkCloser {
    private let text: UnsafeBufferPointer<UInt8>
    private var positions: [Int] = []
    private var depths: [Int] = []
    /// For each token, the next token with a smaller depth.
    private var nextLower: [Int?] = []

    init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        var tokens = BracketTokenizer(text, range: 0..<text.count)
        var depth = 0
        while let (position, isOpening) = tokens.next() {
            depth += isOpening ? 1 : -1
            positions.append(position)
            depths.append(depth)
        }
        nextLower = Array(repeating: nil, count: depths.count)
        var waiting: [Int] = []
        for (index, depth) in depths.enumerated() {
            while let last = waiting.last, depths[last] > depth {
                nextLower[last] = index
                waiting.removeLast()
            }
            waiting.append(index)
        }
    }

    /// The end of the link opened by the `[[` just before `runEnd`, the end of a run of `[`,
    /// or nil when it never closes.
    func end(ofLinkOpeningBefore runEnd: Int) -> Int? {
        // The tokens after the run are the same whether tokenizing starts there or not.
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < runEnd { low = middle + 1 } else { high = middle }
        }
        guard low < positions.count else { return nil }
        let base = low > 0 ? depths[low - 1] : 0
        // The depth must fall one below `base`: a close at once, or two drops after an open.
        var closing: Int? = low
        if depths[low] > base {
            closing = nextLower[low].flatMap { nextLower[$0] }
        }
        return closing.map { positions[$0] + 2 }
    }
}
