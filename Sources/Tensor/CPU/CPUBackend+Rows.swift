#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUBackend {
    // Shapes: table, dTable [V, C]; indices int32 [N]; y, dy [N, C].

    public func gatherRows(_ table: Tensor, indices: Tensor, into y: Tensor, accumulate: Bool) {
        let (tableRows, columns) = (table.shape.rows, table.shape.columns)
        expectCount(y, indices.count * columns, "gatherRows: y")
        let (tablePointer, indexPointer, yPointer) = (table.floats, indices.integers, y.floats)
        pool.parallelFor(indices.count, grain: Self.rowGrain(columns)) { range in
            for row in range {
                let source = tablePointer + Self.checkedIndex(indexPointer[row], below: tableRows) * columns
                let target = yPointer + row * columns
                for (c, lanes) in Vectors(0..<columns) {
                    var value = FloatVector(source + c, lanes: lanes)
                    if accumulate { value += FloatVector(target + c, lanes: lanes) }
                    value.store(to: target + c, lanes: lanes)
                }
            }
        }
    }

    public func scatterAddRows(_ dy: Tensor, indices: Tensor, into dTable: Tensor, skipping: Int32?) {
        let (tableRows, columns) = (dTable.shape.rows, dTable.shape.columns)
        expectCount(dy, indices.count * columns, "scatterAddRows: dy")
        let (dyPointer, indexPointer, tablePointer) = (dy.floats, indices.integers, dTable.floats)
        // Columns are shared between the threads, rows taken in order: no two threads touch
        // one element, and repeated indices add up in a fixed order.
        pool.parallelForVectors(columns, grain: max(16, Self.grain / max(indices.count, 1))) { columnRange in
            for row in 0..<indices.count where indexPointer[row] != skipping {
                let target = tablePointer + Self.checkedIndex(indexPointer[row], below: tableRows) * columns
                let source = dyPointer + row * columns
                for (c, lanes) in Vectors(columnRange) {
                    (FloatVector(target + c, lanes: lanes) + FloatVector(source + c, lanes: lanes)).store(to: target + c, lanes: lanes)
                }
            }
        }
    }

    // Shapes: x [N, F]; y [N, C].

    public func copyColumns(_ x: Tensor, into y: Tensor, at column: Int) {
        copyColumnBlock(wide: y, narrow: x, at: column, intoWide: true)
    }

    public func extractColumns(_ y: Tensor, at column: Int, into x: Tensor) {
        copyColumnBlock(wide: y, narrow: x, at: column, intoWide: false)
    }

    /// Copies each row of `narrow` [N, F] into, or out of, the columns `column ..< column + F`
    /// of `wide` [N, C].
    private func copyColumnBlock(wide: Tensor, narrow: Tensor, at column: Int, intoWide: Bool) {
        let (rows, width, block) = OperandChecks.columnBlock(wide: wide, narrow: narrow, at: column)
        let (widePointer, narrowPointer) = (wide.floats, narrow.floats)
        pool.parallelFor(rows, grain: Self.rowGrain(block)) { range in
            for row in range {
                let (inWide, inNarrow) = (widePointer + row * width + column, narrowPointer + row * block)
                if intoWide { memcpy(inWide, inNarrow, block * 4) } else { memcpy(inNarrow, inWide, block * 4) }
            }
        }
    }

    // Shapes: x [A, B, C, D] → y [A, C, B, D].

    public func swapMiddleAxes(_ x: Tensor, into y: Tensor) {
        let (a, b, c, d) = OperandChecks.swapMiddleAxes(x, y: y)
        let (xPointer, yPointer) = (x.floats, y.floats)
        pool.parallelFor(a * b, grain: Self.rowGrain(c * d)) { range in
            for outer in range {
                let (i, j) = outer.quotientAndRemainder(dividingBy: b)
                for k in 0..<c {
                    memcpy(yPointer + ((i * c + k) * b + j) * d, xPointer + (outer * c + k) * d, d * 4)
                }
            }
        }
    }

    /// `index` as an Int, stopping the program when it is not a row of a table of `rows`.
    @inline(__always)
    static func checkedIndex(_ index: Int32, below rows: Int) -> Int {
        precondition(index >= 0 && Int(index) < rows, "index \(index) out of 0..<\(rows)")
        return Int(index)
    }
}
