import COpenSSL

/// A running message digest (SHA-1 or MD5) over bytes fed in pieces, computed by libcrypto.
public final class Digest {
    /// The hash functions Wikimedia publishes checksums with, the preferred first.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1, md5

        /// The name users know it by: "SHA-1", "MD5".
        public var displayName: String { self == .sha1 ? "SHA-1" : "MD5" }

        /// The length of its hexadecimal digest.
        public var hexLength: Int { self == .sha1 ? 40 : 32 }

        fileprivate var evp: OpaquePointer? { self == .sha1 ? EVP_sha1() : EVP_md5() }
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
