/// What `accumulateColumnSums` adds up: a vector of one row's columns from `column` on.
protocol ColumnTerm {
    func callAsFunction(row: Int, column: Int, lanes: Int) -> FloatVector
}

/// The elements of a matrix of `columns` columns themselves.
struct MatrixElements: ColumnTerm {
    let pointer: UnsafeMutablePointer<Float>
    let columns: Int

    @inline(__always)
    func callAsFunction(row: Int, column: Int, lanes: Int) -> FloatVector {
        FloatVector(pointer + row * columns + column, lanes: lanes)
    }
}
