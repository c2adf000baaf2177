/// How extracted documents are written.
public enum DocumentFormat: String, CaseIterable, Sendable {
    /// One JSON object per line: `{"id", "url", "title", "text"}`, the interchange format
    /// Hugging Face datasets read.
    case jsonl
    /// WikiExtractor's `<doc id url title>` blocks, the title repeated as the first line.
    case doc

    /// Appends one document to `output`.
    func append(id: String, url: String, title: String, text: [UInt8], to output: inout [UInt8]) {
        switch self {
        case .jsonl:
            output.append(contentsOf: #"{"id": "#.utf8)
            JSONString.append(id.utf8, to: &output)
            output.append(contentsOf: #", "url": "#.utf8)
            JSONString.append(url.utf8, to: &output)
            output.append(contentsOf: #", "title": "#.utf8)
            JSONString.append(title.utf8, to: &output)
            output.append(contentsOf: #", "text": "#.utf8)
            JSONString.append(text, to: &output)
            output.append(contentsOf: "}\n".utf8)
        case .doc:
            output.append(contentsOf: "<doc id=\"\(Self.attribute(id))\" url=\"\(Self.attribute(url))\" title=\"\(Self.attribute(title))\">\n".utf8)
            output.append(contentsOf: title.utf8)
            output.append(contentsOf: "\n\n".utf8)
            output.append(contentsOf: text)
            output.append(contentsOf: "\n</doc>\n".utf8)
        }
    }

    private static func attribute(_ value: String) -> String {
        guard value.contains(where: { $0 == "\"" || $0 == "&" || $0 == "<" }) else { return value }
        return value.replacingAll("&", with: "&amp;").replacingAll("\"", with: "&quot;").replacingAll("<", with: "&lt;")
    }
}

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

extension String {
    /// The string with every occurrence of `target` replaced (FoundationEssentials-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
