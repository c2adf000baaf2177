import COpenSSL

/// A running message digest (SHA-1, MD5 or SHA-256) over bytes fed in pieces, computed by
/// libcrypto.
public final class Digest {
    /// The hash functions: Wikimedia's checksum lists use SHA-1 and MD5; BERTKit records
    /// the vocabularies its outputs depend on by SHA-256.
    public enum Algorithm: String, Sendable {
        case sha1, md5, sha256

        /// The hash functions Wikimedia publishes checksum lists with, the preferred first.
        public static let wikimediaChecksums: [Algorithm] = [.sha1, .md5]

        /// The name users know it by: "SHA-1", "MD5", "SHA-256".
        public var displayName: String {
            switch self {
            case .sha1: return "SHA-1"
            case .md5: return "MD5"
            case .sha256: return "SHA-256"
            }
        }

        /// The length of its hexadecimal digest.
        public var hexLength: Int {
            switch self {
            case .sha1: return 40
            case .md5: return 32
            case .sha256: return 64
            }
        }

        fileprivate var evp: OpaquePointer? {
            switch self {
            case .sha1: return EVP_sha1()
            case .md5: return EVP_md5()
            case .sha256: return EVP_sha256()
            }
        }
    }

    /// The hexadecimal digest of a whole file.
    public static func hexDigest(ofFile path: String, algorithm: Algorithm) throws -> String {
        let digest = Digest(algorithm)
        try digest.update(file: path)
        return digest.finish()
    }

    /// The hash function this digest computes.
    public let algorithm: Algorithm
    private let context: OpaquePointer

    /// Starts a digest over no bytes yet.
    public init(_ algorithm: Algorithm) {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, algorithm.evp, nil) == 1 else {
            fatalError("libcrypto cannot start a \(algorithm.displayName) digest")
        }
        self.algorithm = algorithm
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds more bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Feeds the bytes of an array.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the bytes of a whole file, calling `onChunk` with the bytes fed so far after
    /// each chunk.
    public func update(file path: String, onChunk: (Int) -> Void = { _ in }) throws {
        let reader = try FileChunkReader(path: path)
        while true {
            let chunk = try reader.read()
            if chunk.isEmpty { break }
            update(chunk)
            onChunk(reader.offset)
        }
    }

    /// Starts over, as if no bytes had been fed.
    public func reset() {
        EVP_DigestInit_ex(context, algorithm.evp, nil)
    }

    /// The digest of the bytes fed so far, in lowercase hexadecimal; the digest then starts over.
    public func finish() -> String {
        var bytes = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &bytes, &length)
        reset()
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in bytes.prefix(Int(length)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
