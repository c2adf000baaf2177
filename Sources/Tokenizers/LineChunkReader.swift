import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file, or standard input, in chunks of whole lines: every chunk but the last
/// ends with a line feed, so that chunks can be worked on independently.
final class LineChunkReader {
    /// The name used in messages: the path, or "standard input".
    let name: String
    private let handle: UnsafeMutablePointer<FILE>
    private let ownsHandle: Bool
    private let chunkSize: Int
    /// The start of a line read but not yet returned (after the last line feed of a read).
    private var carry: [UInt8] = []
    private var atEnd = false

    /// Opens `path`, or standard input for "-".
    /// - Throws: `BERTKitError` when the file is missing, a directory, or cannot be opened.
    init(path: String, chunkSize: Int = 512 << 10) throws {
        self.chunkSize = chunkSize
        name = Self.displayName(of: path)
        if path == "-" {
            handle = stdin
            ownsHandle = false
            return
        }
        if !FileSystem.exists(path) { throw BERTKitError(file: path, "no such file") }
        if FileSystem.isDirectory(path) { throw BERTKitError(file: path, "is a directory, not a text file") }
        guard let handle = fopen(path, "rb") else {
            throw BERTKitError(file: path, "cannot open: \(FileSystem.lastErrorMessage())")
        }
        self.handle = handle
        ownsHandle = true
    }

    deinit { if ownsHandle { fclose(handle) } }

    /// How messages name the input `path`.
    static func displayName(of path: String) -> String { path == "-" ? "standard input" : path }

    /// The next chunk of whole lines (line feeds included), or nil at the end of the input.
    func read() throws -> [UInt8]? {
        while !atEnd {
            var chunk = carry
            let start = chunk.count
            // A line longer than a chunk doubles the read, so that reading it stays linear.
            let size = max(chunkSize, start)
            chunk += repeatElement(0, count: size)
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress! + start, 1, size, handle) }
            if count < size && ferror(handle) != 0 {
                throw BERTKitError(file: name, "read failed: \(FileSystem.lastErrorMessage())")
            }
            chunk.removeLast(size - count)
            atEnd = count < size
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
