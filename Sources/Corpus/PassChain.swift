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
