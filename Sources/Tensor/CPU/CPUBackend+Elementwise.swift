extension CPUBackend {
    public func addBias(_ bias: Tensor, to x: Tensor) {
        let columns = x.shape.columns
        expectCount(bias, columns, "addBias: bias")
        let (xPointer, biasPointer) = (x.floats, bias.floats)
        pool.parallelFor(x.shape.rows, grain: Self.rowGrain(columns)) { rows in
            for row in rows {
                let line = xPointer + row * columns
                forEachVector(in: 0..<columns) { c, lanes in
                    (FloatVector(line + c, lanes: lanes) + FloatVector(biasPointer + c, lanes: lanes)).store(to: line + c, lanes: lanes)
                }
            }
        }
    }

    public func accumulateBiasGradient(_ dy: Tensor, into dBias: Tensor) {
        let columns = dy.shape.columns
        expectCount(dBias, columns, "accumulateBiasGradient: dBias")
        let dyPointer = dy.floats
        accumulateColumnSums(rows: dy.shape.rows, columns: columns, into: dBias.floats) { row, c, lanes in
            FloatVector(dyPointer + row * columns + c, lanes: lanes)
        }
    }

    public func add(_ a: Tensor, _ b: Tensor, into c: Tensor) {
        map(a, b, into: c) { $0 + $1 }
    }

    public func scale(_ x: Tensor, by factor: Float, into y: Tensor) {
        map(x, into: y) { $0 * factor }
    }

    public func activate(_ function: Activation, _ x: Tensor, into y: Tensor) {
        switch function {
        case .gelu: map(x, into: y) { $0 * VectorMath.normalCDF($0) }
        case .tanh: map(x, into: y) { VectorMath.tanh($0) }
        case .relu: map(x, into: y) { pointwiseMax($0, .zero) }
        case .sigmoid: map(x, into: y) { VectorMath.sigmoid($0) }
        }
    }

    public func activateBackward(_ function: Activation, x: Tensor, y: Tensor, dy: Tensor, into dx: Tensor) {
        switch function {
        case .gelu:
            map(x, dy, into: dx) { x, dy in dy * (VectorMath.normalCDF(x) + x * VectorMath.normalDensity(x)) }
        case .tanh:
            map(y, dy, into: dx) { y, dy in dy * (1 - y * y) }
        case .relu:
            map(x, dy, into: dx) { x, dy in dy.replacing(with: 0, where: x .<= 0) }
        case .sigmoid:
            map(y, dy, into: dx) { y, dy in dy * y * (1 - y) }
        }
    }

    public func gatedMix(gate: Tensor, _ a: Tensor, _ b: Tensor, into y: Tensor) {
        for input in [gate, a, b] { expectCount(input, y.count, "gatedMix: input") }
        let (g, aPointer, bPointer, yPointer) = (gate.floats, a.floats, b.floats, y.floats)
        forEachVectorInParallel(y.count) { i, lanes in
            let (gv, av, bv) = (FloatVector(g + i, lanes: lanes), FloatVector(aPointer + i, lanes: lanes),
                                FloatVector(bPointer + i, lanes: lanes))
            (bv + gv * (av - bv)).store(to: yPointer + i, lanes: lanes)
        }
    }

    public func gatedMixBackward(gate: Tensor, _ a: Tensor, _ b: Tensor, dy: Tensor,
                                 dGate: Tensor, dA: Tensor, dB: Tensor) {
        for tensor in [a, b, dy, dGate, dA, dB] { expectCount(tensor, gate.count, "gatedMixBackward: tensor") }
        let (g, aPointer, bPointer, dyPointer) = (gate.floats, a.floats, b.floats, dy.floats)
        let (dg, da, db) = (dGate.floats, dA.floats, dB.floats)
        forEachVectorInParallel(gate.count) { i, lanes in
            let (gv, dyv) = (FloatVector(g + i, lanes: lanes), FloatVector(dyPointer + i, lanes: lanes))
            let difference = FloatVector(aPointer + i, lanes: lanes) - FloatVector(bPointer + i, lanes: lanes)
            (dyv * difference).store(to: dg + i, lanes: lanes)
            (dyv * gv).store(to: da + i, lanes: lanes)
            (dyv - dyv * gv).store(to: db + i, lanes: lanes)
        }
    }

    // MARK: Loops shared by the elementwise kernels

    /// Calls `body(start, lanes)` on every vector of 0..<count, the vectors shared between the
    /// pool's threads.
    @inline(__always)
    func forEachVectorInParallel(_ count: Int, _ body: (_ start: Int, _ lanes: Int) -> Void) {
        let vectors = (count + 15) / 16
        pool.parallelFor(vectors, grain: Self.grain / 16) { range in
            forEachVector(in: range.lowerBound * 16 ..< min(range.upperBound * 16, count), body)
        }
    }

    /// y = f(x), elementwise.
    @inline(__always)
    func map(_ x: Tensor, into y: Tensor, _ f: (FloatVector) -> FloatVector) {
        expectCount(x, y.count, "elementwise input")
        let (xPointer, yPointer) = (x.floats, y.floats)
        forEachVectorInParallel(y.count) { i, lanes in
            f(FloatVector(xPointer + i, lanes: lanes)).store(to: yPointer + i, lanes: lanes)
        }
    }

    /// z = f(x, y), elementwise.
    @inline(__always)
    func map(_ x: Tensor, _ y: Tensor, into z: Tensor, _ f: (FloatVector, FloatVector) -> FloatVector) {
        expectCount(x, z.count, "elementwise input")
        expectCount(y, z.count, "elementwise input")
        let (xPointer, yPointer, zPointer) = (x.floats, y.floats, z.floats)
        forEachVectorInParallel(z.count) { i, lanes in
            f(FloatVector(xPointer + i, lanes: lanes), FloatVector(yPointer + i, lanes: lanes)).store(to: zPointer + i, lanes: lanes)
        }
    }

    /// target[c] += Σ_row term(row, c, lanes) for the vectors of columns c, the columns shared
    /// between threads and the rows summed in order, in blocks of 64 (so the order, and the
    /// result, does not depend on the thread count).
    @inline(__always)
    func accumulateColumnSums(rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>,
                              _ term: (_ row: Int, _ column: Int, _ lanes: Int) -> FloatVector) {
        let vectors = (columns + 15) / 16
        pool.parallelFor(vectors, grain: max(1, Self.grain / max(rows * 16, 1))) { range in
            forEachVector(in: range.lowerBound * 16 ..< min(range.upperBound * 16, columns)) { c, lanes in
                var total = FloatVector(target + c, lanes: lanes)
                var blockStart = 0
                while blockStart < rows {
                    var block = FloatVector.zero
                    for row in blockStart ..< min(blockStart + 64, rows) { block += term(row, c, lanes) }
                    total += block
                    blockStart += 64
                }
                total.store(to: target + c, lanes: lanes)
            }
        }
    }
}
