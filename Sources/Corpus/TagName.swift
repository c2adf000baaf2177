/// A tag name, lowercased, packed for quick comparison (names of up to 16 ASCII bytes).
struct TagName: Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ name: StaticString) {
        self.init(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))!
    }

    /// The name in `bytes`, or nil when it is too long to be one of the cleaner's tags.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 16 else { return nil }
        for (offset, byte) in bytes.enumerated() {
            let value = UInt64(ByteSearch.lowercased(byte)) << (8 * UInt64(offset % 8))
            if offset < 8 { low |= value } else { high |= value }
        }
    }
}
