import Tensor

extension CUDABackend {
    // Kernels: layernorm.cu, softmax.cu. Shapes: x, y, dy, dx [N, C]; gamma, beta, dGamma,
    // dBeta [C]; mean, rstd [N]; the softmax mask [B, C] with N a multiple of B.

    public func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                          into y: Tensor, mean: Tensor, rstd: Tensor) {
        let (rows, columns) = (x.shape.rows, x.shape.columns)
        expectCount(y, x.count, "layerNorm: y")
        for tensor in [gamma, beta] { expectCount(tensor, columns, "layerNorm: gamma/beta") }
        for tensor in [mean, rstd] { expectCount(tensor, rows, "layerNorm: mean/rstd") }
        device.launch("layer_norm_forward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(x.address), .address(gamma.address), .address(beta.address), .float(epsilon),
                       .address(y.address), .address(mean.address), .address(rstd.address), .int(columns)])
    }

    public func layerNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, rstd: Tensor,
                                  into dx: Tensor, dGamma: Tensor, dBeta: Tensor) {
        let (rows, columns) = (x.shape.rows, x.shape.columns)
        for tensor in [dy, dx] { expectCount(tensor, x.count, "layerNormBackward: dy/dx") }
        for tensor in [gamma, dGamma, dBeta] { expectCount(tensor, columns, "layerNormBackward: gamma/dGamma/dBeta") }
        for tensor in [mean, rstd] { expectCount(tensor, rows, "layerNormBackward: mean/rstd") }
        // The parameter gradients first, so that dx may overwrite dy (the stream orders them).
        columnSums(dy, normalizing: nil, into: dBeta)
        columnSums(dy, normalizing: (x, mean, rstd), into: dGamma)
        device.launch("layer_norm_backward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(dy.address), .address(x.address), .address(gamma.address), .address(mean.address),
                       .address(rstd.address), .address(dx.address), .int(columns)])
    }

    public func softmax(_ x: Tensor, scale: Float, mask: Tensor?, into y: Tensor) {
        let (rows, columns) = (x.shape.rows, x.shape.columns)
        expectCount(y, x.count, "softmax: y")
        var rowsPerMaskRow = rows
        if let mask {
            precondition(mask.shape.columns == columns && rows % max(mask.shape.rows, 1) == 0,
                         "softmax: mask \(mask.shape) does not fit \(x.shape)")
            rowsPerMaskRow = rows / max(mask.shape.rows, 1)
        }
        device.launch("softmax_forward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(x.address), .float(scale), .address(mask?.address), .long(max(rowsPerMaskRow, 1)),
                       .address(y.address), .int(columns)])
    }

    public func softmaxBackward(dy: Tensor, y: Tensor, scale: Float, into dx: Tensor) {
        let (rows, columns) = (y.shape.rows, y.shape.columns)
        for tensor in [dy, dx] { expectCount(tensor, y.count, "softmaxBackward: dy/dx") }
        device.launch("softmax_backward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(dy.address), .address(y.address), .float(scale), .address(dx.address), .int(columns)])
    }
}
