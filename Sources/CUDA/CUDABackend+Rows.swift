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
        copyColumnBlock(wide: y, narrow: x, at: column, intoWide: true)
    }

    public func extractColumns(_ y: Tensor, at column: Int, into x: Tensor) {
        copyColumnBlock(wide: y, narrow: x, at: column, intoWide: false)
    }

    /// Copies each row of `narrow` [N, F] into, or out of, the columns `column ..< column + F`
    /// of `wide` [N, C].
    private func copyColumnBlock(wide: Tensor, narrow: Tensor, at column: Int, intoWide: Bool) {
        let (rows, width, block) = (wide.shape.rows, wide.shape.columns, narrow.shape.columns)
        precondition(narrow.shape.rows == rows && column >= 0 && column + block <= width,
                     "columns \(column)..<\(column + block) of \(wide.shape) and \(narrow.shape)")
        device.launchElementwise("copy_columns", count: narrow.count,
                                 [.address(wide.address), .address(narrow.address), .long(rows), .int(width), .int(block),
                                  .int(column), .int32(intoWide ? 1 : 0)])
    }

    public func swapMiddleAxes(_ x: Tensor, into y: Tensor) {
        precondition(x.shape.rank == 4, "swapMiddleAxes needs a rank-4 tensor, got \(x.shape)")
        let (a, b, c, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        precondition(y.shape == [a, c, b, d], "swapMiddleAxes: \(x.shape) into \(y.shape)")
        precondition(x.storage !== y.storage || x.offset + x.count <= y.offset || y.offset + y.count <= x.offset,
                     "swapMiddleAxes cannot work in place")
        device.launchElementwise("swap_middle_axes", count: x.count,
                                 [.address(x.address), .address(y.address), .long(a), .long(b), .long(c), .long(d)])
    }
}
