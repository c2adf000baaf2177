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
/// invalid UTF-8 becomes U+FFFD. A reader may read one contiguous part of the documents
/// (`init(paths:format:textField:titleField:part:of:)`).
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
    /// The files read, each whole or a byte range of it.
    private let paths: [String]
    private let ranges: [Range<Int>]
    /// Where each file starts in the concatenation of the files: the origin of the positions
    /// `nextLine` gives (all 0 for a reader of whole files, whose positions count from the
    /// start of each file).
    private let bases: [Int]
    private let field: [UInt8]
    private let titleKey: [UInt8]?
    private var pathIndex = -1
    private var reader: LineReader?
    private var bytesOfEarlierFiles = 0
    /// Bytes of the files consumed so far, for progress.
    public var bytesRead: Int { bytesOfEarlierFiles + (reader?.bytesRead ?? 0) }
    /// Invalid UTF-8 sequences replaced by U+FFFD so far.
    public private(set) var invalidUTF8Replaced = 0

    /// Prepares to read `paths` in order; with `titleField`, `title` holds each JSON
    /// document's title.
    /// - Throws: `BERTKitError` if a path is missing, unreadable or a directory.
    public convenience init(paths: [String], format: Format = .jsonl, textField: String = "text", titleField: String? = nil) throws {
        try Self.checkReadable(paths)
        self.init(paths: paths, ranges: paths.map { _ in 0..<Int.max }, bases: paths.map { _ in 0 }, format: format,
                  textField: textField, titleField: titleField)
    }

    /// Prepares to read the byte range `ranges[i]` of each file `paths[i]`, which starts at
    /// `bases[i]` in the concatenation of the files; the files are readable.
    init(paths: [String], ranges: [Range<Int>], bases: [Int], format: Format, textField: String, titleField: String?) {
        self.paths = paths
        self.ranges = ranges
        self.bases = bases
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
            while let text = try nextLine({ line, _ in try jsonText(line) }) {
                if let text, !text.isEmpty { return text }
            }
        case .lines:
            while let text = try nextLine({ line, _ in isBlank(line) ? nil : decode(line) }) {
                if let text { return text }
            }
        case .blocks:
            var block: [UInt8] = []
            while let ended = try nextLine({ line, _ -> Bool in
                if isBlank(line) { return !block.isEmpty }
                if !block.isEmpty { block.append(0x0A) }
                block.append(contentsOf: line)
                return false
            }) {
                if ended { break }
            }
            if !block.isEmpty { return block.withUnsafeBufferPointer { decode($0) } }
        }
        return nil
    }

    /// Throws unless every path is a readable file.
    static func checkReadable(_ paths: [String]) throws {
        for path in paths {
            if FileSystem.isDirectory(path) { throw BERTKitError(file: path, "is a directory, not a documents file") }
            guard access(path, R_OK) == 0 else {
                throw BERTKitError(file: path, "cannot open: \(FileSystem.lastErrorMessage())")
            }
        }
    }

    /// The document in the JSON object on a line, nil for a blank line. The object's other
    /// members are skipped undecoded; of a repeated key the last value counts, as in Python.
    private func jsonText(_ line: UnsafeBufferPointer<UInt8>) throws -> String? {
        if isBlank(line) { return nil }
        var value: [UInt8]?
        title = nil
        do {
            var scanner = JSONScanner(line)
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
        } catch let error as JSONScanner.Malformed {
            throw BERTKitError(file: paths[pathIndex], place: linePlace, error.message)
        }
        guard let value else {
            throw BERTKitError(file: paths[pathIndex], place: linePlace, "no \"\(textField)\" field")
        }
        return value.withUnsafeBufferPointer { decode($0) }
    }

    /// The text of UTF-8 bytes, each invalid sequence replaced by U+FFFD and counted.
    private func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var sanitizer = UTF8Sanitizer(detectEncoding: false)
        let valid = sanitizer.convert(Array(bytes), final: true)
        invalidUTF8Replaced += sanitizer.replacements
        return String(decoding: valid, as: UTF8.self)
    }

    /// How messages name the line last read.
    private var linePlace: String { reader.map { $0.place(ofLine: $0.lineNumber) } ?? "line 0" }

    /// Whether a line holds nothing but spaces, tabs and carriage returns.
    func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// Calls `body` with the next line of the files (without a UTF-8 byte-order mark at the
    /// start of a file) and its position (see `bases`); nil after the last line of the last
    /// file.
    func nextLine<Result>(_ body: (UnsafeBufferPointer<UInt8>, _ start: Int) throws -> Result) throws -> Result? {
        while true {
            if let reader, let result = try reader.next({ line in
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                let skip = reader.lineOffset == 0 && line.starts(with: bom) ? 3 : 0
                return try body(UnsafeBufferPointer(rebasing: line[skip...]), bases[pathIndex] + reader.lineOffset)
            }) {
                return result
            }
            if let reader { bytesOfEarlierFiles += reader.bytesRead }
            reader = nil
            pathIndex += 1
            guard pathIndex < paths.count else { return nil }
            reader = try LineReader(path: paths[pathIndex], bytes: ranges[pathIndex])
        }
    }
}
