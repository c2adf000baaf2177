/// Reads a text file, or standard input, in chunks of whole lines: every chunk but the last
/// ends with a line feed, so that chunks can be worked on independently (on several threads).
public final class LineChunkReader {
    private let file: FileChunkReader
    private let chunkSize: Int
    /// The start of a line read but not yet returned (after the last line feed of a read).
    private var carry: [UInt8] = []
    private var atEnd = false

    /// Opens `path`, or standard input for "-".
    /// - Throws: `BERTKitError` when the file is missing, a directory, or cannot be opened.
    public init(path: String, chunkSize: Int = 512 << 10) throws {
        file = try FileChunkReader(path: path, chunkSize: chunkSize)
        self.chunkSize = chunkSize
    }

    /// How messages name the input: its path, or "standard input".
    public var name: String { file.name }

    /// The next chunk of whole lines (line feeds included), or nil at the end of the input.
    public func read() throws -> [UInt8]? {
        while !atEnd {
            // A line longer than a chunk doubles the read, so that reading it stays linear.
            let size = max(chunkSize, carry.count)
            let bytes = try file.read(upTo: size)
            atEnd = bytes.count < size
            var chunk = carry
            chunk += bytes
            if let lastLineFeed = chunk.lastIndex(of: UInt8(ascii: "\n")) {
                carry = Array(chunk[(lastLineFeed + 1)...])
                chunk.removeSubrange((lastLineFeed + 1)...)
                return chunk
            }
            carry = chunk  // a line longer than a chunk: read on
        }
        defer { carry = [] }
        return carry.isEmpty ? nil : carry
    }
}
