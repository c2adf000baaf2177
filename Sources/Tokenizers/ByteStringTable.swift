/// An immutable hash table from byte strings to token ids that looks up a slice of a buffer
/// in place, without copying it or allocating: open addressing with linear probing.
///
/// A slot holds the first 16 bytes of its key, so that a lookup of a key that short (almost
/// every vocabulary token) touches one slot and nothing else; longer keys end in an arena.
struct ByteStringTable: Sendable {
    private struct Slot: Sendable {
        /// The first 16 bytes of the key in memory order, zero-padded.
        var head: (UInt64, UInt64) = (0, 0)
        var id: UInt32 = ByteStringTable.emptySlot
        var length: UInt16 = 0
        /// Where the bytes after the first 16 start in the arena.
        var tailStart: UInt32 = 0
    }

    /// A key read for lookup: its head as in `Slot`, its length and its hash.
    private struct Probe {
        var head: (UInt64, UInt64)
        var length: Int
        var hash: Int
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private let mask: Int
    /// The length in bytes of the longest key: no longer slice can match.
    private(set) var longestKey = 0
    private static let emptySlot = UInt32.max
    private static let headLength = 16

    /// A table with room for `capacity` keys at a load factor of at most one half.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    /// Adds `key` (at most 65,535 bytes); returns the id already stored for it instead if there is one.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, id: UInt32) -> UInt32? {
        let probe = Self.probe(key)
        var index = probe.hash & mask
        while slots[index].id != Self.emptySlot {
            if matches(slots[index], probe, key) { return slots[index].id }
            index = (index + 1) & mask
        }
        slots[index] = Slot(head: probe.head, id: id, length: UInt16(key.count), tailStart: UInt32(arena.count))
        if key.count > Self.headLength { arena += key[Self.headLength...] }
        longestKey = max(longestKey, key.count)
        return nil
    }

    /// The id of the key equal to `key`, or nil.
    @inline(__always)
    func id(of key: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if key.count > longestKey { return nil }
        let probe = Self.probe(key)
        return slots.withUnsafeBufferPointer { slots in
            var index = probe.hash & mask
            while slots[index].id != Self.emptySlot {
                if matches(slots[index], probe, key) { return slots[index].id }
                index = (index + 1) & mask
            }
            return nil
        }
    }

    @inline(__always)
    private func matches(_ slot: Slot, _ probe: Probe, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard slot.head == probe.head, Int(slot.length) == probe.length else { return false }
        guard probe.length > Self.headLength else { return true }
        let tail = Int(slot.tailStart)
        return arena[tail..<tail + probe.length - Self.headLength].elementsEqual(key[Self.headLength...])
    }

    /// Reads the head of `key` and hashes it with its length.
    @inline(__always)
    private static func probe(_ key: UnsafeBufferPointer<UInt8>) -> Probe {
        let bytes = UnsafeRawBufferPointer(key)
        let head = bytes.count >= 8
            ? (bytes.loadUnaligned(as: UInt64.self), load(bytes, from: 8, count: min(bytes.count, headLength) - 8))
            : (load(bytes, from: 0, count: bytes.count), 0)
        var hash = (head.0 ^ UInt64(key.count) &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ hash >> 31 ^ head.1) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        return Probe(head: head, length: key.count, hash: Int(truncatingIfNeeded: hash))
    }

    /// `count` (at most 8) bytes from `start` as an integer in memory order, zero-padded,
    /// read without touching bytes outside them.
    @inline(__always)
    private static func load(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> UInt64 {
        switch count {
        case 8:
            return bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self)
        case 4...7:
            let low = UInt64(bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self).littleEndian)
            let high = UInt64(bytes.loadUnaligned(fromByteOffset: start + count - 4, as: UInt32.self).littleEndian)
            return UInt64(littleEndian: low | high << (8 * (count - 4)))
        default:
            var value: UInt64 = 0
            for offset in 0..<count { value |= UInt64(bytes[start + offset]) << (8 * offset) }
            return UInt64(littleEndian: value)
        }
    }
}
