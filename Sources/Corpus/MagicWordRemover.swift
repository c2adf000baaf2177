/// Removes behaviour switches such as `__NOTOC__` (WikiExtractor's `MagicWords.switches`).
struct MagicWordRemover: TextPass {
    private static let switches: [StaticString] = [
        "__NOTOC__", "__FORCETOC__", "__TOC__", "__NEWSECTIONLINK__", "__NONEWSECTIONLINK__",
        "__NOGALLERY__", "__HIDDENCAT__", "__NOCONTENTCONVERT__", "__NOCC__", "__NOTITLECONVERT__",
        "__NOTC__", "__START__", "__END__", "__INDEX__", "__NOINDEX__", "__STATICREDIRECT__",
        "__DISAMBIG__", "__NOEDITSECTION__",
    ]

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var next = ByteSearch.index(of: "__", in: text, from: 0)
        while let start = next {
            var resume = start + 1
            if let word = Self.switches.first(where: { ByteSearch.hasPrefix($0, in: text, at: start) }) {
                resume = start + word.utf8CodeUnitCount
                rewriter.replace(start..<resume)
            }
            next = ByteSearch.index(of: "__", in: text, from: resume)
        }
        return rewriter.finish()
    }
}
