/// Copies a text into an output buffer with ranges replaced, visited in increasing order.
///
/// Passes call `replace` for each range they change and append the replacement to `output`
/// themselves; `finish` copies the rest and says whether anything changed.
struct TextRewriter {
    let text: UnsafeBufferPointer<UInt8>
    let output: ByteBuffer
    /// How much of the text has been copied or replaced.
    private(set) var consumed = 0
    private var changed = false

    init(_ text: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) {
        self.text = text
        self.output = output
    }

    /// Copies the text up to `range` and skips `range`: the caller appends its replacement.
    @inline(__always)
    mutating func replace(_ range: Range<Int>) {
        output.append(text, consumed..<range.lowerBound)
        consumed = range.upperBound
        changed = true
    }

    /// Copies the rest of the text; returns whether anything was replaced.
    mutating func finish() -> Bool {
        guard changed else { return false }
        output.append(text, consumed..<text.count)
        consumed = text.count
        return true
    }
}
