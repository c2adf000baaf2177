import Support

/// Streams the documents of a formatted corpus: one sentence per line, documents separated
/// by blank lines (lines of whitespace count as blank), over one or more files.
///
/// A document ends at a blank line or at the end of a file. Memory holds one document.
public struct FormattedCorpusReader {
    /// One document, valid only during the callback.
    public struct Document {
        /// The document's lines, each followed by "\n".
        public var bytes: UnsafeBufferPointer<UInt8>
        /// The number of sentences (lines).
        public var sentences: Int
    }

    public let files: [String]

    /// - Parameter files: the files, read in order.
    public init(files: [String]) {
        self.files = files
    }

    /// Calls `body` with every document in order; `progress` gets the bytes read so far.
    public func forEachDocument(progress: (Int) -> Void = { _ in },
                                _ body: (Document) throws -> Void) throws {
        var document: [UInt8] = []
        var sentences = 0
        var bytesBefore = 0
        func emit() throws {
            guard sentences > 0 else { return }
            try document.withUnsafeBufferPointer { try body(Document(bytes: $0, sentences: sentences)) }
            document.removeAll(keepingCapacity: true)
            sentences = 0
        }
        for file in files {
            let reader = try LineReader(path: file)
            while try reader.next({ line -> Void in
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0B || $0 == 0x0C }) {
                    try emit()
                } else {
                    document.append(contentsOf: line)
                    document.append(0x0A)
                    sentences += 1
                }
            }) != nil {
                if reader.lineNumber % 4096 == 0 { progress(bytesBefore + reader.bytesRead) }
            }
            try emit()
            bytesBefore += reader.bytesRead
            progress(bytesBefore)
        }
    }
}
