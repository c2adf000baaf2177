#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers the word types of Punkt: byte strings to dense IDs, without a String per token.
///
/// ID 0 stands for "unknown" (the empty type is never stored), so that per-type arrays read
/// at index 0 give the defaults of a type the model has not seen. An open-addressing hash
/// table over one contiguous byte buffer.
struct PunktTypeTable {
    private var bytes: [UInt8] = []
    /// Where each type's bytes start in `bytes`; type `id` ends where `id + 1` starts.
    private var starts: [Int] = [0, 0]
    /// Slots of type IDs (0: empty), a power of two long.
    private var slots = [Int32](repeating: 0, count: 1024)
    private var hashes: [UInt32] = [0]

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
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let id = slots[slot]
            if id == 0 || matches(id, key, hash) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The ID of a type, added to the table if it is new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        precondition(!key.isEmpty, "the empty type has no ID")
        let hash = Self.hash(key)
        var mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let id = slots[slot]
            if id == 0 { break }
            if matches(id, key, hash) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        hashes.append(hash)
        if count * 2 > slots.count {
            grow()
            mask = slots.count - 1
            slot = Int(hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
        }
        slots[slot] = id
        return id
    }

    /// `insert` for a byte array.
    mutating func insert<Bytes: Collection>(_ key: Bytes) -> Int32 where Bytes.Element == UInt8 {
        Array(key).withUnsafeBufferPointer { insert($0) }
    }

    /// `id(of:)` for a byte array.
    func id<Bytes: Collection>(of key: Bytes) -> Int32 where Bytes.Element == UInt8 {
        Array(key).withUnsafeBufferPointer { id(of: $0) }
    }

    @inline(__always)
    private func matches(_ id: Int32, _ key: UnsafeBufferPointer<UInt8>, _ hash: UInt32) -> Bool {
        guard hashes[Int(id)] == hash else { return false }
        let start = starts[Int(id)]
        guard starts[Int(id) + 1] - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in 1..<Int32(count) {
            var slot = Int(hashes[Int(id)]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = id
        }
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
