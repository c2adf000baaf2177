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
        var state = State()
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = text[index]
            guard isSpecial(byte) else {
                state.emit(byte, to: output)
                index += 1
                continue
            }
            let next = index + 1 < end ? text[index + 1] : 0
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                state.pendingSpace = true
                index += 1
            case UInt8(ascii: ","):
                state.pendingSpace = false
                state.commas += 1
                index += 1
            case UInt8(ascii: "."):
                let runEnd = ByteSearch.endOfRun(of: byte, in: UnsafeBufferPointer(rebasing: text[..<end]), from: index)
                state.flush(before: .dot, to: output)
                for _ in 0..<(runEnd - index >= 4 ? 3 : runEnd - index) { output.append(byte) }
                index = runEnd
            case UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: "]"):
                state.flush(before: .closer, to: output)
                output.append(byte)
                index += 1
            case UInt8(ascii: "("), UInt8(ascii: "["):
                state.flush(before: .other, to: output)
                output.append(byte)
                state.afterOpener = true
                index += 1
            case UInt8(ascii: "&"):
                state.flush(before: .other, to: output)
                output.append("&amp;")
                index += 1
            case UInt8(ascii: "<") where next == UInt8(ascii: "<"), 0xC2 where next == 0xAB:
                state.flush(before: .other, to: output)
                output.append("«")
                state.afterOpener = true
                index += 2
            case UInt8(ascii: ">") where next == UInt8(ascii: ">"), 0xC2 where next == 0xBB:
                state.flush(before: .closer, to: output)
                output.append("»")
                index += 2
            case UInt8(ascii: "<"):
                state.flush(before: .other, to: output)
                output.append("&lt;")
                index += 1
            case UInt8(ascii: ">"):
                state.flush(before: .other, to: output)
                output.append("&gt;")
                index += 1
            default:
                state.emit(byte, to: output)
                index += 1
            }
        }
        state.flush(before: .other, to: output)
    }

    /// Bytes that need more than copying: spaces, punctuation, HTML specials, and the lead
    /// byte of `«` and `»`.
    @inline(__always)
    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte < 64 ? (specialLow >> byte) & 1 != 0
            : byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == 0xC2
    }

    /// The bits of space, tab, `,`, `.`, `:`, `)`, `(`, `&`, `<` and `>`.
    private static let specialLow: UInt64 = 0x5400_5341_0000_0200

    /// What comes after pending spaces and commas.
    private enum Follower { case dot, closer, other }

    /// Spaces and commas seen but not yet written, which depend on what follows.
    private struct State {
        var pendingSpace = false
        var commas = 0
        /// Whether the last byte written opens (`[`, `(`, `«`), so a space after it goes.
        var afterOpener = false

        @inline(__always)
        mutating func emit(_ byte: UInt8, to output: ByteBuffer) {
            if pendingSpace || commas > 0 { flush(before: .other, to: output) }
            output.append(byte)
            afterOpener = false
        }

        /// Writes the pending commas and space before a `follower`.
        mutating func flush(before follower: Follower, to output: ByteBuffer) {
            if commas > 0 {
                let kept = (commas + 1) / 2 - (follower == .dot ? 1 : 0)
                for _ in 0..<kept { output.append(UInt8(ascii: ",")) }
                if kept > 0 { afterOpener = false }
                commas = 0
            }
            if pendingSpace {
                if follower == .other && !afterOpener { output.append(UInt8(ascii: " ")) }
                pendingSpace = false
            }
            afterOpener = false
        }
    }
}
