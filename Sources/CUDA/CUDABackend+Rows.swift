import Tensor

extension CUDABackend {
    // Kernels: rows.cu. Shapes: table, dTable [V, C]; indices int32 [N]; y, dy [N, C];
    // copyColumns x [N, F] into y [N, C]; swapMiddleAxes [A, B, C, D] → [A, C, B, D].

    public func gatherRows(_ table: Tensor, indices: Tensor, into y: Tensor, accumulate: Bool) {
        let columns = table.shape.columns
        precondition(indices.dtype == .int32, "gatherRows: indices must be int32")
        expectCount(y, indices.count * columns, "gatherRows: y")
        device.launchElementwise("gather_rows", count: y.count,
                                 [.address(table.address), .long(table.shape.rows), .address(indices.address), .address(y.address),
                                  .long(indices.count), .int(columns), .int32(accumulate ? 1 : 0), fault])
    }

    public func scatterAddRows(_ dy: Tensor, indices: Tensor, into dTable: Tensor, skipping: Int32?) {
        let columns = dTable.shape.columns
        precondition(indices.dtype == .int32, "scatterAddRows: indices must be int32")
        expectCount(dy, indices.count * columns, "scatterAddRows: dy")
        device.launchElementwise("scatter_add_rows", count: dy.count,
                                 [.address(dy.address), .address(indices.address), .long(indices.count), .int(columns),
                                  .address(dTable.address), .long(dTable.shape.rows), .int32(skipping == nil ? 0 : 1),
                                  .int32(skipping ?? 0), fault])
    }

    public func copyColumns(_ x: Tensor, into y: Tensor, at column: Int) {
        launchColumnCopy(wide: y, narrow: x, column, toWide: true)
    }

    public func extractColumns(_ y: Tensor, at column: Int, into x: Tensor) {
        launchColumnCopy(wide: y, narrow: x, column, toWide: false)
    }

    /// rows.cu's copy_columns between `narrow` [N, F] and the columns `column ..< column + F`
    /// of `wide` [N, C], towards `wide` when `toWide`.
    private func launchColumnCopy(wide: Tensor, narrow: Tensor, _ column: Int, toWide: Bool) {
        let (rows, width, block) = OperandChecks.columnBlock(wide: wide, narrow: narrow, at: column)
        device.launchElementwise("copy_columns", count: narrow.count,
                                 [.address(wide.address), .address(narrow.address), .long(rows), .int(width), .int(block),
                                  .int(column), .int32(toWide ? 1 : 0)])
    }

    public func swapMiddleAxes(_ x: Tensor, into y: Tensor) {
        let (a, b, c, d) = OperandChecks.swapMiddleAxes(x, y: y)
        device.launchElementwise("swap_middle_axes", count: x.count,
                                 [.address(x.address), .address(y.address), .long(a), .long(b), .long(c), .long(d)])
    }
}
