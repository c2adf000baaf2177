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
    /// One distinct string: where its bytes are in the arena, its hash and its count.
    private struct Entry: Sendable {
        var start: Int
        var length: Int
        var hash: UInt64
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
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if entries[index].hash == hash && equals(entries[index], bytes) {
                entries[index].count += occurrences
                total += occurrences
                return
            }
            slot = (slot + 1) & mask
        }
        precondition(entries.count < Int(Int32.max), "more distinct strings than a counter holds")
        entries.append(Entry(start: arena.count, length: bytes.count, hash: hash, count: occurrences))
        arena.append(contentsOf: bytes)
        slots[slot] = Int32(entries.count)
        total += occurrences
        if entries.count * 2 > slots.count { grow() }
    }

    /// Adds every count of `other`, its new strings after this counter's in `other`'s order.
    public mutating func merge(_ other: TokenCounter) {
        other.arena.withUnsafeBufferPointer { arena in
            for entry in other.entries {
                add(UnsafeBufferPointer(rebasing: arena[entry.start..<entry.start + entry.length]), occurrences: entry.count)
            }
        }
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

    private func equals(_ entry: Entry, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard entry.length == bytes.count else { return false }
        guard let base = bytes.baseAddress else { return true }
        return arena.withUnsafeBufferPointer { arena in
            memcmp(arena.baseAddress! + entry.start, base, entry.length) == 0
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

    /// A 64-bit hash of `bytes`, eight bytes at a time, each word mixed in by multiplication.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for (shift, byte) in zip(stride(from: 0, to: 64, by: 8), bytes[offset...]) { tail |= UInt64(byte) << UInt64(shift) }
            hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        }
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        return hash ^ (hash >> 32)
    }
}
