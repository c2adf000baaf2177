import Support

/// Finds where a dump file can be cut so that the bytes from a cut on decode and parse on
/// their own, after the file's head: before a `<page>` tag in plain XML; at a bzip2 stream
/// whose text begins, after whitespace, with `<page>` in a multistream file (Wikimedia's
/// multistream dumps hold whole pages in each stream). A bzip2 file with no second stream
/// in its first segment (`DumpDecoder.hasLaterStream`) cannot be cut.
struct DumpCutFinder {
    /// How a file can be cut.
    private enum Layout { case plainXML, multistream, uncuttable }

    /// The file.
    let path: String
    /// The file's size in bytes.
    let size: Int
    private let layout: Layout

    /// Looks at the start of the dump at `path`.
    /// - Throws: `BERTKitError` when it is missing, a directory, or unreadable.
    init(path: String) throws {
        let reader = try FileChunkReader(path: path)
        self.path = path
        size = FileSystem.size(path) ?? 0
        if !DumpDecoder.isBzip2(reader.peek(4)) {
            layout = .plainXML
        } else {
            layout = DumpDecoder.hasLaterStream(reader) ? .multistream : .uncuttable
        }
    }

    /// The first cut at or after `offset`, or the file's size when there is none; the
    /// file's start is always a cut.
    /// - Throws: `BERTKitError` for read errors.
    func cut(atOrAfter offset: Int) throws -> Int {
        if offset == 0 { return 0 }
        switch layout {
        case .uncuttable:
            return size
        case .plainXML:
            return try firstCandidate(from: offset, length: Self.pageTag.utf8CodeUnitCount,
                                      find: { bytes, start in bytes.withUnsafeBufferPointer { ByteSearch.index(of: Self.pageTag, in: $0, from: start) } },
                                      accept: { _ in true })
        case .multistream:
            return try firstCandidate(from: offset, length: 10, find: DumpDecoder.firstStreamStart(in:from:),
                                      accept: streamBeginsWithPage(at:))
        }
    }

    /// The file's text before its first page (the root element's start tag and
    /// `<siteinfo>`), which the part of the file from a later cut is parsed after.
    /// - Throws: `BERTKitError` for read errors.
    func head() throws -> [UInt8] {
        var head: [UInt8] = []
        var complete = false
        let decoder = DumpDecoder(path: path, threads: 1, range: 0..<(try cut(atOrAfter: 1)))
        _ = try decoder.forEachChunk { chunk, _ in
            guard !complete else { return }
            let searchFrom = max(0, head.count - Self.pageTag.utf8CodeUnitCount)
            head += chunk
            if let page = head.withUnsafeBufferPointer({ ByteSearch.index(of: Self.pageTag, in: $0, from: searchFrom) }) {
                head.removeSubrange(page...)
                complete = true
            }
        }
        return head
    }

    /// The tag that starts every page.
    private static let pageTag: StaticString = "<page>"

    /// The first offset at or after `offset` where `find` finds a candidate (`length` bytes
    /// long) that `accept` accepts, or the file's size.
    private func firstCandidate(from offset: Int, length: Int, find: ([UInt8], Int) -> Int?,
                                accept: (Int) throws -> Bool) throws -> Int {
        let reader = try FileChunkReader(path: path, range: offset..<size)
        var window: [UInt8] = []
        var windowStart = offset
        var searchFrom = 0
        while true {
            let chunk = try reader.read()
            if chunk.isEmpty { return size }
            window += chunk
            while let found = find(window, searchFrom) {
                if try accept(windowStart + found) { return windowStart + found }
                searchFrom = found + 1
            }
            // The last length - 1 bytes may start a candidate that the next chunk completes.
            let dropped = max(0, window.count - (length - 1))
            window.removeFirst(dropped)
            windowStart += dropped
            searchFrom = max(0, searchFrom - dropped)
        }
    }

    /// Whether the bzip2 stream at `offset` decodes to text that begins, after whitespace,
    /// with `<page>`; false for a stream start found by chance inside compressed data, which
    /// does not decode.
    private func streamBeginsWithPage(at offset: Int) throws -> Bool {
        let reader = try FileChunkReader(path: path, chunkSize: 64 << 10, range: offset..<size)
        let decoder = Bzip2Decoder()
        var text: [UInt8] = []
        let tagLength = Self.pageTag.utf8CodeUnitCount
        while decoder.damage == nil {
            let chunk = try reader.read()
            if chunk.isEmpty { return false }
            text += decoder.decode(chunk)
            guard let start = text.firstIndex(where: { !Self.isXMLWhitespace($0) }) else { continue }
            if text.count - start >= tagLength {
                return text.withUnsafeBufferPointer { ByteSearch.hasPrefix(Self.pageTag, in: $0, at: start) }
            }
        }
        return false
    }

    /// Whether `byte` is XML whitespace: space, tab, line feed or carriage return.
    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
