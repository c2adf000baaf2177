#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts of byte strings (words, tokens), kept in the order each string was first seen.
///
/// The strings live back to back in one arena and are found through an open-addressing
/// index, so that counting allocates nothing per occurrence. Counters made from separate
/// chunks of a text merge into one; merging them in text order keeps the first-seen order
/// of the whole text, which is what Python's `Counter` keeps and breaks its ties by.
public struct TokenCounter: Sendable {
    /// One distinct string: where its bytes are in the arena, its length, hash and first
    /// eight bytes (so that most strings compare without a look into the arena), its count.
    private struct Entry: Sendable {
        var start: Int
        var length: Int
        var hash: UInt64
        var head: UInt64
        var count: Int
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Entry index + 1 for each slot, 0 when empty; a power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 1024)
    /// The sum of all counts.
    public private(set) var total = 0

    /// An empty counter.
    public init() {}

    /// The number of distinct strings.
    public var count: Int { entries.count }

    /// Adds `occurrences` to the count of `bytes`.
    public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, occurrences: Int = 1) {
        let head = Self.head(bytes)
        add(bytes, hash: Self.hash(bytes, head: head), head: head, occurrences: occurrences)
    }

    /// Adds every count of `other`, its new strings after this counter's in `other`'s order.
    public mutating func merge(_ other: TokenCounter) {
        other.arena.withUnsafeBufferPointer { arena in
            for entry in other.entries {
                add(UnsafeBufferPointer(rebasing: arena[entry.start..<entry.start + entry.length]),
                    hash: entry.hash, head: entry.head, occurrences: entry.count)
            }
        }
    }

    /// Adds `occurrences` to the count of `bytes`, whose hash and head are known.
    @inline(__always)
    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, head: UInt64, occurrences: Int) {
        total += occurrences
        let (found, slot) = find(bytes, hash: hash, head: head)
        if let found { return entries[found].count += occurrences }
        precondition(entries.count < Int(Int32.max), "more distinct strings than a counter holds")
        entries.append(Entry(start: arena.count, length: bytes.count, hash: hash, head: head, count: occurrences))
        arena.append(contentsOf: bytes)
        slots[slot] = Int32(entries.count)
        if entries.count * 2 > slots.count { grow() }
    }

    /// The count of the `index`-th distinct string (in first-seen order).
    public func count(at index: Int) -> Int { entries[index].count }

    /// Calls `body` with the bytes of the `index`-th distinct string.
    public func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let entry = entries[index]
        return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[entry.start..<entry.start + entry.length])) }
    }

    /// Calls `body` with every distinct string and its count, in first-seen order.
    public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        try arena.withUnsafeBufferPointer { arena in
            for entry in entries {
                try body(UnsafeBufferPointer(rebasing: arena[entry.start..<entry.start + entry.length]), entry.count)
            }
        }
    }

    /// The entry holding `bytes`, or nil and the empty slot where it would go.
    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, head: UInt64) -> (entry: Int?, slot: Int) {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBufferPointer { arena in
                    let mask = slots.count - 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while slots[slot] != 0 {
                        let index = Int(slots[slot]) - 1
                        let entry = entries[index]
                        if entry.hash == hash && entry.head == head && entry.length == bytes.count
                            && (entry.length <= 8 || memcmp(arena.baseAddress! + entry.start + 8, bytes.baseAddress! + 8, entry.length - 8) == 0) {
                            return (index, slot)
                        }
                        slot = (slot + 1) & mask
                    }
                    return (nil, slot)
                }
            }
        }
    }

    /// Doubles the index and puts every entry back in it.
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    /// The first eight bytes of `bytes` in memory order, zero-padded, read without touching
    /// bytes beyond them.
    @inline(__always)
    private static func head(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        switch raw.count {
        case 8...:
            return raw.loadUnaligned(as: UInt64.self)
        case 4...7:
            let low = UInt64(raw.loadUnaligned(as: UInt32.self).littleEndian)
            let high = UInt64(raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self).littleEndian)
            return UInt64(littleEndian: low | high << (8 * UInt64(raw.count - 4)))
        default:
            var value: UInt64 = 0
            for (offset, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(offset)) }
            return UInt64(littleEndian: value)
        }
    }

    /// A 64-bit hash of `bytes`, whose head is `head`: eight bytes at a time, the last word
    /// overlapping the one before it, each mixed in by multiplication.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, head: UInt64) -> UInt64 {
        var hash = (0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count) ^ head) &* 0xBF58_476D_1CE4_E5B9
        if bytes.count > 8 {
            let raw = UnsafeRawBufferPointer(bytes)
            var offset = 8
            while offset + 8 <= raw.count {
                hash = (hash ^ hash >> 29 ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                offset += 8
            }
            if offset < raw.count {
                hash = (hash ^ hash >> 29 ^ raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
            }
        }
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        return hash ^ (hash >> 32)
    }
}
