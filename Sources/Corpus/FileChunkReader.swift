import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in large chunks with C stdio, tracking the byte offset reached.
final class FileChunkReader {
    let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private(set) var offset = 0
    private let chunkSize: Int

    init(path: String, chunkSize: Int = 256 << 10) throws {
        if FileSystem.isDirectory(path) {
            throw BERTKitError(file: path, "is a directory, not a dump file")
        }
        guard let handle = fopen(path, "rb") else {
            throw BERTKitError(file: path, "cannot open: \(FileSystem.lastErrorMessage())")
        }
        self.path = path
        self.handle = handle
        self.chunkSize = chunkSize
    }

    deinit { fclose(handle) }

    /// The next chunk, or an empty array at the end of the file.
    func read() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, handle) }
        if count < chunkSize && ferror(handle) != 0 {
            throw BERTKitError(file: path, place: "byte \(offset + count)", "read failed: \(FileSystem.lastErrorMessage())")
        }
        offset += count
        chunk.removeLast(chunkSize - count)
        return chunk
    }

    /// Reads the first `count` bytes without consuming them (for format detection).
    func peek(_ count: Int) -> [UInt8] {
        let position = ftello(handle)
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, handle) }
        fseeko(handle, position, SEEK_SET)
        return Array(bytes.prefix(got))
    }
}
