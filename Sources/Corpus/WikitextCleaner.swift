/// Turns wikitext into plain text the way WikiExtractor 3.1 does with its default options,
/// for a dump without template definitions.
///
/// The text goes through WikiExtractor's steps in its order, each a pass over UTF-8 bytes
/// that copies nothing when it has nothing to change: templates (which vanish but for
/// `{{formatnum:}}` and `{{!}}`), tables, external and internal links, behaviour switches,
/// bold and italic, line-breaking tags, comments and inline tags, discarded elements
/// (references, galleries, …), character references, math and code placeholders; then
/// `ParagraphCompactor` tidies the lines and keeps the paragraphs and headings. The output
/// is HTML-escaped (`&amp;`, `&lt;`, `&gt;`), as WikiExtractor's is.
///
/// The input is the page's wikitext as the XML parser gives it: WikiExtractor works on the
/// still-escaped XML, so its first decoding, before the tag passes, is the parser's here.
public struct WikitextCleaner: Sendable {
    /// Keep the text of list items (WikiExtractor 3.1 always drops them).
    public var keepLists: Bool

    public init(keepLists: Bool = false) {
        self.keepLists = keepLists
    }

    /// The plain text of an article: paragraphs and headings one per line, joined by "\n";
    /// empty when nothing is left.
    public func clean(_ wikitext: [UInt8]) -> [UInt8] {
        var chain = PassChain(wikitext)
        chain.apply(TemplateExpander())
        chain.apply(NestedSpanRemover(open: LiteralDelimiter("{|"), close: LiteralDelimiter("|}")))
        chain.apply(ExternalLinkReplacer())
        chain.apply(DoubledLinkBracketCollapser())
        chain.apply(InternalLinkReplacer())
        chain.apply(MagicWordRemover())
        chain.apply(SyntaxHighlightUnwrapper())
        for pass in QuoteMarkupReplacer.passes { chain.apply(pass) }
        chain.apply(ResidualQuoteReplacer())
        chain.apply(TagSeparatorReplacer.lineBreaks)
        chain.apply(TagSeparatorReplacer.blocks)
        chain.apply(MarkupSpanRemover())
        DiscardedElementRemover.apply(to: &chain)
        chain.apply(HTMLEntityDecoder())
        chain.apply(PlaceholderTagReplacer.math)
        chain.apply(PlaceholderTagReplacer.code)
        return ParagraphCompactor(keepLists: keepLists).compact(chain.text.bytes)
    }
}
