/// Finds the `>` ending a tag's attributes, skipping quoted values, and remembers the last
/// scan: a scan that met no quote ends where any later scan starting inside it ends, so a
/// sweep over many tags left open stays linear.
struct AttributeScanCache {
    private var scanStart = Int.max
    private var scanEnd: Int?
    private var reusable = false

    /// The index of the `>` that ends attributes starting at `start`, or nil when none does.
    mutating func end(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        if reusable && start >= scanStart && start <= scanEnd ?? text.count { return scanEnd }
        scanStart = start
        reusable = true
        var index = start
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: ">") {
                scanEnd = index
                return index
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                reusable = false
                if let closingQuote = ByteSearch.index(of: byte, in: text, from: index + 1) {
                    index = closingQuote + 1
                    continue
                }
            }
            index += 1
        }
        scanEnd = nil
        return nil
    }
}
