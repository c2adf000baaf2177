/// Turns a byte stream in UTF-8, or UTF-16 with a byte-order mark, into valid UTF-8, chunk
/// by chunk, replacing every invalid sequence by U+FFFD and counting the replacements.
///
/// Invalid sequences are replaced by maximal subparts, as Unicode recommends and Python's
/// `errors="replace"` does. Sequences split across chunk boundaries are carried over to the
/// next chunk.
public struct UTF8Sanitizer: Sendable {
    /// The input's encoding, found from its byte-order mark.
    public enum Encoding: Sendable { case undetermined, utf8, utf16LittleEndian, utf16BigEndian }

    public private(set) var encoding: Encoding
    /// How many invalid sequences were replaced so far.
    public private(set) var replacements = 0
    /// The input byte offset of the first replacement.
    public private(set) var firstReplacementOffset: Int?
    private var carry: [UInt8] = []
    private var inputOffset = 0
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// - Parameter detectEncoding: look for a byte-order mark (UTF-16 or UTF-8) at the
    ///   start; when false the input is UTF-8 and a leading byte-order mark is kept.
    public init(detectEncoding: Bool = true) {
        encoding = detectEncoding ? .undetermined : .utf8
    }

    /// Converts the next chunk; `final` flushes an incomplete trailing sequence.
    public mutating func convert(_ chunk: [UInt8], final: Bool = false) -> [UInt8] {
        var bytes = carry
        bytes.append(contentsOf: chunk)
        carry.removeAll()
        if encoding == .undetermined {
            if bytes.count < 3 && !final { carry = bytes; return [] }
            if bytes.starts(with: [0xFF, 0xFE]) { encoding = .utf16LittleEndian; bytes.removeFirst(2); inputOffset = 2 }
            else if bytes.starts(with: [0xFE, 0xFF]) { encoding = .utf16BigEndian; bytes.removeFirst(2); inputOffset = 2 }
            else if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8; bytes.removeFirst(3); inputOffset = 3 }
            else { encoding = .utf8 }
        }
        switch encoding {
        case .utf16LittleEndian: return transcodeUTF16(bytes, littleEndian: true, final: final)
        case .utf16BigEndian: return transcodeUTF16(bytes, littleEndian: false, final: final)
        default: return validateUTF8(bytes, final: final)
        }
    }

    private mutating func noteReplacement(at offset: Int) {
        replacements += 1
        if firstReplacementOffset == nil { firstReplacementOffset = offset }
    }

    private mutating func validateUTF8(_ bytes: [UInt8], final: Bool) -> [UInt8] {
        var output: [UInt8] = []
        var start = 0  // start of the valid run not yet copied
        var index = 0
        let count = bytes.count
        bytes.withUnsafeBufferPointer { buffer in
            while index < count {
                // Fast path: eight ASCII bytes at a time.
                while index + 8 <= count {
                    let word = UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    index += 8
                }
                guard index < count else { break }
                let lead = buffer[index]
                if lead < 0x80 { index += 1; continue }
                let length: Int
                var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; upper = 0x9F
                case 0xF0: length = 4; lower = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; upper = 0x8F
                default: length = 0
                }
                var valid = length > 0
                var seen = 1
                if valid {
                    while seen < length {
                        if index + seen >= count {
                            if !final {
                                // Incomplete at the chunk's end: keep for the next chunk.
                                output.append(contentsOf: buffer[start..<index])
                                carry = Array(buffer[index...])
                                inputOffset += index
                                start = count
                                index = count
                                return
                            }
                            valid = false
                            break
                        }
                        let byte = buffer[index + seen]
                        let (low, high) = seen == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                        if byte < low || byte > high { valid = false; break }
                        seen += 1
                    }
                }
                if valid {
                    index += length
                } else {
                    output.append(contentsOf: buffer[start..<index])
                    output.append(contentsOf: Self.replacement)
                    noteReplacement(at: inputOffset + index)
                    index += max(1, seen)
                    start = index
                }
            }
            if start == 0 && output.isEmpty {
                output = bytes
            } else if start < count {
                output.append(contentsOf: buffer[start..<count])
            }
            inputOffset += count
        }
        return output
    }

    private mutating func transcodeUTF16(_ bytes: [UInt8], littleEndian: Bool, final: Bool) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        func unit(_ at: Int) -> UInt32 {
            littleEndian ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1])
        }
        while index + 1 < bytes.count {
            let first = unit(index)
            if first >= 0xD800 && first < 0xDC00 {
                if index + 3 >= bytes.count && !final { break }
                if index + 3 < bytes.count {
                    let second = unit(index + 2)
                    if second >= 0xDC00 && second < 0xE000 {
                        UTF8Codec.append(Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!, to: &output)
                        index += 4
                        continue
                    }
                }
                output.append(contentsOf: Self.replacement)
                noteReplacement(at: inputOffset + index)
                index += 2
            } else if first >= 0xDC00 && first < 0xE000 {
                output.append(contentsOf: Self.replacement)
                noteReplacement(at: inputOffset + index)
                index += 2
            } else {
                UTF8Codec.append(Unicode.Scalar(first)!, to: &output)
                index += 2
            }
        }
        if index < bytes.count {
            if final {
                output.append(contentsOf: Self.replacement)
                noteReplacement(at: inputOffset + index)
            } else {
                carry = Array(bytes[index...])
            }
        }
        inputOffset += index
        return output
    }
}
