extension CPUBackend {
    public func addBias(_ bias: Tensor, to x: Tensor) {
        let columns = x.shape.columns
        expectCount(bias, columns, "addBias: bias")
        let (xPointer, biasPointer) = (x.floats, bias.floats)
        pool.parallelFor(x.shape.rows, grain: Self.rowGrain(columns)) { rows in
            for row in rows {
                let line = xPointer + row * columns
                for (c, lanes) in Vectors(0..<columns) {
                    (FloatVector(line + c, lanes: lanes) + FloatVector(biasPointer + c, lanes: lanes)).store(to: line + c, lanes: lanes)
                }
            }
        }
    }

    public func accumulateBiasGradient(_ dy: Tensor, into dBias: Tensor) {
        let columns = dy.shape.columns
        expectCount(dBias, columns, "accumulateBiasGradient: dBias")
        accumulateColumnSums(rows: dy.shape.rows, columns: columns, into: dBias.floats,
                             MatrixElements(pointer: dy.floats, columns: columns))
    }

    public func add(_ a: Tensor, _ b: Tensor, into c: Tensor) {
        map(a, b, into: c, Lanes.Sum())
    }

    public func scale(_ x: Tensor, by factor: Float, into y: Tensor) {
        map(x, into: y, Lanes.Scale(factor: factor))
    }

    public func activate(_ function: Activation, _ x: Tensor, into y: Tensor) {
        switch function {
        case .gelu: map(x, into: y, Lanes.GELU())
        case .tanh: map(x, into: y, Lanes.Tanh())
        case .relu: map(x, into: y, Lanes.ReLU())
        case .sigmoid: map(x, into: y, Lanes.Sigmoid())
        }
    }

    public func activateBackward(_ function: Activation, x: Tensor, y: Tensor, dy: Tensor, into dx: Tensor) {
        switch function {
        case .gelu: map(x, dy, into: dx, Lanes.GELUBackward())
        case .tanh: map(y, dy, into: dx, Lanes.TanhBackward())
        case .relu: map(x, dy, into: dx, Lanes.ReLUBackward())
        case .sigmoid: map(y, dy, into: dx, Lanes.SigmoidBackward())
        }
    }

    public func gatedMix(gate: Tensor, _ a: Tensor, _ b: Tensor, into y: Tensor) {
        for input in [gate, a, b] { expectCount(input, y.count, "gatedMix: input") }
        let (g, aPointer, bPointer, yPointer) = (gate.floats, a.floats, b.floats, y.floats)
        pool.parallelForVectors(y.count) { range in
            for (i, lanes) in Vectors(range) {
                let (gv, av, bv) = (FloatVector(g + i, lanes: lanes), FloatVector(aPointer + i, lanes: lanes),
                                    FloatVector(bPointer + i, lanes: lanes))
                (bv + gv * (av - bv)).store(to: yPointer + i, lanes: lanes)
            }
        }
    }

    public func gatedMixBackward(gate: Tensor, _ a: Tensor, _ b: Tensor, dy: Tensor,
                                 dGate: Tensor, dA: Tensor, dB: Tensor) {
        for tensor in [a, b, dy, dGate, dA, dB] { expectCount(tensor, gate.count, "gatedMixBackward: tensor") }
        let (g, aPointer, bPointer, dyPointer) = (gate.floats, a.floats, b.floats, dy.floats)
        let (dg, da, db) = (dGate.floats, dA.floats, dB.floats)
        pool.parallelForVectors(gate.count) { range in
            for (i, lanes) in Vectors(range) {
                let (gv, dyv) = (FloatVector(g + i, lanes: lanes), FloatVector(dyPointer + i, lanes: lanes))
                let difference = FloatVector(aPointer + i, lanes: lanes) - FloatVector(bPointer + i, lanes: lanes)
                (dyv * difference).store(to: dg + i, lanes: lanes)
                (dyv * gv).store(to: da + i, lanes: lanes)
                (dyv * (1 - gv)).store(to: db + i, lanes: lanes)
            }
        }
    }

    // MARK: Loops shared by the elementwise kernels

    /// y = f(x), elementwise.
    func map<F: UnaryLaneFunction>(_ x: Tensor, into y: Tensor, _ f: F) {
        expectCount(x, y.count, "elementwise input")
        let (xPointer, yPointer) = (x.floats, y.floats)
        pool.parallelForVectors(y.count) { range in
            for (i, lanes) in Vectors(range) {
                f(FloatVector(xPointer + i, lanes: lanes)).store(to: yPointer + i, lanes: lanes)
            }
        }
    }

    /// z = f(x, y), elementwise.
    func map<F: BinaryLaneFunction>(_ x: Tensor, _ y: Tensor, into z: Tensor, _ f: F) {
        expectCount(x, z.count, "elementwise input")
        expectCount(y, z.count, "elementwise input")
        let (xPointer, yPointer, zPointer) = (x.floats, y.floats, z.floats)
        pool.parallelForVectors(z.count) { range in
            for (i, lanes) in Vectors(range) {
                f(FloatVector(xPointer + i, lanes: lanes), FloatVector(yPointer + i, lanes: lanes)).store(to: zPointer + i, lanes: lanes)
            }
        }
    }

    /// target[c] += Σ_row term(row, c, lanes) for the vectors of columns c: the rows summed in
    /// order in blocks of 64, then the blocks' sums in order, so the result does not depend on
    /// the thread count.
    ///
    /// Each task sums one block of rows over one chunk of columns into its own partial row,
    /// reading the matrix row by row (a column-by-column walk down the rows would touch a new
    /// page at every row); the partial rows are then added up column by column.
    func accumulateColumnSums<Term: ColumnTerm>(rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>, _ term: Term) {
        let (blockRows, chunkColumns) = (64, 512)
        let blocks = (rows + blockRows - 1) / blockRows, chunks = (columns + chunkColumns - 1) / chunkColumns
        let partials = UnsafeMutableRawPointer(scratch((blocks * columns + 1) / 2)).assumingMemoryBound(to: Float.self)
        pool.parallelFor(blocks * chunks, grain: max(1, Self.grain / (blockRows * chunkColumns))) { tasks in
            for task in tasks {
                let (block, chunk) = task.quotientAndRemainder(dividingBy: chunks)
                let partial = partials + block * columns
                let chunkRange = chunk * chunkColumns ..< min((chunk + 1) * chunkColumns, columns)
                for (c, lanes) in Vectors(chunkRange) { FloatVector.zero.store(to: partial + c, lanes: lanes) }
                for row in block * blockRows ..< min((block + 1) * blockRows, rows) {
                    for (c, lanes) in Vectors(chunkRange) {
                        (FloatVector(partial + c, lanes: lanes) + term(row: row, column: c, lanes: lanes))
                            .store(to: partial + c, lanes: lanes)
                    }
                }
            }
        }
        pool.parallelForVectors(columns, grain: max(16, Self.grain / max(blocks, 1))) { range in
            for (c, lanes) in Vectors(range) {
                var total = FloatVector(target + c, lanes: lanes)
                for block in 0..<blocks { total += FloatVector(partials + block * columns + c, lanes: lanes) }
                total.store(to: target + c, lanes: lanes)
            }
        }
    }
}
