import CExpat
import Support

/// A streaming parser of MediaWiki XML export files (schemas export-0.3 to export-0.11),
/// built on expat: bytes go in chunk by chunk, complete pages come out.
///
/// Only what extraction needs is kept: `<siteinfo>`'s base URL and namespaces, and each
/// page's id, namespace, title, redirect flag, revision id and text. Memory holds one page.
final class MediaWikiParser {
    /// Why parsing stopped before the end of the document.
    enum Failure: Error {
        /// The input ended inside the document (truncated dump).
        case truncated(String)
        /// The XML is not well-formed, or not a MediaWiki dump.
        case malformed(String)
    }

    private var parser: XML_Parser
    private let onPage: (WikiPage, SiteInfo) throws -> Void
    private(set) var siteInfo = SiteInfo()
    private(set) var pagesSeen = 0
    private(set) var bytesParsed = 0
    private var handlerError: Error?

    // Parse state.
    private enum Field { case none, title, ns, pageID, revisionID, text, base, namespace }
    private var depth = 0
    private var sawRoot = false
    private var inPage = false
    private var inRevision = false
    private var inContributor = false
    private var field = Field.none
    private var fieldBytes: [UInt8] = []
    private var namespaceKey = 0
    private var page = WikiPage(id: "", namespace: 0, title: "", isRedirect: false, text: [])
    private var hasNamespaceElement = false
    private var pageStartLine = 0
    private var lastTitle = ""

    /// - Parameter onPage: called for every complete page, in document order.
    init(onPage: @escaping (WikiPage, SiteInfo) throws -> Void) {
        // The input is transcoded to UTF-8 beforehand, whatever the document declares.
        parser = XML_ParserCreate("UTF-8")
        self.onPage = onPage
        let context = Unmanaged.passUnretained(self).toOpaque()
        XML_SetUserData(parser, context)
        XML_SetElementHandler(parser, { context, name, attributes in
            Unmanaged<MediaWikiParser>.fromOpaque(context!).takeUnretainedValue().start(name!, attributes)
        }, { context, name in
            Unmanaged<MediaWikiParser>.fromOpaque(context!).takeUnretainedValue().end(name!)
        })
        XML_SetCharacterDataHandler(parser, { context, data, length in
            let parser = Unmanaged<MediaWikiParser>.fromOpaque(context!).takeUnretainedValue()
            if parser.field != .none {
                data!.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                    parser.fieldBytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
                }
            }
        })
    }

    deinit { XML_ParserFree(parser) }

    /// Parses the next chunk of UTF-8; `final` marks the end of the input.
    /// - Throws: `Failure` on malformed or truncated XML, or what `onPage` threw.
    func parse(_ bytes: [UInt8], final: Bool = false) throws {
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                XML_Parse(parser, $0.baseAddress, Int32($0.count), final ? 1 : 0)
            }
        }
        bytesParsed += bytes.count
        if let handlerError { throw handlerError }
        guard status == XML_STATUS_ERROR else { return }
        let code = XML_GetErrorCode(parser)
        let line = XML_GetCurrentLineNumber(parser)
        let column = XML_GetCurrentColumnNumber(parser)
        let where_ = "line \(line), column \(column)"
        let reason = String(cString: XML_ErrorString(code))
        switch code {
        case XML_ERROR_NO_ELEMENTS where !sawRoot:
            throw Failure.malformed(bytesParsed == 0 ? "empty input, not a MediaWiki dump" : "no XML element found: not a MediaWiki dump")
        case XML_ERROR_NO_ELEMENTS, XML_ERROR_UNCLOSED_TOKEN, XML_ERROR_PARTIAL_CHAR, XML_ERROR_UNCLOSED_CDATA_SECTION:
            if final {
                throw Failure.truncated("the XML ends before </mediawiki>" + pageContext + " (\(reason) at \(where_))")
            }
            throw Failure.malformed("\(reason) at \(where_)")
        default:
            throw Failure.malformed("malformed XML: \(reason) at \(where_)" + pageContext)
        }
    }

    /// Ends the input of a part of a dump that stops before the end of the document, at a
    /// cut: the part must end between pages (every page it began complete).
    /// - Throws: `Failure.truncated` when it ends inside a page or a tag, or what `onPage`
    ///   threw.
    func finishBetweenPages() throws {
        // A final parse runs the handlers of every complete token; the root element stays open.
        let status = XML_Parse(parser, nil, 0, 1)
        if let handlerError { throw handlerError }
        let code = XML_GetErrorCode(parser)
        if inPage || (status == XML_STATUS_ERROR && code != XML_ERROR_NO_ELEMENTS) {
            let reason = status == XML_STATUS_ERROR ? " (\(String(cString: XML_ErrorString(code))))" : ""
            throw Failure.truncated("the part of the XML ends before the next page" + pageContext + reason)
        }
    }

    /// Where in the dump parsing stopped, in page terms, for messages.
    private var pageContext: String {
        guard inPage else { return "" }
        let title = page.title.isEmpty ? "" : " '\(page.title)'"
        return " inside the page\(title) starting at line \(pageStartLine)"
            + (lastTitle.isEmpty ? "" : ", after page '\(lastTitle)'")
    }

    private func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>?) {
        depth += 1
        let tag = Self.localName(name)
        if depth == 1 {
            sawRoot = true
            if tag != "mediawiki" {
                handlerError = Failure.malformed("the root element is <\(tag)>, not <mediawiki>: not a MediaWiki dump")
                XML_StopParser(parser, 0)
            }
            return
        }
        if inPage {
            switch tag {
            case "revision": inRevision = true
            case "contributor": inContributor = true
            case "title" where !inRevision: begin(.title)
            case "ns" where !inRevision: begin(.ns); hasNamespaceElement = true
            case "id" where !inRevision: begin(.pageID)
            case "id" where inRevision && !inContributor && page.revisionID.isEmpty: begin(.revisionID)
            case "redirect": page.isRedirect = true
            case "text" where inRevision: begin(.text)
            default: break
            }
        } else if tag == "page" {
            inPage = true
            pageStartLine = Int(XML_GetCurrentLineNumber(parser))
            page = WikiPage(id: "", namespace: 0, title: "", isRedirect: false, text: [])
            hasNamespaceElement = false
        } else if tag == "base" {
            begin(.base)
        } else if tag == "namespace" {
            namespaceKey = 0
            var attribute = attributes
            while let key = attribute?.pointee, let value = attribute?.advanced(by: 1).pointee {
                if String(cString: key) == "key" { namespaceKey = Int(String(cString: value)) ?? 0 }
                attribute = attribute?.advanced(by: 2)
            }
            begin(.namespace)
        }
    }

    private func end(_ name: UnsafePointer<CChar>) {
        depth -= 1
        let tag = Self.localName(name)
        if field != .none {
            let value = field == .text ? "" : String(decoding: fieldBytes, as: UTF8.self)
            switch field {
            case .title: page.title = value
            case .ns: page.namespace = Int(value.trimmingSpaces) ?? 0
            case .pageID: page.id = value.trimmingSpaces
            case .revisionID: page.revisionID = value.trimmingSpaces
            case .text: page.text = fieldBytes
            case .base:
                if let slash = value.lastIndex(of: "/") { siteInfo.urlBase = String(value[..<slash]) }
            case .namespace: siteInfo.namespaces[namespaceKey] = value
            case .none: break
            }
            field = .none
            fieldBytes = []
            return
        }
        switch tag {
        case "revision": inRevision = false
        case "contributor": inContributor = false
        case "page" where inPage:
            inPage = false
            if !hasNamespaceElement { page.namespace = namespace(ofTitle: page.title) }
            pagesSeen += 1
            lastTitle = page.title
            do { try onPage(page, siteInfo) } catch {
                handlerError = error
                XML_StopParser(parser, 0)
            }
            page.text = []
        default: break
        }
    }

    private func begin(_ target: Field) {
        field = target
        fieldBytes.removeAll(keepingCapacity: true)
    }

    /// The namespace a title's prefix names, for old dumps without `<ns>`.
    private func namespace(ofTitle title: String) -> Int {
        guard let colon = title.firstIndex(of: ":") else { return 0 }
        let prefix = title[..<colon]
        return siteInfo.namespaces.first { $0.value == prefix && $0.key != 0 }?.key ?? 0
    }

    private static func localName(_ name: UnsafePointer<CChar>) -> String {
        let full = String(cString: name)
        if let colon = full.lastIndex(of: ":") { return String(full[full.index(after: colon)...]) }
        return full
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
