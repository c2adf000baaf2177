#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Streams the documents of text files one at a time, never holding a whole file.
///
/// Formats:
/// - `jsonl`: one JSON object per line, the document in a string field (`text` by default,
///   as `corpus extract` writes it); blank lines are skipped.
/// - `lines`: one document per line.
/// - `blocks`: documents separated by blank lines, their lines joined with "\n".
///
/// Empty documents are skipped. A UTF-8 byte-order mark and "\r" before "\n" are ignored;
/// invalid UTF-8 becomes U+FFFD.
public final class DocumentReader {
    /// How documents are laid out in the files.
    public enum Format: String, CaseIterable, Sendable {
        case jsonl, lines, blocks
    }

    public let format: Format
    /// The JSON field holding the text (`jsonl`).
    public let textField: String
    /// The title of the document last returned, from the JSON field named at `init`.
    public private(set) var title: String?
    private let paths: [String]
    private let field: [UInt8]
    private let titleKey: [UInt8]?
    private var pathIndex = -1
    private var file: FileChunkReader?
    private var buffer: [UInt8] = []
    /// Where the unread bytes of `buffer` start.
    private var position = 0
    /// Where the search for the next "\n" resumes: `buffer` before it has none.
    private var searched = 0
    private var atEndOfFile = true
    private var lineNumber = 0
    /// Bytes of the files consumed so far, for progress.
    public private(set) var bytesRead = 0
    private var bytesOfEarlierFiles = 0

    /// Prepares to read `paths` in order; with `titleField`, `title` holds each JSON
    /// document's title.
    /// - Throws: `BERTKitError` if a path is missing, unreadable or a directory.
    public init(paths: [String], format: Format = .jsonl, textField: String = "text", titleField: String? = nil) throws {
        for path in paths {
            if FileSystem.isDirectory(path) { throw BERTKitError(file: path, "is a directory, not a documents file") }
            guard access(path, R_OK) == 0 else {
                throw BERTKitError(file: path, "cannot open: \(FileSystem.lastErrorMessage())")
            }
        }
        self.paths = paths
        self.format = format
        self.textField = textField
        self.field = Array(textField.utf8)
        self.titleKey = titleField.map { Array($0.utf8) }
    }

    /// The next document, or nil after the last one.
    /// - Throws: `BERTKitError` naming the file and line of a malformed JSON line, or a read error.
    public func next() throws -> String? {
        switch format {
        case .jsonl:
            while let line = try nextLine() {
                if let text = try jsonText(line), !text.isEmpty { return text }
            }
        case .lines:
            while let line = try nextLine() {
                if !isBlank(line) { return text(line) }
            }
        case .blocks:
            var block: [UInt8] = []
            while let line = try nextLine() {
                if isBlank(line) {
                    if !block.isEmpty { break }
                    continue
                }
                if !block.isEmpty { block.append(0x0A) }
                block.append(contentsOf: buffer[line])
            }
            if !block.isEmpty { return String(decoding: block, as: UTF8.self) }
        }
        return nil
    }

    /// The document in the JSON object on a line, nil for a blank line. The object's other
    /// members are skipped undecoded; of a repeated key the last value counts, as in Python.
    private func jsonText(_ line: Range<Int>) throws -> String? {
        if isBlank(line) { return nil }
        var value: [UInt8]?
        title = nil
        do {
            try buffer.withUnsafeBufferPointer {
                var scanner = JSONScanner(UnsafeBufferPointer(rebasing: $0[line]))
                try scanner.object { scanner, key in
                    if key == field {
                        guard scanner.peek() == UInt8(ascii: "\"") else {
                            throw JSONScanner.Malformed("\"\(textField)\" is not a string")
                        }
                        value = try scanner.string()
                    } else if key == titleKey, scanner.peek() == UInt8(ascii: "\"") {
                        title = String(decoding: try scanner.string(), as: UTF8.self)
                    } else {
                        try scanner.skipValue()
                    }
                }
                try scanner.end()
            }
        } catch let error as JSONScanner.Malformed {
            throw BERTKitError(file: paths[pathIndex], place: "line \(lineNumber)", error.message)
        }
        guard let value else {
            throw BERTKitError(file: paths[pathIndex], place: "line \(lineNumber)", "no \"\(textField)\" field")
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// A line as a document.
    private func text(_ line: Range<Int>) -> String {
        buffer.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[line]), as: UTF8.self) }
    }

    /// Whether a line holds nothing but spaces, tabs and carriage returns.
    private func isBlank(_ line: Range<Int>) -> Bool {
        buffer[line].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// The next line of the files, without its "\r\n" or "\n", as a range of `buffer`
    /// valid until the next call; nil after the last file.
    private func nextLine() throws -> Range<Int>? {
        while true {
            if let newline = buffer.withUnsafeBufferPointer({ findNewline($0, from: max(position, searched)) }) {
                let start = position
                position = newline + 1
                return finishLine(start, newline)
            }
            searched = buffer.count
            if !atEndOfFile {
                try readMore()
            } else if position < buffer.count {
                let start = position
                position = buffer.count
                return finishLine(start, buffer.count)
            } else if !(try openNextFile()) {
                return nil
            }
        }
    }

    /// Counts a line read and returns it without a final "\r".
    private func finishLine(_ start: Int, _ end: Int) -> Range<Int> {
        lineNumber += 1
        bytesRead = bytesOfEarlierFiles + (file?.offset ?? 0) - (buffer.count - position)
        return start..<(end > start && buffer[end - 1] == 0x0D ? end - 1 : end)
    }

    /// The index of the next "\n" from `start`, found with memchr.
    private func findNewline(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Appends the next chunk of the file to the unread bytes.
    private func readMore() throws {
        buffer.removeFirst(position)
        searched -= position
        position = 0
        let chunk = try file!.read()
        if chunk.isEmpty { atEndOfFile = true } else { buffer += chunk }
    }

    /// Opens the next file, skipping a byte-order mark; false after the last one.
    private func openNextFile() throws -> Bool {
        if let file { bytesOfEarlierFiles += file.offset }
        file = nil
        pathIndex += 1
        guard pathIndex < paths.count else { return false }
        let reader = try FileChunkReader(path: paths[pathIndex])
        file = reader
        buffer = try reader.read()
        position = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        searched = position
        atEndOfFile = buffer.isEmpty
        lineNumber = 0
        return true
    }
}
