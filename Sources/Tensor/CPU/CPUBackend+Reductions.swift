extension CPUBackend {
    public func sum(_ x: Tensor) -> Double {
        reduce(x) { $0 }
    }

    public func sumOfSquares(_ x: Tensor) -> Double {
        reduce(x) { $0 * $0 }
    }

    /// Σ term(x) over the elements: each block of 1024 elements summed in float vectors, the
    /// blocks' sums added in double precision in order, so the result does not depend on the
    /// thread count.
    @inline(__always)
    private func reduce(_ x: Tensor, _ term: (FloatVector) -> FloatVector) -> Double {
        let blockSize = 1024
        let blocks = (x.count + blockSize - 1) / blockSize
        let partials = scratch(blocks)
        let xPointer = x.floats
        pool.parallelFor(blocks, grain: Self.grain / blockSize) { range in
            for block in range {
                var total = FloatVector.zero
                forEachVector(in: block * blockSize ..< min((block + 1) * blockSize, x.count)) { i, lanes in
                    total += term(FloatVector(xPointer + i, lanes: lanes))
                }
                partials[block] = Double(total.sum())
            }
        }
        var sum = 0.0
        for block in 0..<blocks { sum += partials[block] }
        return sum
    }
}
