/// Builds a protocol buffer message field by field, in the wire format: each field a varint key
/// (field number << 3 | wire type) and its value.
///
/// Just the field kinds a TensorBoard `Event` needs. Every field appended is written, even one
/// holding its default value (which a oneof member such as `simple_value` must be).
struct ProtobufEncoder {
    /// The message so far.
    private(set) var bytes: [UInt8] = []

    /// Appends a 64-bit integer field (int64, wire type 0); a negative value takes ten bytes,
    /// as its two's complement.
    mutating func appendInteger(field: Int, _ value: Int64) {
        appendKey(field: field, wireType: 0)
        appendVarint(UInt64(bitPattern: value))
    }

    /// Appends a double field (wire type 1: eight little-endian bytes).
    mutating func appendDouble(field: Int, _ value: Double) {
        appendKey(field: field, wireType: 1)
        appendLittleEndian(value.bitPattern)
    }

    /// Appends a float field (wire type 5: four little-endian bytes).
    mutating func appendFloat(field: Int, _ value: Float) {
        appendKey(field: field, wireType: 5)
        appendLittleEndian(value.bitPattern)
    }

    /// Appends a string field as its UTF-8 (wire type 2: length, then bytes).
    mutating func appendString(field: Int, _ value: String) {
        appendLengthDelimited(field: field, Array(value.utf8))
    }

    /// Appends an embedded message field (wire type 2).
    mutating func appendMessage(field: Int, _ message: ProtobufEncoder) {
        appendLengthDelimited(field: field, message.bytes)
    }

    private mutating func appendLengthDelimited(field: Int, _ value: [UInt8]) {
        appendKey(field: field, wireType: 2)
        appendVarint(UInt64(value.count))
        bytes += value
    }

    private mutating func appendKey(field: Int, wireType: Int) {
        appendVarint(UInt64(field << 3 | wireType))
    }

    /// Seven bits a byte, least significant first, the high bit set on every byte but the last.
    private mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
