#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file, or standard input, in large chunks with C stdio, tracking the byte offset
/// reached; every reader of raw input bytes is built on it.
public final class FileChunkReader {
    /// The path read, "-" for standard input.
    public let path: String
    /// The offset reached: bytes read so far, counted from where `seek(to:)` moved.
    public private(set) var offset = 0
    private let handle: UnsafeMutablePointer<FILE>
    private let ownsHandle: Bool
    private let chunkSize: Int

    /// Opens `path` ("-" for standard input).
    /// - Throws: `BERTKitError` when it is missing, a directory, or cannot be opened.
    public init(path: String, chunkSize: Int = 256 << 10) throws {
        self.path = path
        self.chunkSize = chunkSize
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
    }

    deinit { if ownsHandle { fclose(handle) } }

    /// How messages name the input: its path, or "standard input".
    public var name: String { Self.displayName(of: path) }

    /// How messages name the input `path`.
    public static func displayName(of path: String) -> String { path == "-" ? "standard input" : path }

    /// The next chunk, or an empty array at the end of the input.
    public func read() throws -> [UInt8] { try read(upTo: chunkSize) }

    /// At most `count` next bytes (fewer only at the end of the input).
    public func read(upTo count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: count)
        let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, handle) }
        if got < count && ferror(handle) != 0 {
            throw BERTKitError(file: name, place: "byte \(offset + got)", "read failed: \(FileSystem.lastErrorMessage())")
        }
        offset += got
        chunk.removeLast(count - got)
        return chunk
    }

    /// Moves to byte `offset` of a file: the next read starts there, and `offset` says so.
    /// - Throws: `BERTKitError` for standard input, or when the file cannot seek.
    public func seek(to offset: Int) throws {
        guard ownsHandle else { throw BERTKitError(file: name, "cannot be read from byte \(offset): not a file") }
        guard fseeko(handle, off_t(offset), SEEK_SET) == 0 else {
            throw BERTKitError(file: name, place: "byte \(offset)", "cannot seek: \(FileSystem.lastErrorMessage())")
        }
        self.offset = offset
    }

    /// The first `count` bytes of a file without consuming them (for format detection).
    public func peek(_ count: Int) -> [UInt8] {
        let position = ftello(handle)
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, handle) }
        fseeko(handle, position, SEEK_SET)
        return Array(bytes.prefix(got))
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
