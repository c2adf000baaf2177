/// A closing tag `<\s*/\s*name\s*>`.
struct ClosingTagDelimiter: DelimiterMatcher {
    let name: TagName

    func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        var next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: start)
        while let position = next {
            if let tag = HTMLTagSyntax.closingTag(in: text, at: position, spaceBeforeSlash: true), tag.name == name {
                return position..<tag.end
            }
            next = ByteSearch.index(of: UInt8(ascii: "<"), in: text, from: position + 1)
        }
        return nil
    }
}
