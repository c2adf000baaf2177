/// A seeded pseudo-random generator (xoshiro256**), one per purpose, so that runs repeat.
///
/// The state is four 64-bit words, set from the seed with SplitMix64 as the xoshiro authors
/// recommend; `state` can be saved and restored to resume a sequence exactly.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The generator's whole state.
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// Makes a generator from a seed; equal seeds give equal sequences.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}

extension SeededGenerator {
    /// A uniform double in [0, 1) from the top 53 bits of the next value, as Python's
    /// `random.random()` draws.
    @inline(__always)
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
