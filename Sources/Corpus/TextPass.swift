/// One step of the cleaner: rewrites the whole text, or reports that it leaves it unchanged.
protocol TextPass {
    /// Writes the transformed `text` into `output` (empty on entry) and returns true, or
    /// returns false, with `output` in any state, when the pass changes nothing.
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool
}

/// The text between passes, in one buffer, with a spare buffer for the next pass to write.
struct PassChain {
    private(set) var text: ByteBuffer
    private var spare: ByteBuffer

    init(_ bytes: [UInt8]) {
        text = ByteBuffer(capacity: bytes.count + bytes.count / 8)
        spare = ByteBuffer(capacity: bytes.count + bytes.count / 8)
        bytes.withUnsafeBufferPointer { text.append($0) }
    }

    /// Runs `pass` on the current text.
    mutating func apply<Pass: TextPass>(_ pass: Pass) {
        spare.removeAll()
        if pass.apply(to: text.bytes, writingTo: spare) { swap(&text, &spare) }
    }
}

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
