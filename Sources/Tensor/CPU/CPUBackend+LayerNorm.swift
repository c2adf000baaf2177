extension CPUBackend {
    // Shapes: x, y, dy, dx [N, C]; gamma, beta, dGamma, dBeta [C]; mean, rstd [N].

    public func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                          into y: Tensor, mean: Tensor, rstd: Tensor) {
        let (rows, columns) = OperandChecks.layerNorm(x, gamma: gamma, beta: beta, y: y, mean: mean, rstd: rstd)
        let (xPointer, yPointer, g, b) = (x.floats, y.floats, gamma.floats, beta.floats)
        let (meanPointer, rstdPointer) = (mean.floats, rstd.floats)
        let count = Float(columns)
        pool.parallelFor(rows, grain: Self.rowGrain(columns)) { range in
            for row in range {
                let input = xPointer + row * columns, output = yPointer + row * columns
                var sum = FloatVector.zero
                for (c, lanes) in Vectors(0..<columns) { sum += FloatVector(input + c, lanes: lanes) }
                let average = sum.sum() / count
                var squares = FloatVector.zero
                for (c, lanes) in Vectors(0..<columns) {
                    // Padding lanes hold the mean so that they add nothing.
                    let centred = FloatVector(input + c, lanes: lanes, padding: average) - average
                    squares += centred * centred
                }
                let inverse = 1 / (squares.sum() / count + epsilon).squareRoot()
                for (c, lanes) in Vectors(0..<columns) {
                    let normal = (FloatVector(input + c, lanes: lanes) - average) * inverse
                    (normal * FloatVector(g + c, lanes: lanes) + FloatVector(b + c, lanes: lanes)).store(to: output + c, lanes: lanes)
                }
                meanPointer[row] = average
                rstdPointer[row] = inverse
            }
        }
    }

    public func layerNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, rstd: Tensor,
                                  into dx: Tensor, dGamma: Tensor, dBeta: Tensor) {
        let (rows, columns) = OperandChecks.layerNormBackward(dy: dy, x: x, gamma: gamma, mean: mean, rstd: rstd, dx: dx,
                                                              dGamma: dGamma, dBeta: dBeta)
        let (dyPointer, xPointer, g, dxPointer) = (dy.floats, x.floats, gamma.floats, dx.floats)
        let (meanPointer, rstdPointer) = (mean.floats, rstd.floats)
        // The parameter gradients first, so that dx may overwrite dy.
        accumulateBiasGradient(dy, into: dBeta)
        accumulateColumnSums(rows: rows, columns: columns, into: dGamma.floats,
                             NormalTimesGradient(x: xPointer, dy: dyPointer, mean: meanPointer, rstd: rstdPointer, columns: columns))
        let count = Float(columns)
        pool.parallelFor(rows, grain: Self.rowGrain(columns)) { range in
            for row in range {
                let input = xPointer + row * columns, gradient = dyPointer + row * columns
                let (average, inverse) = (meanPointer[row], rstdPointer[row])
                // dx = rstd · (dŷ − mean(dŷ) − x̂ · mean(dŷ · x̂)) with dŷ = dy · gamma.
                var sum = FloatVector.zero, sumTimesNormal = FloatVector.zero
                for (c, lanes) in Vectors(0..<columns) {
                    let dNormal = FloatVector(gradient + c, lanes: lanes) * FloatVector(g + c, lanes: lanes)
                    sum += dNormal
                    sumTimesNormal += dNormal * ((FloatVector(input + c, lanes: lanes) - average) * inverse)
                }
                let meanDNormal = sum.sum() / count, meanDNormalTimesNormal = sumTimesNormal.sum() / count
                let output = dxPointer + row * columns
                for (c, lanes) in Vectors(0..<columns) {
                    let normal = (FloatVector(input + c, lanes: lanes) - average) * inverse
                    let dNormal = FloatVector(gradient + c, lanes: lanes) * FloatVector(g + c, lanes: lanes)
                    ((dNormal - meanDNormal - normal * meanDNormalTimesNormal) * inverse).store(to: output + c, lanes: lanes)
                }
            }
        }
    }
}

/// x̂·dy, the terms of LayerNorm's dGamma, with x̂ = (x − mean)·rstd.
private struct NormalTimesGradient: ColumnTerm {
    let x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>
    let columns: Int

    @inline(__always)
    func callAsFunction(row: Int, column: Int, lanes: Int) -> FloatVector {
        let offset = row * columns + column
        return (FloatVector(x + offset, lanes: lanes) - mean[row]) * rstd[row] * FloatVector(dy + offset, lanes: lanes)
    }
}
