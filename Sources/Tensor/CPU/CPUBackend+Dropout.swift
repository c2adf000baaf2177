import Support

extension CPUBackend {
    // Shapes: x, y, dy, dx, mask (int8) [any, equal counts].

    public func dropout(_ x: Tensor, probability: Float, generator: inout SeededGenerator,
                        mask: Tensor, into y: Tensor) {
        OperandChecks.dropout(x, probability: probability, mask: mask, y: y)
        let seed = generator.next()
        let (low, high) = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        let threshold = UInt32(min(Double(probability) * 4_294_967_296, 4_294_967_295))
        // AVX2 compares signed lanes only (an unsigned comparison goes lane by lane): with the
        // sign bits flipped, unsigned order is signed order.
        let signedThreshold = SIMD16<Int32>(repeating: Int32(bitPattern: threshold ^ 0x8000_0000))
        let scale = 1 / (1 - probability)
        let (xPointer, yPointer) = (x.floats, y.floats)
        let maskPointer = mask.address.assumingMemoryBound(to: Int8.self)
        let laneNumbers = SIMD16<UInt32>(truncatingIfNeeded: FloatVector.laneNumbers)
        pool.parallelForVectors(x.count) { range in
            for (i, lanes) in Vectors(range) {
                // A counter-based draw: element i keeps its value when hash(seed, i) ≥ p · 2^32.
                let index = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: i)) &+ laneNumbers
                let h = Self.mix(Self.mix(index &* 0x9E37_79B9 ^ low) ^ high)
                let keep = unsafeBitCast(h ^ 0x8000_0000, to: SIMD16<Int32>.self) .>= signedThreshold
                let kept = FloatVector(xPointer + i, lanes: lanes).replacing(with: 0, where: .!keep) * scale
                kept.store(to: yPointer + i, lanes: lanes)
                SIMD16<Int8>(truncatingIfNeeded: SIMD16<Int32>.zero.replacing(with: 1, where: keep))
                    .store(to: maskPointer + i, lanes: lanes)
            }
        }
    }

    public func dropoutBackward(dy: Tensor, mask: Tensor, probability: Float, into dx: Tensor) {
        OperandChecks.dropoutBackward(dy: dy, mask: mask, dx: dx)
        let scale = 1 / (1 - probability)
        let (dyPointer, dxPointer) = (dy.floats, dx.floats)
        let maskPointer = mask.address.assumingMemoryBound(to: Int8.self)
        pool.parallelForVectors(dy.count) { range in
            for (i, lanes) in Vectors(range) {
                let flags = SIMD16<Int32>(truncatingIfNeeded: SIMD16<Int8>(maskPointer + i, lanes: lanes))
                (FloatVector(dyPointer + i, lanes: lanes).replacing(with: 0, where: flags .== .zero) * scale)
                    .store(to: dxPointer + i, lanes: lanes)
            }
        }
    }

    /// The 32-bit finaliser of MurmurHash3: every input bit affects every output bit.
    @inline(__always)
    private static func mix(_ value: SIMD16<UInt32>) -> SIMD16<UInt32> {
        var h = value
        h ^= h &>> 16
        h &*= 0x85EB_CA6B
        h ^= h &>> 13
        h &*= 0xC2B2_AE35
        return h ^ (h &>> 16)
    }
}
