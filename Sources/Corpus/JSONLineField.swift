/// Reads one string field of a JSON object on one line, without building the object.
///
/// The object's other members are skipped without being decoded; the field's string is
/// unescaped (`\n`, `\"`, `\uXXXX` with surrogate pairs; a lone surrogate becomes U+FFFD).
/// When a key occurs twice the last value counts, as with Python's `json`.
enum JSONLineField {
    /// What is wrong with a line, for the reader to place in its file.
    struct Malformed: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// The UTF-8 of the string `field` of the object on `line`, or nil if it has none.
    /// - Throws: `Malformed` if the line is not a JSON object or the field is not a string.
    static func string(_ field: [UInt8], in line: UnsafeBufferPointer<UInt8>) throws -> [UInt8]? {
        var scanner = Scanner(bytes: line)
        scanner.skipWhitespace()
        guard scanner.take(UInt8(ascii: "{")) else { throw Malformed("not a JSON object") }
        var value: [UInt8]?
        scanner.skipWhitespace()
        if !scanner.take(UInt8(ascii: "}")) {
            repeat {
                scanner.skipWhitespace()
                guard scanner.peek == UInt8(ascii: "\"") else { throw Malformed("expected a key at byte \(scanner.index)") }
                let key = try scanner.string()
                scanner.skipWhitespace()
                guard scanner.take(UInt8(ascii: ":")) else { throw Malformed("expected ':' at byte \(scanner.index)") }
                scanner.skipWhitespace()
                if key == field {
                    guard scanner.peek == UInt8(ascii: "\"") else {
                        throw Malformed("\"\(String(decoding: field, as: UTF8.self))\" is not a string")
                    }
                    value = try scanner.string()
                } else {
                    try scanner.skipValue()
                }
                scanner.skipWhitespace()
            } while scanner.take(UInt8(ascii: ","))
            guard scanner.take(UInt8(ascii: "}")) else { throw Malformed("expected ',' or '}' at byte \(scanner.index)") }
        }
        scanner.skipWhitespace()
        guard scanner.index == line.count else { throw Malformed("unexpected data after the object at byte \(scanner.index)") }
        return value
    }

    /// A cursor over the line's bytes.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        /// Skips a value of any kind: a string, or everything up to the end of the nested
        /// object or array, or the scalar (number, true, false, null).
        mutating func skipValue() throws {
            var depth = 0
            repeat {
                guard let byte = peek else { throw Malformed("unexpected end of line") }
                switch byte {
                case UInt8(ascii: "\""): try skipString()
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard depth > 0 else { throw Malformed("expected a value at byte \(index)") }
                    depth -= 1; index += 1
                case UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x09, 0x0A, 0x0D:
                    guard depth > 0 else { throw Malformed("expected a value at byte \(index)") }
                    index += 1
                default:
                    let start = index
                    while let next = peek, Self.isScalarByte(next) { index += 1 }
                    if index == start { throw Malformed("unexpected '\(Unicode.Scalar(byte))' at byte \(index)") }
                }
            } while depth > 0
        }

        /// Letters, digits, signs and points: the bytes of numbers, true, false and null.
        private static func isScalarByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }

        private mutating func skipString() throws {
            index += 1
            while let byte = peek {
                index += 1
                if byte == UInt8(ascii: "\"") { return }
                if byte == UInt8(ascii: "\\") { index += 1 }
            }
            throw Malformed("unterminated string")
        }

        /// Decodes the string at the cursor into UTF-8.
        mutating func string() throws -> [UInt8] {
            index += 1
            var output: [UInt8] = []
            while true {
                let runStart = index
                while index < bytes.count && bytes[index] != UInt8(ascii: "\"") && bytes[index] != UInt8(ascii: "\\") {
                    index += 1
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                guard let byte = peek else { throw Malformed("unterminated string") }
                index += 1
                if byte == UInt8(ascii: "\"") { return output }
                try unescape(into: &output)
            }
        }

        /// Decodes the escape after a backslash.
        private mutating func unescape(into output: inout [UInt8]) throws {
            guard let escaped = peek else { throw Malformed("unterminated string") }
            index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var value = try hexCode()
                if (0xD800..<0xDC00).contains(value), peek == UInt8(ascii: "\\"),
                   index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                    let mark = index
                    index += 2
                    let low = try hexCode()
                    if (0xDC00..<0xE000).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = mark  // not a pair: the high surrogate stands alone
                    }
                }
                output.append(contentsOf: String(Unicode.Scalar(value) ?? "\u{FFFD}").utf8)
            default:
                throw Malformed("invalid escape '\\\(Unicode.Scalar(escaped))' at byte \(index - 2)")
            }
        }

        /// The four hexadecimal digits of a `\u` escape.
        private mutating func hexCode() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw Malformed("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Malformed("invalid \\u escape at byte \(index)")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }
    }
}
