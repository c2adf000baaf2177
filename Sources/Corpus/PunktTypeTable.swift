#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers the word types of Punkt: byte strings to dense IDs, without a String per token.
///
/// ID 0 stands for "unknown" (the empty type is never stored), so that per-type arrays read
/// at index 0 give the defaults of a type the model has not seen. An open-addressing hash
/// table over one contiguous byte buffer; types of up to seven bytes, most words, are also
/// kept whole in their slot, so that finding them reads no other memory.
struct PunktTypeTable {
    /// A slot of the hash table.
    private struct Slot {
        /// The type's hash in the high 32 bits, its ID in the low ones; 0 when the slot is empty.
        var entry: UInt64
        /// The type packed by `pack`.
        var packed: UInt64
    }

    private var bytes: [UInt8] = []
    /// Where each type's bytes start in `bytes`; type `id` ends where `id + 1` starts.
    private var starts: [Int] = [0, 0]
    /// A power of two of slots, at most half of them used.
    private var slots = [Slot](repeating: Slot(entry: 0, packed: 0), count: 1024)

    /// The number of IDs, the unknown type's included.
    var count: Int { starts.count - 1 }

    /// The bytes of a type.
    func bytes(of id: Int32) -> ArraySlice<UInt8> {
        bytes[starts[Int(id)]..<starts[Int(id) + 1]]
    }

    /// The type as a string.
    func string(of id: Int32) -> String {
        String(decoding: bytes(of: id), as: UTF8.self)
    }

    /// The ID of a type, or 0 if it is not in the table.
    func id(of key: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard !key.isEmpty else { return 0 }
        return find(key, Self.hash(key), Self.pack(key)).id
    }

    /// The ID of a type, added to the table if it is new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        precondition(!key.isEmpty, "the empty type has no ID")
        let hash = Self.hash(key)
        let packed = Self.pack(key)
        var (id, slot) = find(key, hash, packed)
        if id != 0 { return id }
        id = Int32(count)
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        if count * 2 > slots.count {
            grow()
            slot = find(key, hash, packed).slot
        }
        slots[slot] = Slot(entry: UInt64(hash) << 32 | UInt64(UInt32(id)), packed: packed)
        return id
    }

    /// `id(of:)` for any bytes.
    func id<Bytes: Collection>(of key: Bytes) -> Int32 where Bytes.Element == UInt8 {
        Array(key).withUnsafeBufferPointer { id(of: $0) }
    }

    /// The key's ID and slot, or 0 and the empty slot where it would go.
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, _ hash: UInt32, _ packed: UInt64) -> (id: Int32, slot: Int) {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot].entry
                if entry == 0 { return (0, slot) }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash && slots[slot].packed == packed {
                    let id = Int32(truncatingIfNeeded: entry)
                    if key.count < 8 || matches(id, key) { return (id, slot) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether a stored type longer than seven bytes is `key`.
    private func matches(_ id: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[Int(id)]
        guard starts[Int(id) + 1] - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0 }
    }

    /// Doubles the slots, placing every type again.
    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(entry: 0, packed: 0), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.entry != 0 {
            var index = Int(slot.entry >> 32) & mask
            while slots[index].entry != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    /// A key of up to seven bytes whole, with its length in the high byte; a longer key as its
    /// first seven bytes and its length (at most 255), to be compared in full.
    @inline(__always)
    private static func pack(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var packed = UInt64(min(key.count, 0xFF)) << 56
        for offset in 0..<min(key.count, 7) { packed |= UInt64(key[offset]) << (8 * offset) }
        return packed
    }

    /// A 32-bit hash of a short byte string: eight bytes at a time, multiplied and folded.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var index = 0
        let base = UnsafeRawPointer(key.baseAddress!)
        while index + 8 <= key.count {
            state = (state ^ base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            state ^= state >> 29
            index += 8
        }
        if index < key.count {
            var tail: UInt64 = 0
            for offset in index..<key.count { tail = tail << 8 | UInt64(key[offset]) }
            state = (state ^ tail) &* 0x94D0_49BB_1331_11EB
        }
        state ^= state >> 32
        state = state &* 0xD6E8_FEB8_6659_FD93
        return UInt32(truncatingIfNeeded: state >> 32)
    }
}
