/// Turns wikitext into plain text the way WikiExtractor does.
public struct WikitextCleaner: Sendable {
    /// Keep list items (WikiExtractor's `--lists`).
    public var keepLists: Bool

    public init(keepLists: Bool = false) {
        self.keepLists = keepLists
    }

    /// The plain text of an article: paragraphs and headings one per line, joined by "\n";
    /// empty when nothing is left.
    public func clean(_ wikitext: [UInt8]) -> [UInt8] {
        wikitext  // PLACEHOLDER: replaced by the real cleaner
    }
}
