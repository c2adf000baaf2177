import Support

/// A checksum file as Wikimedia publishes beside each dump: `<hex digest>  <file name>` lines.
///
/// The format is that of `sha1sum` and `md5sum` (`{wiki}-{date}-sha1sums.txt`,
/// `{wiki}-{date}-md5sums.txt`); a `*` before the name (binary mode) is accepted. Lines that
/// are not a digest of the algorithm's length followed by a name are skipped.
public struct ChecksumList: Sendable {
    /// One listed file.
    public struct Entry: Sendable, Equatable {
        /// The lowercase hexadecimal digest.
        public var digest: String
        /// The file name, without directory.
        public var name: String

        public init(digest: String, name: String) {
            self.digest = digest
            self.name = name
        }
    }

    /// The hash function the digests were made with.
    public let algorithm: Digest.Algorithm
    /// The entries in file order.
    public let entries: [Entry]

    /// Parses the text of a checksum file.
    public init(text: String, algorithm: Digest.Algorithm) {
        self.algorithm = algorithm
        entries = text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2 else { return nil }
            let digest = fields[0].lowercased()
            var name = fields[1].drop(while: { $0 == " " })
            if name.first == "*" { name = name.dropFirst() }
            guard digest.count == algorithm.hexLength, digest.allSatisfy(\.isHexDigit), !name.isEmpty else {
                return nil
            }
            return Entry(digest: digest, name: String(name))
        }
    }
}
