import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A WordPiece vocabulary: tokens numbered by their line in `vocab.txt`, from 0.
///
/// Lines lose trailing whitespace as in `tokenizers`; a blank line, a duplicate token or
/// text that is not UTF-8 is an error naming its line.
public final class Vocabulary: Sendable {
    /// The tokens, by id.
    public let tokens: [String]
    /// The file the vocabulary was read from, for error messages.
    public let file: String?
    private let table: ByteStringTable
    /// The UTF-8 of every token, back to back, and where each one starts (`count + 1` bounds).
    private let tokenBytes: [UInt8]
    private let tokenStarts: [Int]

    /// How a vocabulary file spells its tokens.
    public enum FileFormat: Sendable {
        /// BERT's `vocab.txt`: one token per line.
        case tokenPerLine
        /// CharacterBERT's `mlm_vocab.txt`: `"{count} {token}"` per line, most frequent first;
        /// the token is the line's last space-separated field, as CharacterBERT reads it.
        case countAndToken
    }

    /// Reads a vocabulary file: `vocab.txt` (one token per line) or, with `.countAndToken`,
    /// an MLM vocabulary.
    public convenience init(contentsOfFile path: String, format: FileFormat = .tokenPerLine) throws {
        guard let file = fopen(path, "rb") else {
            throw BERTKitError(file: path, "cannot open: \(FileSystem.lastErrorMessage())")
        }
        defer { fclose(file) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            data += chunk[..<count]
            if count < chunk.count { break }
        }
        if ferror(file) != 0 { throw BERTKitError(file: path, "read failed: \(FileSystem.lastErrorMessage())") }
        try self.init(lines: data, file: path, format: format)
    }

    /// A vocabulary of `tokens`, numbered in order.
    public convenience init(tokens: [String]) throws {
        try self.init(lines: Array(tokens.joined(separator: "\n").utf8), file: nil, format: .tokenPerLine)
    }

    private init(lines data: [UInt8], file: String?, format: FileFormat) throws {
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var table = ByteStringTable(capacity: lines.count)
        var tokens: [String] = []
        var tokenBytes: [UInt8] = []
        var tokenStarts: [Int] = [0]
        for (number, line) in zip(1..., lines) {
            let decoded = String(decoding: line, as: UTF8.self)
            guard decoded.utf8.elementsEqual(line) else {
                throw BERTKitError(file: file, place: "line \(number)", "not valid UTF-8")
            }
            var scalars = decoded.unicodeScalars
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            if format == .countAndToken, let space = scalars.lastIndex(where: { $0 == " " || $0 == "\t" }) {
                scalars = String.UnicodeScalarView(scalars[scalars.index(after: space)...])
            }
            let token = Array(String(scalars).utf8)
            if token.isEmpty { throw BERTKitError(file: file, place: "line \(number)", "blank line: every line must hold a token") }
            let duplicate = token.withUnsafeBufferPointer { table.insert($0, id: UInt32(tokens.count)) }
            if let first = duplicate {
                throw BERTKitError(file: file, place: "line \(number)", "duplicate token '\(String(scalars))' (first on line \(first + 1))")
            }
            tokens.append(String(scalars))
            tokenBytes += token
            tokenStarts.append(tokenBytes.count)
        }
        if tokens.isEmpty { throw BERTKitError(file: file, "the vocabulary is empty") }
        self.tokens = tokens
        self.table = table
        self.tokenBytes = tokenBytes
        self.tokenStarts = tokenStarts
        self.file = file
    }

    /// The number of tokens.
    public var count: Int { tokens.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    public func id(of token: String) -> UInt32? {
        var token = token
        return token.withUTF8 { table.id(of: $0) }
    }

    /// The length in bytes of the longest token.
    var longestTokenLength: Int { table.longestKey }

    /// The id of the token whose UTF-8 is `bytes`, or nil.
    @inline(__always)
    public func id(of bytes: UnsafeBufferPointer<UInt8>) -> UInt32? { table.id(of: bytes) }

    /// The id of a token that must be in the vocabulary, such as `[UNK]`.
    /// - Throws: `BERTKitError` naming the vocabulary's file when it is missing.
    public func requiredID(of token: String) throws -> UInt32 {
        guard let id = id(of: token) else {
            throw BERTKitError(file: file, "the vocabulary has no \(token) token")
        }
        return id
    }

    /// Calls `body` with the UTF-8 of token `id`, without making a string.
    @inline(__always)
    public func withUTF8<R>(ofToken id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try tokenBytes.withUnsafeBufferPointer { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes[tokenStarts[Int(id)]..<tokenStarts[Int(id) + 1]]))
        }
    }
}
