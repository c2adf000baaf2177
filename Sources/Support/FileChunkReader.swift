#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file, or standard input, in large chunks with C stdio, tracking the byte offset
/// reached; every reader of raw input bytes is built on it. A reader may keep to a byte range
/// of a file (one process's part of a dump).
public final class FileChunkReader {
    /// The path read, "-" for standard input.
    public let path: String
    /// The offset reached in the file: the range's start plus the bytes read so far.
    public private(set) var offset = 0
    private let handle: UnsafeMutablePointer<FILE>
    private let ownsHandle: Bool
    private let chunkSize: Int
    /// Where reading stops: the end of the range, or nil for the end of the input.
    private let end: Int?

    /// Opens `path` ("-" for standard input), to read `range` of it when one is given (a
    /// file's, not standard input's): reading starts at its start and ends at its end.
    /// - Throws: `BERTKitError` when it is missing, a directory, or cannot be opened or
    ///   positioned.
    public init(path: String, chunkSize: Int = 256 << 10, range: Range<Int>? = nil) throws {
        self.path = path
        self.chunkSize = chunkSize
        end = range?.upperBound
        if path == "-" {
            handle = stdin
            ownsHandle = false
            return
        }
        if !FileSystem.exists(path) { throw BERTKitError(file: path, "no such file") }
        if FileSystem.isDirectory(path) { throw BERTKitError(file: path, "is a directory, not a file") }
        guard let handle = fopen(path, "rb") else {
            throw BERTKitError(file: path, "cannot open: \(FileSystem.lastErrorMessage())")
        }
        self.handle = handle
        ownsHandle = true
        if let start = range?.lowerBound, start > 0 {
            guard fseeko(handle, off_t(start), SEEK_SET) == 0 else {
                throw BERTKitError(file: name, place: "byte \(start)", "cannot seek: \(FileSystem.lastErrorMessage())")
            }
            offset = start
        }
    }

    deinit { if ownsHandle { fclose(handle) } }

    /// How messages name the input: its path, or "standard input".
    public var name: String { Self.displayName(of: path) }

    /// How messages name the input `path`.
    public static func displayName(of path: String) -> String { path == "-" ? "standard input" : path }

    /// The next chunk, or an empty array at the end of the input.
    public func read() throws -> [UInt8] { try read(upTo: chunkSize) }

    /// At most `count` next bytes (fewer only at the end of the input or range).
    public func read(upTo count: Int) throws -> [UInt8] {
        let count = remaining(upTo: count)
        var chunk = [UInt8](repeating: 0, count: count)
        let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, handle) }
        if got < count && ferror(handle) != 0 {
            throw BERTKitError(file: name, place: "byte \(offset + got)", "read failed: \(FileSystem.lastErrorMessage())")
        }
        offset += got
        chunk.removeLast(count - got)
        return chunk
    }

    /// The next `count` bytes (fewer at the end of the input or range) without consuming
    /// them (for format detection).
    public func peek(_ count: Int) -> [UInt8] {
        let count = remaining(upTo: count)
        let position = ftello(handle)
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, handle) }
        fseeko(handle, position, SEEK_SET)
        return Array(bytes.prefix(got))
    }

    /// `count`, or fewer where the range ends sooner.
    private func remaining(upTo count: Int) -> Int {
        end.map { max(0, min(count, $0 - offset)) } ?? count
    }

    /// The whole content of a small file (a parameter file), with errors that name it.
    public static func contents(of path: String) throws -> [UInt8] {
        let reader = try FileChunkReader(path: path)
        var bytes: [UInt8] = []
        while true {
            let chunk = try reader.read()
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
    }
}
