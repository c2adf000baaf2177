/// Makes bytes valid UTF-8 by replacing each invalid sequence (each maximal invalid
/// subpart, as Python's `errors="replace"` does) by U+FFFD.
enum UTF8Repair {
    /// `bytes` made valid, and how many replacements that took.
    static func repair(_ bytes: [UInt8]) -> (bytes: [UInt8], replacements: Int) {
        let decoded = String(decoding: bytes, as: UTF8.self)
        if decoded.utf8.count == bytes.count && decoded.utf8.elementsEqual(bytes) { return (bytes, 0) }
        var repaired: [UInt8] = []
        repaired.reserveCapacity(bytes.count + 64)
        var replacements = 0
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                repaired += encoded
            case .error:
                repaired += [0xEF, 0xBF, 0xBD]
                replacements += 1
            case .emptyInput:
                return (repaired, replacements)
            }
        }
    }
}
