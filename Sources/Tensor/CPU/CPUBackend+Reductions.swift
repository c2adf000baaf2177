extension CPUBackend {
    public func sum(_ x: Tensor) -> Double {
        reduce(x, Lanes.Identity())
    }

    public func sumOfSquares(_ x: Tensor) -> Double {
        reduce(x, Lanes.Square())
    }

    /// Σ term(x) over the elements: each block of 1024 elements summed in float vectors, the
    /// blocks' sums added in double precision in order, so the result does not depend on the
    /// thread count.
    private func reduce<F: UnaryLaneFunction>(_ x: Tensor, _ term: F) -> Double {
        let blockSize = 1024
        let blocks = (x.count + blockSize - 1) / blockSize
        let partials = scratch(blocks)
        let xPointer = x.floats
        pool.parallelFor(blocks, grain: Self.grain / blockSize) { range in
            for block in range {
                var total = FloatVector.zero
                for (i, lanes) in Vectors(block * blockSize ..< min((block + 1) * blockSize, x.count)) {
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
