/// One `<page>` of a MediaWiki dump: its metadata and the wikitext of its latest revision.
public struct WikiPage: Sendable {
    /// The page id (`<page><id>`), as the dump writes it.
    public var id: String
    /// The revision id (`<revision><id>`).
    public var revisionID: String
    /// The namespace number (`<ns>`; 0 for articles).
    public var namespace: Int
    /// The page title.
    public var title: String
    /// Whether the page is a redirect (`<redirect/>`).
    public var isRedirect: Bool
    /// The wikitext, UTF-8.
    public var text: [UInt8]

    public init(id: String, revisionID: String = "", namespace: Int, title: String, isRedirect: Bool, text: [UInt8]) {
        self.id = id
        self.revisionID = revisionID
        self.namespace = namespace
        self.title = title
        self.isRedirect = isRedirect
        self.text = text
    }
}

/// What `<siteinfo>` says about the wiki a dump comes from.
public struct SiteInfo: Sendable {
    /// The URL prefix of pages, from `<base>` ("https://en.wikipedia.org/wiki"), "" if none.
    public var urlBase = ""
    /// Namespace names by number, from `<namespaces>`.
    public var namespaces: [Int: String] = [:]

    public init() {}

    /// The URL WikiExtractor gives a page: `<base>?curid=<id>`.
    public func url(forPageID id: String) -> String { urlBase + "?curid=" + id }
}
