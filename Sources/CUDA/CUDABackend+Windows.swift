import Tensor

extension CUDABackend {
    // Kernels: windows.cu. Shapes: x, dx [N, L, C]; columns, dColumns [N, P = L − W + 1, C·W];
    // max-pool x, dx [N, P, F]; y, dy, argmax int32 [N, F].

    public func unfoldWindows(_ x: Tensor, width: Int, into columns: Tensor) {
        let (n, length, channels, _) = OperandChecks.windows(x, width: width, columns: columns)
        device.launchElementwise("unfold_windows", count: columns.count,
                                 [.address(x.address), .address(columns.address), .long(n), .int(length), .int(channels), .int(width)])
    }

    public func foldWindows(_ dColumns: Tensor, width: Int, into dx: Tensor) {
        let (n, length, channels, _) = OperandChecks.windows(dx, width: width, columns: dColumns)
        device.launchElementwise("fold_windows", count: dx.count,
                                 [.address(dColumns.address), .address(dx.address), .long(n), .int(length), .int(channels),
                                  .int(width)])
    }

    public func maxPool(_ x: Tensor, into y: Tensor, argmax: Tensor) {
        precondition(argmax.dtype == .int32, "maxPool: argmax must be int32")
        let (n, positions, filters) = OperandChecks.maxPool(positions: x, pooled: y, argmax: argmax)
        device.launchElementwise("max_pool", count: y.count,
                                 [.address(x.address), .address(y.address), .address(argmax.address), .long(n), .int(positions),
                                  .int(filters)])
    }

    public func maxPoolBackward(dy: Tensor, argmax: Tensor, into dx: Tensor) {
        precondition(argmax.dtype == .int32, "maxPoolBackward: argmax must be int32")
        let (n, positions, filters) = OperandChecks.maxPool(positions: dx, pooled: dy, argmax: argmax)
        device.launchElementwise("max_pool_backward", count: dx.count,
                                 [.address(dy.address), .address(argmax.address), .address(dx.address), .long(n),
                                  .int(positions), .int(filters)])
    }
}
