#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file, or a byte range of it, line by line in large chunks, without holding
/// the file.
///
/// Lines are handed out as byte buffers without their "\n" (and without a "\r" before it),
/// valid only during the call. A line longer than `maximumLineLength` is an error naming
/// the file and line, so a file without line breaks cannot exhaust memory.
public final class LineReader {
    /// The file being read.
    public let path: String
    /// The bytes of the file read: from the start to the end, or a range of it.
    public let bytes: Range<Int>
    /// The number of the line last handed out (1-based), counted from `bytes.lowerBound`.
    public private(set) var lineNumber = 0
    /// The offset in the file where the line last handed out starts.
    public private(set) var lineOffset = 0
    /// Bytes of the file consumed so far.
    public var bytesRead: Int { file.offset - bytes.lowerBound }
    private let file: FileChunkReader
    private let maximumLineLength: Int
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false

    /// Opens `path`, to read the whole file or the range `bytes` of it (which should start
    /// at a line); `maximumLineLength` defaults to 10 MB.
    public init(path: String, bytes: Range<Int> = 0..<Int.max, maximumLineLength: Int = 10_000_000,
                chunkSize: Int = 1 << 20) throws {
        self.file = try FileChunkReader(path: path, range: bytes)
        self.path = path
        self.bytes = bytes
        self.maximumLineLength = maximumLineLength
        self.buffer = [UInt8](repeating: 0, count: max(chunkSize, 4096))
    }

    /// Calls `body` with the next line; returns false at the end of the file.
    public func next<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result? {
        while true {
            if let newline = findNewline() {
                try checkLength(newline - start)
                lineNumber += 1
                lineOffset = file.offset - end + start
                var lineEnd = newline
                if lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let lineStart = start
                start = newline + 1
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            }
            if atEnd {
                guard start < end else { return nil }
                try checkLength(end - start)
                lineNumber += 1
                lineOffset = file.offset - end + start
                let (lineStart, lineEnd) = (start, end)
                start = end
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            }
            try refill()
        }
    }

    /// How messages name line `number`: "line N", or "line N from byte B" for a reader of a
    /// range that starts inside the file (counted from there).
    public func place(ofLine number: Int) -> String {
        bytes.lowerBound == 0 ? "line \(number)" : "line \(number) from byte \(bytes.lowerBound)"
    }

    /// Throws for a line (or the start of one) longer than `maximumLineLength`.
    private func checkLength(_ length: Int) throws {
        if length > maximumLineLength {
            throw BERTKitError(file: path, place: place(ofLine: lineNumber + 1),
                               "a line longer than \(Formatting.bytes(maximumLineLength)); is this a text file with one sentence or document per line?")
        }
    }

    private func findNewline() -> Int? {
        guard start < end else { return nil }
        return buffer.withUnsafeBufferPointer { pointer in
            guard let base = pointer.baseAddress,
                  let found = memchr(base + start, 0x0A, end - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func refill() throws {
        // Keep the unfinished line, at the front; grow the buffer only for long lines.
        if start > 0 {
            buffer.withUnsafeMutableBufferPointer { pointer in
                _ = memmove(pointer.baseAddress!, pointer.baseAddress! + start, end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count {
            try checkLength(end)
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        let chunk = try file.read(upTo: buffer.count - end)
        buffer.replaceSubrange(end..<end + chunk.count, with: chunk)
        let count = chunk.count
        if count == 0 { atEnd = true }
        end += count
    }
}
