/// A cursor over JSON text that decodes the values its caller asks for and skips the rest,
/// without building a document.
///
/// Strings are unescaped (`\n`, `\"`, `\uXXXX` with surrogate pairs; a lone surrogate becomes
/// U+FFFD) into UTF-8 bytes, left unvalidated for the caller to make a String of.
public struct JSONScanner {
    /// What is wrong with the text and where, for the caller to place in its file.
    public struct Malformed: Error {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    /// A cursor at the start of `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The byte at the cursor after whitespace, nil at the end.
    public mutating func peek() -> UInt8? {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return bytes[index]
            }
        }
        return nil
    }

    /// Takes `byte` after whitespace if it is there.
    private mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// Fails unless only whitespace is left.
    public func end() throws {
        var rest = self
        if rest.peek() != nil { throw Malformed("unexpected data after the value at byte \(rest.index)") }
    }

    /// Reads an object, calling `member` with each key and the cursor on its value, which
    /// `member` must read or skip.
    public mutating func object(_ member: (inout JSONScanner, [UInt8]) throws -> Void) throws {
        guard take(UInt8(ascii: "{")) else { throw Malformed("expected an object at byte \(index)") }
        if take(UInt8(ascii: "}")) { return }
        repeat {
            guard peek() == UInt8(ascii: "\"") else { throw Malformed("expected a key at byte \(index)") }
            let key = try string()
            guard take(UInt8(ascii: ":")) else { throw Malformed("expected ':' at byte \(index)") }
            try member(&self, key)
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { throw Malformed("expected ',' or '}' at byte \(index)") }
    }

    /// Reads an array, calling `element` with the cursor on each element.
    public mutating func array(_ element: (inout JSONScanner) throws -> Void) throws {
        guard take(UInt8(ascii: "[")) else { throw Malformed("expected an array at byte \(index)") }
        if take(UInt8(ascii: "]")) { return }
        repeat { try element(&self) } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "]")) else { throw Malformed("expected ',' or ']' at byte \(index)") }
    }

    /// Reads an array of strings.
    public mutating func strings() throws -> [String] {
        var strings: [String] = []
        try array { strings.append(String(decoding: try $0.string(), as: UTF8.self)) }
        return strings
    }

    /// Reads an integer: an optional minus sign and digits, with no fraction or exponent,
    /// of a magnitude below 2^63.
    public mutating func integer() throws -> Int {
        _ = peek()
        let start = index
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        let digitsStart = negative ? index + 1 : index
        var end = digitsStart
        var magnitude = 0
        var overflow = false
        while end < bytes.count, case let digit = bytes[end] &- UInt8(ascii: "0"), digit < 10 {
            let (shifted, shiftOverflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, addOverflow) = shifted.addingReportingOverflow(Int(digit))
            overflow = overflow || shiftOverflow || addOverflow
            magnitude = next
            end += 1
        }
        guard end > digitsStart else { throw Malformed("expected an integer at byte \(start)") }
        if end < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[end]) {
            throw Malformed("expected an integer at byte \(start), found a fraction or exponent")
        }
        if overflow { throw Malformed("integer out of range at byte \(start)") }
        index = end
        return negative ? -magnitude : magnitude
    }

    /// Reads `true` or `false`.
    public mutating func bool() throws -> Bool {
        _ = peek()
        for (literal, value) in [("true", true), ("false", false)] where bytes[index...].starts(with: literal.utf8) {
            index += literal.utf8.count
            return value
        }
        throw Malformed("expected true or false at byte \(index)")
    }

    /// Reads an array of integers.
    public mutating func integers() throws -> [Int] {
        var integers: [Int] = []
        try array { integers.append(try $0.integer()) }
        return integers
    }

    /// Reads a number (JSON's grammar: sign, digits, fraction, exponent) as the nearest double.
    public mutating func number() throws -> Double {
        _ = peek()
        let start = index
        while index < bytes.count && Self.isNumberByte(bytes[index]) { index += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first),
              let value = Double(text) else {
            index = start
            throw Malformed("expected a number at byte \(start)")
        }
        return value
    }

    /// Skips a value of any kind: a string, an object or array with all it holds, or a
    /// number, true, false or null.
    public mutating func skipValue() throws {
        var depth = 0
        repeat {
            guard let byte = peek() else { throw Malformed("unexpected end of the text") }
            switch byte {
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw Malformed("expected a value at byte \(index)") }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
                index += 1
            default:
                let start = index
                while index < bytes.count && Self.isLiteralByte(bytes[index]) { index += 1 }
                if index == start { throw Malformed("unexpected '\(Unicode.Scalar(byte))' at byte \(index)") }
            }
        } while depth > 0
    }

    /// Letters, digits, signs and points: the bytes of numbers, true, false and null.
    private static func isLiteralByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    /// Digits, signs, points and exponent marks: the bytes of a number.
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    /// Skips the string at the cursor, escapes and all.
    private mutating func skipString() throws {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += byte == UInt8(ascii: "\\") ? 2 : 1
            if byte == UInt8(ascii: "\"") { return }
        }
        throw Malformed("unterminated string")
    }

    /// Reads a string, unescaped, as UTF-8.
    public mutating func string() throws -> [UInt8] {
        guard peek() == UInt8(ascii: "\"") else { throw Malformed("expected a string at byte \(index)") }
        index += 1
        var output: [UInt8] = []
        while true {
            let runStart = index
            while index < bytes.count && bytes[index] != UInt8(ascii: "\"") && bytes[index] != UInt8(ascii: "\\") {
                index += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            guard index < bytes.count else { throw Malformed("unterminated string") }
            index += 1
            if bytes[index - 1] == UInt8(ascii: "\"") { return output }
            try unescape(into: &output)
        }
    }

    /// Decodes the escape after a backslash.
    private mutating func unescape(into output: inout [UInt8]) throws {
        guard index < bytes.count else { throw Malformed("unterminated string") }
        let escaped = bytes[index]
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
            if (0xD800..<0xDC00).contains(value), index + 1 < bytes.count,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let mark = index
                index += 2
                let low = try hexCode()
                if (0xDC00..<0xE000).contains(low) {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = mark  // not a pair: the high surrogate stands alone
                }
            }
            UTF8Codec.append(Unicode.Scalar(value) ?? "\u{FFFD}", to: &output)
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
