/// WikiExtractor's final tidying of the text, one line at a time, in a single sweep:
///
/// - `<<` and `>>` become `«` and `»`;
/// - tabs become spaces and runs of spaces one space;
/// - runs of four dots or more become `...`;
/// - spaces go before `, : . ) ] »` and after `[ ( «`;
/// - `,,` becomes `,` and then `,.` becomes `.` (so `,,,,` gives `,,`);
/// - `&`, `<` and `>` are escaped as HTML (WikiExtractor's `html_safe` output).
enum LineTidier {
    /// Appends the tidied `text[range]`, a line without its newline, to `output`.
    static func append(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to output: ByteBuffer) {
        // Nothing grows more than `&` does, into `&amp;`.
        output.appendUnchecked(maxCount: 5 * range.count + 1) { start in
            specialBytes.withUnsafeBufferPointer { special in
                var writer = Writer(start: start)
                var index = range.lowerBound
                let end = range.upperBound
                while index < end {
                    let byte = text[index]
                    if special[Int(byte)] == 0 {
                        // Copy a run of ordinary bytes, with the single spaces between them.
                        writer.flush(before: .other)
                        repeat {
                            writer.position.pointee = text[index]
                            writer.position += 1
                            index += 1
                        } while index < end && (special[Int(text[index])] == 0
                            || (text[index] == UInt8(ascii: " ") && index + 1 < end && special[Int(text[index + 1])] == 0))
                        writer.afterOpener = false
                        continue
                    }
                    let next = index + 1 < end ? text[index + 1] : 0
                    switch byte {
                    case UInt8(ascii: " "), UInt8(ascii: "\t"):
                        writer.pendingSpace = true
                        index += 1
                    case UInt8(ascii: ","):
                        writer.pendingSpace = false
                        writer.commas += 1
                        index += 1
                    case UInt8(ascii: "."):
                        var runEnd = index + 1
                        while runEnd < end && text[runEnd] == byte { runEnd += 1 }
                        writer.flush(before: .dot)
                        for _ in 0..<(runEnd - index >= 4 ? 3 : runEnd - index) { writer.write(byte) }
                        index = runEnd
                    case UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: "]"):
                        writer.flush(before: .closer)
                        writer.write(byte)
                        index += 1
                    case UInt8(ascii: "("), UInt8(ascii: "["):
                        writer.flush(before: .other)
                        writer.write(byte)
                        writer.afterOpener = true
                        index += 1
                    case UInt8(ascii: "<") where next == UInt8(ascii: "<"), 0xC2 where next == 0xAB:
                        writer.flush(before: .other)
                        writer.write("«")
                        writer.afterOpener = true
                        index += 2
                    case UInt8(ascii: ">") where next == UInt8(ascii: ">"), 0xC2 where next == 0xBB:
                        writer.flush(before: .closer)
                        writer.write("»")
                        index += 2
                    case UInt8(ascii: "&"):
                        writer.flush(before: .other)
                        writer.write("&amp;")
                        index += 1
                    case UInt8(ascii: "<"):
                        writer.flush(before: .other)
                        writer.write("&lt;")
                        index += 1
                    case UInt8(ascii: ">"):
                        writer.flush(before: .other)
                        writer.write("&gt;")
                        index += 1
                    default:
                        writer.flush(before: .other)
                        writer.write(byte)
                        index += 1
                    }
                }
                writer.flush(before: .other)
                return start.distance(to: writer.position)
            }
        }
    }

    /// Nonzero for the bytes that need more than copying: spaces, punctuation, HTML
    /// specials, and the lead byte of `«` and `»`.
    private static let specialBytes: [UInt8] = (0...255).map { byte in
        " \t,.:)(&<>[]".utf8.contains(UInt8(byte)) || byte == 0xC2 ? 1 : 0
    }

    /// What comes after pending spaces and commas.
    private enum Follower { case dot, closer, other }

    /// Writes the tidied line, holding back the spaces and commas that depend on what follows.
    private struct Writer {
        var position: UnsafeMutablePointer<UInt8>
        var pendingSpace = false
        var commas = 0
        /// Whether the last byte written opens (`[`, `(`, `«`), so a space after it goes.
        var afterOpener = false

        init(start: UnsafeMutablePointer<UInt8>) { position = start }

        @inline(__always)
        mutating func write(_ byte: UInt8) {
            position.pointee = byte
            position += 1
            afterOpener = false
        }

        @inline(__always)
        mutating func write(_ literal: StaticString) {
            position.update(from: literal.utf8Start, count: literal.utf8CodeUnitCount)
            position += literal.utf8CodeUnitCount
            afterOpener = false
        }

        /// Writes the pending commas and space before a `follower`.
        @inline(__always)
        mutating func flush(before follower: Follower) {
            guard pendingSpace || commas > 0 else { return }
            if commas > 0 {
                let kept = (commas + 1) / 2 - (follower == .dot ? 1 : 0)
                for _ in 0..<kept { write(UInt8(ascii: ",")) }
                commas = 0
            }
            if pendingSpace && follower == .other && !afterOpener { write(UInt8(ascii: " ")) }
            pendingSpace = false
        }
    }
}
