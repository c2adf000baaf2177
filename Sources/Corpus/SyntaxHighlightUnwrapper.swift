/// Unwraps `<syntaxhighlight …>code</syntaxhighlight>` (with attributes; case-sensitive) as
/// WikiExtractor does: the tags go, and the code stays XML-escaped, as it was in the dump,
/// so that the later passes leave its markup alone and only the entity decoding restores it.
struct SyntaxHighlightUnwrapper: TextPass {
    private static let closingTag: StaticString = "</syntaxhighlight>"

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var openingEnds = ForwardSearchCache()
        var closingTags = ForwardSearchCache()
        var next = ByteSearch.index(of: "<syntaxhighlight ", in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let openingEnd = openingEnds.index(of: UInt8(ascii: ">"), in: text, from: start),
               let closing = closingTags.firstMatch(from: openingEnd + 1, { from in
                   ByteSearch.index(of: Self.closingTag, in: text, from: from)
                       .map { $0..<$0 + Self.closingTag.utf8CodeUnitCount }
               }) {
                rewriter.replace(start..<closing.upperBound)
                for byte in text[openingEnd + 1..<closing.lowerBound] { Self.appendEscaped(byte, to: output) }
                resume = closing.upperBound
            }
            next = ByteSearch.index(of: "<syntaxhighlight ", in: text, from: resume)
        }
        return rewriter.finish()
    }

    /// Appends a byte as the dump's XML has it.
    private static func appendEscaped(_ byte: UInt8, to output: ByteBuffer) {
        switch byte {
        case UInt8(ascii: "&"): output.append("&amp;")
        case UInt8(ascii: "<"): output.append("&lt;")
        case UInt8(ascii: ">"): output.append("&gt;")
        case UInt8(ascii: "\""): output.append("&quot;")
        default: output.append(byte)
        }
    }
}
