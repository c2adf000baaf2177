/// Replaces bracketed external links `[URL label]` by their label, as WikiExtractor's
/// `replaceExternalLinks` does (without `--links`): the label is dropped when it is itself
/// the URL of an image; bare URLs stay as they are.
///
/// WikiExtractor matches links on the still XML-escaped text, where `<`, `>` and `"` are
/// entities made of URL characters, so they count as URL characters here.
struct ExternalLinkReplacer: TextPass {
    /// MediaWiki's `$wgUrlProtocols`, as WikiExtractor lists them, by their first byte
    /// (lowercase).
    private static func protocols(startingWith byte: UInt8) -> [StaticString] {
        switch ByteSearch.lowercased(byte) {
        case UInt8(ascii: "b"): ["bitcoin:"]
        case UInt8(ascii: "f"): ["ftp://", "ftps://"]
        case UInt8(ascii: "g"): ["geo:", "git://", "gopher://"]
        case UInt8(ascii: "h"): ["http://", "https://"]
        case UInt8(ascii: "i"): ["irc://", "ircs://"]
        case UInt8(ascii: "m"): ["magnet:", "mailto:", "mms://"]
        case UInt8(ascii: "n"): ["news:", "nntp://"]
        case UInt8(ascii: "r"): ["redis://"]
        case UInt8(ascii: "s"): ["sftp://", "sip:", "sips:", "sms:", "ssh://", "svn://"]
        case UInt8(ascii: "t"): ["tel:", "telnet://"]
        case UInt8(ascii: "u"): ["urn:"]
        case UInt8(ascii: "w"): ["worldwind://"]
        case UInt8(ascii: "x"): ["xmpp:"]
        case UInt8(ascii: "/"): ["//"]
        default: []
        }
    }

    private static let imageExtensions: [StaticString] = ["gif", "png", "jpg", "jpeg"]

    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool {
        var rewriter = TextRewriter(text, into: output)
        var labelEnds = ForwardSearchCache()
        var next = ByteSearch.index(of: UInt8(ascii: "["), in: text, from: 0)
        while let open = next {
            var resume = open + 1
            if let (label, end) = Self.link(in: text, at: open, labelEnds: &labelEnds) {
                rewriter.replace(open..<end)
                if !Self.isImageURL(text, label) { output.append(text, label) }
                resume = end
            }
            next = ByteSearch.index(of: UInt8(ascii: "["), in: text, from: resume)
        }
        return rewriter.finish()
    }

    /// The link whose `[` is at `open`: the range of its label and its end.
    private static func link(in text: UnsafeBufferPointer<UInt8>, at open: Int,
                             labelEnds: inout ForwardSearchCache) -> (label: Range<Int>, end: Int)? {
        let urlStart = open + 1
        guard urlStart < text.count else { return nil }
        // At most one protocol matches: none is another's prefix.
        guard let scheme = protocols(startingWith: text[urlStart]).first(where: {
            ByteSearch.hasPrefixIgnoringCase($0, in: text, at: urlStart)
        }) else { return nil }
        let urlEnd = endOfURL(text, from: urlStart)
        guard urlEnd - urlStart > scheme.utf8CodeUnitCount else { return nil }
        let labelStart = UnicodeCharacterClass.endOfWhitespace(text, from: urlEnd)
        // The label ends at the first `]`; a newline or another control character first
        // means no link.
        guard let end = labelEnds.firstMatch(from: labelStart, { from in
            (from..<text.count).first { isLabelEnd(text[$0]) }.map { $0..<$0 + 1 }
        })?.lowerBound, text[end] == UInt8(ascii: "]") else { return nil }
        return (labelStart..<end, end + 1)
    }

    /// A `]`, or a control character other than tab.
    private static func isLabelEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "]") || (byte < 0x20 && byte != UInt8(ascii: "\t"))
    }

    /// The end of the run of URL characters starting at `start`: anything but brackets,
    /// controls, space, DEL and other whitespace.
    private static func endOfURL(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < text.count {
            let byte = text[index]
            if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") { break }
            if byte >= 0x80 && UnicodeCharacterClass.whitespaceLength(text, at: index) > 0 { break }
            index += 1
        }
        return index
    }

    /// Whether the label is the URL of a GIF, PNG or JPEG image (WikiExtractor's
    /// `EXT_IMAGE_REGEX`): `http(s)://`, URL characters, `/`, then a file name.
    private static func isImageURL(_ text: UnsafeBufferPointer<UInt8>, _ label: Range<Int>) -> Bool {
        let scheme = ByteSearch.hasPrefixIgnoringCase("https://", in: text, at: label.lowerBound) ? 8
            : ByteSearch.hasPrefixIgnoringCase("http://", in: text, at: label.lowerBound) ? 7 : 0
        guard scheme > 0, endOfURL(text, from: label.lowerBound) == label.upperBound,
              let dot = (label.lowerBound..<label.upperBound).last(where: { text[$0] == UInt8(ascii: ".") }),
              let slash = (label.lowerBound + scheme..<dot).last(where: { text[$0] == UInt8(ascii: "/") }),
              slash > label.lowerBound + scheme, dot > slash + 1
        else { return false }
        let fileName = UnsafeBufferPointer(rebasing: text[slash + 1..<dot])
        guard fileName.allSatisfy(isFileNameByte) else { return false }
        let extensionStart = dot + 1
        return imageExtensions.contains { candidate in
            extensionStart + candidate.utf8CodeUnitCount == label.upperBound
                && ByteSearch.hasPrefixIgnoringCase(candidate, in: text, at: extensionStart)
        }
    }

    /// A byte of the file name in `EXT_IMAGE_REGEX` (plus the XML escapes' characters).
    private static func isFileNameByte(_ byte: UInt8) -> Bool {
        if byte >= 0x80 || UnicodeCharacterClass.isASCIIWord(byte) { return true }
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: "-"),
             UInt8(ascii: "+"), UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: "#"), UInt8(ascii: "*"),
             UInt8(ascii: "?"), UInt8(ascii: "!"), UInt8(ascii: "="), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "@"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }
}
