import Support

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
