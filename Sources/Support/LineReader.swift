#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file line by line in large chunks, without holding the file.
///
/// Lines are handed out as byte buffers without their "\n" (and without a "\r" before it),
/// valid only during the call. A line longer than `maximumLineLength` is an error naming
/// the file and line, so a file without line breaks cannot exhaust memory.
public final class LineReader {
    /// The file being read.
    public let path: String
    /// The number of the line last handed out (1-based).
    public private(set) var lineNumber = 0
    /// Bytes of the file consumed so far.
    public var bytesRead: Int { file.offset }
    private let file: FileChunkReader
    private let maximumLineLength: Int
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false

    /// Opens `path`; `maximumLineLength` defaults to 10 MB.
    public init(path: String, maximumLineLength: Int = 10_000_000, chunkSize: Int = 1 << 20) throws {
        self.file = try FileChunkReader(path: path)
        self.path = path
        self.maximumLineLength = maximumLineLength
        self.buffer = [UInt8](repeating: 0, count: max(chunkSize, 4096))
    }

    /// Calls `body` with the next line; returns false at the end of the file.
    public func next<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result? {
        while true {
            if let newline = findNewline() {
                try checkLength(newline - start)
                lineNumber += 1
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
                let (lineStart, lineEnd) = (start, end)
                start = end
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            }
            try refill()
        }
    }

    /// Throws for a line (or the start of one) longer than `maximumLineLength`.
    private func checkLength(_ length: Int) throws {
        if length > maximumLineLength {
            throw BERTKitError(file: path, place: "line \(lineNumber + 1)",
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
