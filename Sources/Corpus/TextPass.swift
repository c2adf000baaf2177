/// One step of the cleaner: rewrites the whole text, or reports that it leaves it unchanged.
protocol TextPass {
    /// Writes the transformed `text` into `output` (empty on entry) and returns true, or
    /// returns false, with `output` in any state, when the pass changes nothing.
    func apply(to text: UnsafeBufferPointer<UInt8>, writingTo output: ByteBuffer) -> Bool
}
