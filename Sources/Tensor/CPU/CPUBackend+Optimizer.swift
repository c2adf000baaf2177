extension CPUBackend {
    // Shapes: parameters, gradients, firstMoments, secondMoments [N]; segments within 0..<N.

    public func adamW(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
                      firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment]) {
        let chunks = Self.chunks(of: segments, [parameters, gradients, firstMoments, secondMoments], "adamW")
        let (p, g) = (parameters.floats, gradients.floats)
        let moments = MomentUpdate(step, first: firstMoments.floats, second: secondMoments.floats)
        let learningRate = step.learningRate, decayed = 1 - step.learningRate * step.weightDecay
        pool.parallelFor(chunks.count) { range in
            for chunk in chunks[range] {
                let decay = segments[chunk.segment].decays ? decayed : 1
                for (i, lanes) in Vectors(chunk.elements) {
                    let direction = moments.direction(at: i, lanes: lanes, gradient: FloatVector(g + i, lanes: lanes))
                    (FloatVector(p + i, lanes: lanes) * decay - learningRate * direction).store(to: p + i, lanes: lanes)
                }
            }
        }
    }

    public func lamb(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
                     firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment]) {
        let chunks = Self.chunks(of: segments, [parameters, gradients, firstMoments, secondMoments], "lamb")
        let (p, u) = (parameters.floats, gradients.floats)
        let moments = MomentUpdate(step, first: firstMoments.floats, second: secondMoments.floats)
        let weightDecay = step.weightDecay
        // The moments and the update, written over the gradients, with each chunk's sums of p²
        // and u²: blocks of 1024 elements summed in float vectors, the blocks in double.
        let squares = scratch(2 * chunks.count)
        pool.parallelFor(chunks.count) { range in
            for index in range {
                let chunk = chunks[index]
                let decay = segments[chunk.segment].decays ? weightDecay : 0
                var parameterSquares = 0.0, updateSquares = 0.0
                for block in stride(from: chunk.elements.lowerBound, to: chunk.elements.upperBound, by: 1024) {
                    var blockParameters = FloatVector.zero, blockUpdates = FloatVector.zero
                    for (i, lanes) in Vectors(block ..< min(block + 1024, chunk.elements.upperBound)) {
                        let pv = FloatVector(p + i, lanes: lanes)
                        let update = moments.direction(at: i, lanes: lanes, gradient: FloatVector(u + i, lanes: lanes)) + decay * pv
                        update.store(to: u + i, lanes: lanes)
                        blockParameters += pv * pv
                        // Padding lanes: 0/ε = 0, but NaN with ε = 0.
                        blockUpdates += (update * update).padded(after: lanes)
                    }
                    parameterSquares += Double(blockParameters.sum())
                    updateSquares += Double(blockUpdates.sum())
                }
                squares[2 * index] = parameterSquares
                squares[2 * index + 1] = updateSquares
            }
        }
        // Each segment's rate lr·r, its chunks' sums added in order.
        var norms = [(parameters: Double, update: Double)](repeating: (0, 0), count: segments.count)
        for (index, chunk) in chunks.enumerated() {
            norms[chunk.segment].parameters += squares[2 * index]
            norms[chunk.segment].update += squares[2 * index + 1]
        }
        let rates = segments.indices.map { s -> Float in
            let (parameterSquares, updateSquares) = norms[s]
            let adapts = segments[s].decays && weightDecay != 0 && parameterSquares != 0 && updateSquares != 0
            return adapts ? Float(Double(step.learningRate) * (parameterSquares / updateSquares).squareRoot()) : step.learningRate
        }
        pool.parallelFor(chunks.count) { range in
            for chunk in chunks[range] {
                let rate = rates[chunk.segment]
                for (i, lanes) in Vectors(chunk.elements) {
                    (FloatVector(p + i, lanes: lanes) - rate * FloatVector(u + i, lanes: lanes)).store(to: p + i, lanes: lanes)
                }
            }
        }
    }

    /// The segments cut into runs of at most `grain` elements, in order: the units the
    /// optimizer steps share between threads, and over which LAMB's partial norms are summed
    /// (so that the sums do not depend on the thread count). Checks that the segments lie in
    /// order within the buffers, which must have equal counts.
    private static func chunks(of segments: [ParameterSegment], _ buffers: [Tensor], _ role: StaticString) -> [SegmentChunk] {
        let count = buffers[0].count
        for buffer in buffers { expectCount(buffer, count, role) }
        var chunks: [SegmentChunk] = []
        var end = 0
        for (index, segment) in segments.enumerated() {
            precondition(segment.offset >= end && segment.elements.upperBound <= count,
                         "\(role): segment \(index) \(segment.elements) overlaps the one before or exceeds \(count) elements")
            for start in stride(from: segment.offset, to: segment.elements.upperBound, by: grain) {
                chunks.append(SegmentChunk(segment: index, elements: start ..< min(start + grain, segment.elements.upperBound)))
            }
            end = segment.elements.upperBound
        }
        return chunks
    }
}

/// A run of elements of one segment, handed to one thread.
private struct SegmentChunk {
    let segment: Int
    let elements: Range<Int>
}

/// The Adam moment update of `AdamStep`, a vector at a time, over the flat moment buffers.
private struct MomentUpdate {
    let first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>
    let beta1: Float, beta2: Float, epsilon: Float, gradientScale: Float
    /// 1 − β1 and 1 − β2, rounded from double.
    let firstWeight: Float, secondWeight: Float
    /// 1/c1 and 1/c2.
    let firstFactor: Float, secondFactor: Float

    init(_ step: AdamStep, first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>) {
        (self.first, self.second) = (first, second)
        (beta1, beta2, epsilon, gradientScale) = (Float(step.beta1), Float(step.beta2), step.epsilon, step.gradientScale)
        (firstWeight, secondWeight) = (Float(1 - step.beta1), Float(1 - step.beta2))
        (firstFactor, secondFactor) = (1 / step.firstCorrection, 1 / step.secondCorrection)
    }

    /// Updates the moments of the elements at `i` with their gradient and returns Adam's
    /// direction (m / c1) / (√(v / c2) + ε) there. (For a subnormal v / c2, below 1.2e-38, the
    /// root may fall short by up to 1.1e-19: beside an ε ≥ 1e-12, below float rounding.)
    @inline(__always)
    func direction(at i: Int, lanes: Int, gradient: FloatVector) -> FloatVector {
        let g = gradient * gradientScale
        let m = beta1 * FloatVector(first + i, lanes: lanes) + firstWeight * g
        let v = beta2 * FloatVector(second + i, lanes: lanes) + secondWeight * (g * g)
        m.store(to: first + i, lanes: lanes)
        v.store(to: second + i, lanes: lanes)
        return m * firstFactor / (VectorMath.squareRoot(v * secondFactor) + epsilon)
    }
}
