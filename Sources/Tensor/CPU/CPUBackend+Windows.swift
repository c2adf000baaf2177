extension CPUBackend {
    // Shapes: x, dx [N, L, C]; columns, dColumns [N, P = L − W + 1, C·W].

    public func unfoldWindows(_ x: Tensor, width: Int, into columns: Tensor) {
        moveWindows(x, width: width, columns, unfold: true)
    }

    public func foldWindows(_ dColumns: Tensor, width: Int, into dx: Tensor) {
        moveWindows(dx, width: width, dColumns, unfold: false)
    }

    /// Copies x[n, p + k, c] to columns[n, p, c·W + k] (`unfold`), or adds it back.
    private func moveWindows(_ x: Tensor, width: Int, _ columns: Tensor, unfold: Bool) {
        let (n, length, channels, positions) = OperandChecks.windows(x, width: width, columns: columns)
        let (xPointer, columnPointer) = (x.floats, columns.floats)
        pool.parallelFor(n, grain: Self.rowGrain(positions * channels * width)) { range in
            for item in range {
                let sequence = xPointer + item * length * channels
                for position in 0..<positions {
                    let window = columnPointer + (item * positions + position) * channels * width
                    for offset in 0..<width {
                        let source = sequence + (position + offset) * channels
                        for channel in 0..<channels {
                            if unfold {
                                window[channel * width + offset] = source[channel]
                            } else {
                                source[channel] += window[channel * width + offset]
                            }
                        }
                    }
                }
            }
        }
    }

    // Shapes: x, dx [N, P, F]; y, dy, argmax (int32) [N, F].

    public func maxPool(_ x: Tensor, into y: Tensor, argmax: Tensor) {
        let (n, positions, filters) = OperandChecks.maxPool(positions: x, pooled: y, argmax: argmax)
        let (xPointer, yPointer, argmaxPointer) = (x.floats, y.floats, argmax.integers)
        pool.parallelFor(n, grain: Self.rowGrain(positions * filters)) { range in
            for item in range {
                let block = xPointer + item * positions * filters
                for (f, lanes) in Vectors(0..<filters) {
                    var best = FloatVector(block + f, lanes: lanes)
                    var bestPosition = SIMD16<Int32>.zero
                    for position in 1..<max(positions, 1) {
                        let value = FloatVector(block + position * filters + f, lanes: lanes)
                        let greater = value .> best
                        best.replace(with: value, where: greater)
                        bestPosition.replace(with: Int32(position), where: greater)
                    }
                    best.store(to: yPointer + item * filters + f, lanes: lanes)
                    bestPosition.store(to: argmaxPointer + item * filters + f, lanes: lanes)
                }
            }
        }
    }

    public func maxPoolBackward(dy: Tensor, argmax: Tensor, into dx: Tensor) {
        let (n, positions, filters) = OperandChecks.maxPool(positions: dx, pooled: dy, argmax: argmax)
        let (dyPointer, argmaxPointer, dxPointer) = (dy.floats, argmax.integers, dx.floats)
        pool.parallelFor(n, grain: Self.rowGrain(positions * filters)) { range in
            for item in range {
                for (i, lanes) in Vectors(item * filters ..< (item + 1) * filters) {
                    let gradient = FloatVector(dyPointer + i, lanes: lanes)
                    let chosen = SIMD16<Int32>(argmaxPointer + i, lanes: lanes, padding: -1)
                    let f = i - item * filters
                    for position in 0..<positions {
                        gradient.replacing(with: 0, where: chosen .!= SIMD16(repeating: Int32(position)))
                            .store(to: dxPointer + (item * positions + position) * filters + f, lanes: lanes)
                    }
                }
            }
        }
    }
}
