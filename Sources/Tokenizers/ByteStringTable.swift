#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable hash table from byte strings to token ids that looks up a slice of a buffer
/// without copying it: open addressing with linear probing over keys stored in one arena.
struct ByteStringTable: Sendable {
    private struct Slot: Sendable {
        var hash: UInt32
        var id: UInt32
        var start: UInt32
        var length: UInt32
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private let mask: Int
    /// The length in bytes of the longest key: no longer slice can match.
    private(set) var longestKey = 0
    private static let empty = UInt32.max

    /// A table with room for `capacity` keys at a load factor of at most one half.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: Slot(hash: 0, id: Self.empty, start: 0, length: 0), count: size)
        mask = size - 1
    }

    /// Adds `key`; returns the id already stored for it instead if there is one.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, id: UInt32) -> UInt32? {
        let hash = Self.hash(key)
        var index = Int(hash) & mask
        while slots[index].id != Self.empty {
            if let existing = match(index, key, hash) { return existing }
            index = (index + 1) & mask
        }
        slots[index] = Slot(hash: hash, id: id, start: UInt32(arena.count), length: UInt32(key.count))
        arena.append(contentsOf: key)
        longestKey = max(longestKey, key.count)
        return nil
    }

    /// The id of the key equal to `key`, or nil.
    @inline(__always)
    func id(of key: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if key.count > longestKey { return nil }
        let hash = Self.hash(key)
        var index = Int(hash) & mask
        while slots[index].id != Self.empty {
            if let id = match(index, key, hash) { return id }
            index = (index + 1) & mask
        }
        return nil
    }

    @inline(__always)
    private func match(_ index: Int, _ key: UnsafeBufferPointer<UInt8>, _ hash: UInt32) -> UInt32? {
        let slot = slots[index]
        guard slot.hash == hash, Int(slot.length) == key.count else { return nil }
        let equal = arena.withUnsafeBufferPointer { arena in
            key.isEmpty || memcmp(arena.baseAddress! + Int(slot.start), key.baseAddress!, key.count) == 0
        }
        return equal ? slot.id : nil
    }

    /// A fast multiplicative hash over 8-byte words.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var index = 0
        let raw = UnsafeRawBufferPointer(key)
        while index + 8 <= key.count {
            state = (state ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            state ^= state >> 31
            index += 8
        }
        if index < key.count {
            var tail: UInt64 = 0
            for offset in index..<key.count { tail = tail << 8 | UInt64(key[offset]) }
            state = (state ^ tail) &* 0x94D0_49BB_1331_11EB
            state ^= state >> 29
        }
        return UInt32(truncatingIfNeeded: state >> 32 ^ state)
    }
}
