/// Writes bytes through a pointer into storage that the caller has made large enough, for
/// output loops where appending to an array byte by byte would dominate.
struct UnsafeByteWriter {
    /// Where the next byte goes.
    private(set) var position: UnsafeMutablePointer<UInt8>

    init(start: UnsafeMutablePointer<UInt8>) { position = start }

    /// The most bytes `writeDecimal` writes.
    static let maxDecimalLength = 20

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        position.update(from: base, count: bytes.count)
        position += bytes.count
    }

    /// Writes the decimal digits of a non-negative number.
    @inline(__always)
    mutating func writeDecimal(_ value: Int) {
        var length = 1
        var limit = 10
        while value >= limit && length < 19 {
            length += 1
            limit &*= 10
        }
        var rest = value
        for offset in stride(from: length - 1, through: 0, by: -1) {
            position[offset] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        position += length
    }
}
