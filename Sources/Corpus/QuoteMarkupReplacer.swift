/// Removes bold and italic markup as WikiExtractor does without `--html`, one of its
/// regular-expression substitutions at a time (see `passes`; `ResidualQuoteReplacer` then
/// handles the apostrophes left).
enum QuoteMarkupReplacer {
    /// WikiExtractor's substitutions, in its order: bold-italic and bold lose their quotes;
    /// italic, italic around a quotation and doubled double quotes become double quotes.
    static let passes: [DelimitedSpanReplacer] = [
        DelimitedSpanReplacer(open: "'''''", close: "'''''", stop: UInt8(ascii: "\n"), quoted: false),
        DelimitedSpanReplacer(open: "'''", close: "'''", stop: UInt8(ascii: "\n"), quoted: false),
        DelimitedSpanReplacer(open: "''\"", close: "\"''", stop: UInt8(ascii: "\""), quoted: true),
        DelimitedSpanReplacer(open: "''", close: "''", stop: UInt8(ascii: "\n"), quoted: true),
        DelimitedSpanReplacer(open: "\"\"", close: "\"\"", stop: UInt8(ascii: "\""), quoted: true),
    ]
}

/// Replaces each `open`, shortest content, `close` by the content, in double quotes when
/// `quoted`: the substitution of a regular expression such as `''(.*?)''` (content without
/// newlines, `stop` "\n") or `""([^"]*?)""` (content without quotes, `stop` `"`).
struct DelimitedSpanReplacer: TextPass {
    let open: StaticString
    let close: StaticString
    /// The byte the content cannot hold.
    let stop: UInt8
    let quoted: Bool

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var next = ByteSearch.index(of: open, in: text, from: 0)
        while let start = next {
            var resume = start + 1
            let contentStart = start + open.utf8CodeUnitCount
            let limit = ByteSearch.index(of: stop, in: text, from: contentStart) ?? text.count
            let searched = UnsafeBufferPointer(rebasing: text[..<min(limit + close.utf8CodeUnitCount, text.count)])
            if let contentEnd = ByteSearch.index(of: close, in: searched, from: contentStart) {
                resume = contentEnd + close.utf8CodeUnitCount
                rewriter.replace(start..<resume)
                if quoted { output.append(UInt8(ascii: "\"")) }
                output.append(text, contentStart..<contentEnd)
                if quoted { output.append(UInt8(ascii: "\"")) }
            }
            next = ByteSearch.index(of: open, in: text, from: resume)
        }
        return rewriter.finish()
    }
}

/// Handles the apostrophes left after `QuoteMarkupReplacer`: WikiExtractor deletes every
/// `'''` and turns every `''` into `"`, so a run of n apostrophes keeps n mod 3 of them,
/// a pair becoming `"`.
struct ResidualQuoteReplacer: TextPass {
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var next = ByteSearch.index(of: "''", in: text, from: 0)
        while let start = next {
            let end = ByteSearch.endOfRun(of: UInt8(ascii: "'"), in: text, from: start)
            rewriter.replace(start..<end)
            switch (end - start) % 3 {
            case 1: output.append(UInt8(ascii: "'"))
            case 2: output.append(UInt8(ascii: "\""))
            default: break
            }
            next = ByteSearch.index(of: "''", in: text, from: end)
        }
        return rewriter.finish()
    }
}
