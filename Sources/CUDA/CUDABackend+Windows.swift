import Tensor

extension CUDABackend {
    // Kernels: windows.cu. Shapes: x, dx [N, L, C]; columns, dColumns [N, P = L − W + 1, C·W];
    // max-pool x, dx [N, P, F]; y, dy, argmax int32 [N, F].

    public func unfoldWindows(_ x: Tensor, width: Int, into columns: Tensor) {
        let (n, length, channels) = windowShape(x, width: width, columns)
        device.launchElementwise("unfold_windows", count: columns.count,
                                 [.address(x.address), .address(columns.address), .long(n), .int(length), .int(channels), .int(width)])
    }

    public func foldWindows(_ dColumns: Tensor, width: Int, into dx: Tensor) {
        let (n, length, channels) = windowShape(dx, width: width, dColumns)
        device.launchElementwise("fold_windows", count: dx.count,
                                 [.address(dColumns.address), .address(dx.address), .long(n), .int(length), .int(channels),
                                  .int(width)])
    }

    public func maxPool(_ x: Tensor, into y: Tensor, argmax: Tensor) {
        let (n, positions, filters) = poolShape(x, y, argmax)
        device.launchElementwise("max_pool", count: y.count,
                                 [.address(x.address), .address(y.address), .address(argmax.address), .long(n), .int(positions),
                                  .int(filters)])
    }

    public func maxPoolBackward(dy: Tensor, argmax: Tensor, into dx: Tensor) {
        let (n, positions, filters) = poolShape(dx, dy, argmax)
        device.launchElementwise("max_pool_backward", count: dx.count,
                                 [.address(dy.address), .address(argmax.address), .address(dx.address), .long(n),
                                  .int(positions), .int(filters)])
    }

    /// N, L and C of x [N, L, C], checking that the window columns are [N, L − W + 1, C·W].
    private func windowShape(_ x: Tensor, width: Int, _ columns: Tensor) -> (n: Int, length: Int, channels: Int) {
        precondition(x.shape.rank == 3, "window kernels need x [N, L, C], got \(x.shape)")
        let (n, length, channels) = (x.shape[0], x.shape[1], x.shape[2])
        precondition(width >= 1 && length - width + 1 >= 1, "window width \(width) does not fit length \(length)")
        expectCount(columns, n * (length - width + 1) * channels * width, "windows: columns")
        return (n, length, channels)
    }

    /// N, P and F of the positions [N, P, F] of a max-pool, checking that the pooled values
    /// and the argmax are [N, F].
    private func poolShape(_ positions: Tensor, _ pooled: Tensor, _ argmax: Tensor) -> (n: Int, positions: Int, filters: Int) {
        precondition(positions.shape.rank == 3, "max-pool positions must be [N, P, F], got \(positions.shape)")
        precondition(argmax.dtype == .int32, "max-pool: argmax must be int32")
        let (n, filters) = (positions.shape[0], positions.shape[2])
        expectCount(pooled, n * filters, "max-pool: pooled values")
        expectCount(argmax, n * filters, "max-pool: argmax")
        return (n, positions.shape[1], filters)
    }
}
