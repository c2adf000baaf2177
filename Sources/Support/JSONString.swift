/// Writes JSON string literals: quotes, backslashes and control characters escaped, other
/// characters as their UTF-8.
public enum JSONString {
    /// Appends `value` as a quoted JSON string.
    public static func append<Bytes: Sequence>(_ value: Bytes, to output: inout [UInt8]) where Bytes.Element == UInt8 {
        if let done: Void = value.withContiguousStorageIfAvailable({ append(contiguous: $0, to: &output) }) {
            return done
        }
        append(contiguous: Array(value), to: &output)
    }

    /// Copies runs that need no escaping in bulk, escaping the bytes between them.
    private static func append(contiguous value: [UInt8], to output: inout [UInt8]) {
        value.withUnsafeBufferPointer { append(contiguous: $0, to: &output) }
    }

    private static func append(contiguous value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + value.count + 2)
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<index]))
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            }
            runStart = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart...]))
        output.append(UInt8(ascii: "\""))
    }
}
