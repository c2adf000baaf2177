/// The pieces of WikiExtractor's tag regular expressions, matched on UTF-8 bytes.
enum HTMLTagSyntax {
    /// The name at `index` that a `\b` ends (the whole run of ASCII word characters, not
    /// followed by another word character), or nil.
    static func name(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> (name: TagName, end: Int)? {
        var end = index
        while end < text.count && UnicodeCharacterClass.isASCIIWord(text[end]) { end += 1 }
        guard end > index, UnicodeCharacterClass.isWordBoundary(at: end, in: text),
              let name = TagName(UnsafeBufferPointer(rebasing: text[index..<end])) else { return nil }
        return (name, end)
    }

    /// The opening tag `<\s*name\b…>` at `start` (a `<`) with a name `isWanted` accepts, its
    /// attributes scanned as WikiExtractor's `(?:(?=("[^"]*"|'[^']*'|[^>]))\1)*`: quoted
    /// values may hold `>`. `scans` remembers the last scan, for sweeps over the text.
    static func openingTag(in text: UnsafeBufferPointer<UInt8>, at start: Int, named isWanted: (TagName) -> Bool,
                           scans: inout AttributeScanCache) -> ParsedTag? {
        let nameStart = UnicodeCharacterClass.endOfWhitespace(text, from: start + 1)
        guard nameStart < text.count, let (name, nameEnd) = self.name(in: text, at: nameStart),
              isWanted(name), let close = scans.end(in: text, from: nameEnd) else { return nil }
        let lastSignificant = UnicodeCharacterClass.startOfWhitespace(text, endingAt: close, notBefore: nameEnd)
        return ParsedTag(name: name, end: close + 1,
                         isSelfClosing: lastSignificant > nameEnd && text[lastSignificant - 1] == UInt8(ascii: "/"),
                         slashBeforeEnd: text[close - 1] == UInt8(ascii: "/"))
    }

    /// The opening tag `<name\b.*?>` at `start` with a name `isWanted` accepts: no space
    /// before the name, and it ends at the first `>`, quotes or not (found with `tagEnds`,
    /// for a sweep of increasing `start`s). Returns the name and the index past the `>`.
    static func simpleOpeningTag(in text: UnsafeBufferPointer<UInt8>, at start: Int, named isWanted: (TagName) -> Bool,
                                 tagEnds: inout ForwardSearchCache) -> (name: TagName, end: Int)? {
        guard start + 1 < text.count, let (name, nameEnd) = self.name(in: text, at: start + 1), isWanted(name),
              let close = tagEnds.index(of: UInt8(ascii: ">"), in: text, from: nameEnd) else { return nil }
        return (name, close + 1)
    }

    /// The closing tag at `start`: `</\s*name\s*>`, or `<\s*/\s*name\s*>` when
    /// `spaceBeforeSlash`. Returns the name and the index past the `>`.
    static func closingTag(in text: UnsafeBufferPointer<UInt8>, at start: Int,
                           spaceBeforeSlash: Bool = false) -> (name: TagName, end: Int)? {
        let slash = spaceBeforeSlash ? UnicodeCharacterClass.endOfWhitespace(text, from: start + 1) : start + 1
        guard slash < text.count, text[slash] == UInt8(ascii: "/") else { return nil }
        let nameStart = UnicodeCharacterClass.endOfWhitespace(text, from: slash + 1)
        guard nameStart < text.count, let (name, nameEnd) = self.name(in: text, at: nameStart) else { return nil }
        let close = UnicodeCharacterClass.endOfWhitespace(text, from: nameEnd)
        guard close < text.count, text[close] == UInt8(ascii: ">") else { return nil }
        return (name, close + 1)
    }
}

/// A parsed HTML-like tag: its name and where it ends.
struct ParsedTag {
    var name: TagName
    /// The index just past the `>`.
    var end: Int
    /// Whether the last character before `>`, ignoring whitespace, is a `/`.
    var isSelfClosing: Bool
    /// Whether the character right before `>` is a `/`.
    var slashBeforeEnd: Bool
}
