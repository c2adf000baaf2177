extension CPUBackend {
    // Shapes: x, y, dy, dx [R, K] (R = B × rows per batch entry); mask [B, K].

    public func softmax(_ x: Tensor, scale: Float, mask: Tensor?, into y: Tensor) {
        let (rows, columns, rowsPerMaskRow) = OperandChecks.softmax(x, mask: mask, y: y)
        let (xPointer, yPointer, maskPointer) = (x.floats, y.floats, mask?.floats)
        pool.parallelFor(rows, grain: Self.rowGrain(columns)) { range in
            for row in range {
                let input = xPointer + row * columns, output = yPointer + row * columns
                let additive = maskPointer.map { $0 + row / rowsPerMaskRow * columns }
                // The scaled, masked scores go to y; then their exponentials; then y is normalised.
                var largest = FloatVector(repeating: -.infinity)
                for (c, lanes) in Vectors(0..<columns) {
                    var score = FloatVector(input + c, lanes: lanes) * scale
                    if let additive { score += FloatVector(additive + c, lanes: lanes) }
                    score.store(to: output + c, lanes: lanes)
                    largest = largest.lanewiseMaximum(score.padded(after: lanes, with: -.infinity))
                }
                let maximum = largest.max()
                var sum = FloatVector.zero
                for (c, lanes) in Vectors(0..<columns) {
                    let exponential = VectorMath.exp(FloatVector(output + c, lanes: lanes) - maximum).padded(after: lanes)
                    exponential.store(to: output + c, lanes: lanes)
                    sum += exponential
                }
                let inverse = 1 / sum.sum()
                for (c, lanes) in Vectors(0..<columns) {
                    (FloatVector(output + c, lanes: lanes) * inverse).store(to: output + c, lanes: lanes)
                }
            }
        }
    }

    public func softmaxBackward(dy: Tensor, y: Tensor, scale: Float, into dx: Tensor) {
        let (rows, columns) = OperandChecks.softmaxBackward(dy: dy, y: y, dx: dx)
        let (dyPointer, yPointer, dxPointer) = (dy.floats, y.floats, dx.floats)
        pool.parallelFor(rows, grain: Self.rowGrain(columns)) { range in
            for row in range {
                let offset = row * columns
                var dot = FloatVector.zero
                for (c, lanes) in Vectors(offset ..< offset + columns) {
                    dot += FloatVector(dyPointer + c, lanes: lanes) * FloatVector(yPointer + c, lanes: lanes)
                }
                let total = dot.sum()
                for (c, lanes) in Vectors(offset ..< offset + columns) {
                    let probability = FloatVector(yPointer + c, lanes: lanes)
                    (scale * probability * (FloatVector(dyPointer + c, lanes: lanes) - total)).store(to: dxPointer + c, lanes: lanes)
                }
            }
        }
    }
}
