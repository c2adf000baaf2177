/// Unwraps `<syntaxhighlight …>code</syntaxhighlight>` (with attributes; case-sensitive) as
/// WikiExtractor does: the tags go, and the code stays XML-escaped, as it was in the dump,
/// so that the later passes leave its markup alone and only the entity decoding restores it.
struct SyntaxHighlightUnwrapper: TextPass {
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var next = ByteSearch.index(of: "<syntaxhighlight ", in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let openEnd = ByteSearch.index(of: UInt8(ascii: ">"), in: text, from: start),
               let close = ByteSearch.index(of: "</syntaxhighlight>", in: text, from: openEnd + 1) {
                rewriter.replace(start..<close + 18)
                for byte in text[openEnd + 1..<close] { Self.appendEscaped(byte, to: output) }
                resume = close + 18
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
