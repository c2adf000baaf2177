/// Expands templates `{{…}}` as WikiExtractor's `expandTemplates` does when it knows no
/// template definitions: templates and most parser functions vanish; `{{!}}` gives `|` and
/// `{{formatnum:…}}` its number with thousands separators (see `TemplateValue`).
///
/// Templates are paired as WikiExtractor's `findMatchingBraces` pairs them: by runs of
/// braces (`{{{{` opens `{` then a three-brace argument), a `}}}` closing `{{` leaves a
/// stray `}`, and from the first template that never closes the text stays as it is.
struct TemplateExpander: TextPass {
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var runs = BraceRunScanner(text)
        var stack: [Int] = []
        var cursor = 0
        search: while let opening = runs.next(from: cursor, closing: false) {
            let start = opening.upperBound - min(opening.count, 3)
            stack.removeAll(keepingCapacity: true)
            stack.append(min(opening.count, 3))
            var end = opening.upperBound
            while true {
                guard let run = runs.next(from: end, closing: true) else { break search }
                end = run.upperBound
                if text[run.lowerBound] == UInt8(ascii: "{") {
                    stack.append(run.count)
                    continue
                }
                var unmatched = run.count
                while let open = stack.popLast() {
                    if unmatched < open {
                        stack.append(open - unmatched)
                        break
                    }
                    unmatched -= open
                    if unmatched <= 1 { break }
                }
                let template: Range<Int>
                if stack.isEmpty {
                    template = start..<end - unmatched
                } else if stack.count == 1 && stack[0] == 1 {
                    template = start + 1..<end
                } else {
                    continue
                }
                rewriter.replace(template)
                TemplateValue.append(body: template.lowerBound + 2..<template.upperBound - 2, of: text, to: output)
                cursor = end
                break
            }
        }
        return rewriter.finish()
    }
}

/// Finds runs of two or more braces, the tokens of `findMatchingBraces`.
private struct BraceRunScanner {
    private let text: UnsafeBufferPointer<UInt8>
    private var nextOpening: Int? = -1
    private var nextClosing: Int? = -1

    init(_ text: UnsafeBufferPointer<UInt8>) { self.text = text }

    /// The first run of two or more `{` (or `}` too, when `closing`) at or after `start`.
    mutating func next(from start: Int, closing: Bool) -> Range<Int>? {
        var position = start
        while true {
            if let opening = nextOpening, opening < position {
                nextOpening = ByteSearch.index(of: UInt8(ascii: "{"), in: text, from: position)
            }
            if closing, let closingIndex = nextClosing, closingIndex < position {
                nextClosing = ByteSearch.index(of: UInt8(ascii: "}"), in: text, from: position)
            }
            var found = nextOpening
            if closing, let closingIndex = nextClosing, closingIndex < found ?? Int.max { found = closingIndex }
            guard let candidate = found else { return nil }
            let end = ByteSearch.endOfRun(of: text[candidate], in: text, from: candidate)
            if end - candidate >= 2 { return candidate..<end }
            position = end
        }
    }
}
