import Support
/// Normalized text in UTF-8 that remembers, byte by byte, which character of the original
/// text each byte came from, so that tokens can be given offsets into the original.
///
/// Characters are Unicode scalars, counted from 0, as Python's `str` indexes them and as
/// Hugging Face `tokenizers` gives offsets in Python.
public struct NormalizedText: Sendable, Equatable {
    /// The normalized text.
    public private(set) var utf8: [UInt8] = []
    /// For each byte of `utf8`, the index of the original character it came from.
    public private(set) var sources: [Int32] = []

    /// Empty text.
    public init() {}

    /// The normalized text as a string.
    public var string: String { String(decoding: utf8, as: UTF8.self) }

    /// The range of original characters that the normalized bytes `bytes` came from.
    public func originalRange(of bytes: Range<Int>) -> Range<Int> {
        precondition(!bytes.isEmpty, "an empty range has no original characters")
        return Int(sources[bytes.lowerBound])..<Int(sources[bytes.upperBound - 1]) + 1
    }

    /// Empties the text, keeping its storage.
    mutating func removeAll(reservingCapacity capacity: Int) {
        utf8.removeAll(keepingCapacity: true)
        sources.removeAll(keepingCapacity: true)
        utf8.reserveCapacity(capacity)
        sources.reserveCapacity(capacity)
    }

    /// Appends an ASCII byte that came from original character `source`.
    @inline(__always)
    mutating func appendASCII(_ byte: UInt8, from source: Int32) {
        utf8.append(byte)
        sources.append(source)
    }

    /// Appends a scalar that came from original character `source`.
    @inline(__always)
    mutating func append(_ scalar: Unicode.Scalar, from source: Int32) {
        let before = utf8.count
        UTF8Codec.append(scalar, to: &utf8)
        for _ in before..<utf8.count { sources.append(source) }
    }
}
