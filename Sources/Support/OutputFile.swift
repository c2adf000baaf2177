#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that is written under a temporary name and renamed into place when complete.
///
/// Nothing at the final path is touched until `commit()`; an existing file there is an
/// error unless `overwrite` is set. If the writer is dropped without `commit()` (an error,
/// a signal turned into an exit), the temporary file is removed, so a failed run leaves
/// nothing half-written behind; an interrupting signal removes it too (`TemporaryFiles`).
public final class OutputFile {
    /// The path the file will have once committed.
    public let path: String
    /// The temporary path written to until then.
    public let temporaryPath: String
    private var handle: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private let bufferLimit: Int
    private var committed = false
    private var cleanupToken: Int?
    /// Bytes written so far.
    public private(set) var bytesWritten: Int = 0

    /// Opens a temporary file beside `path`, buffering `bufferSize` bytes between writes.
    /// - Throws: `BERTKitError` if `path` exists and `overwrite` is false, or it cannot be created.
    public init(path: String, overwrite: Bool, bufferSize: Int = 1 << 20) throws {
        self.path = path
        self.bufferLimit = bufferSize
        if !overwrite, FileSystem.exists(path) {
            throw BERTKitError(file: path, "already exists (use --force to overwrite it)")
        }
        self.temporaryPath = FileSystem.temporaryPath(for: path)
        guard let handle = fopen(temporaryPath, "wb") else {
            if errno == EMFILE { throw BERTKitError(file: path, "cannot create: too many open files (raise `ulimit -n`)") }
            throw BERTKitError(file: path, "cannot create: \(FileSystem.lastErrorMessage())")
        }
        self.handle = handle
        cleanupToken = TemporaryFiles.register(temporaryPath)
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        if !committed {
            if let handle { fclose(handle) }
            unlink(temporaryPath)
        }
        TemporaryFiles.unregister(cleanupToken)
    }

    /// Appends bytes. The buffer never grows past its size: what does not fit is flushed
    /// first, and what is larger than the buffer is written directly.
    public func write<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        if buffer.count + bytes.count > bufferLimit { try flush() }
        bytesWritten += bytes.count
        if bytes.count >= bufferLimit {
            guard let handle else { throw BERTKitError(file: path, "written after it was closed") }
            let written = bytes.withContiguousStorageIfAvailable { fwrite($0.baseAddress, 1, $0.count, handle) }
                ?? Array(bytes).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
            if written != bytes.count {
                throw BERTKitError(file: path, "write failed: \(FileSystem.lastErrorMessage())")
            }
            return
        }
        buffer.append(contentsOf: bytes)
    }

    /// Appends the UTF-8 of a string.
    public func write(_ string: String) throws {
        var string = string
        try string.withUTF8 { try write($0) }
    }

    private func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        if written != buffer.count {
            throw BERTKitError(file: path, "write failed: \(FileSystem.lastErrorMessage())")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the temporary file, keeping it for `commit()`; frees the file
    /// handle when many outputs are finished long before they are committed.
    public func close() throws {
        try flush()
        guard let handle else { return }
        self.handle = nil
        if fflush(handle) != 0 || fsync(fileno(handle)) != 0 {
            let message = FileSystem.lastErrorMessage()
            fclose(handle)
            throw BERTKitError(file: path, "write failed: \(message)")
        }
        fclose(handle)
    }

    /// Flushes, closes and renames the temporary file to `path`.
    public func commit() throws {
        guard !committed else { return }
        try close()
        if rename(temporaryPath, path) != 0 {
            throw BERTKitError(file: path, "cannot rename \(temporaryPath) into place: \(FileSystem.lastErrorMessage())")
        }
        committed = true
        TemporaryFiles.unregister(cleanupToken)
        cleanupToken = nil
    }
}
