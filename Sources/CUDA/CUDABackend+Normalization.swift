import Tensor

extension CUDABackend {
    // Kernels: layernorm.cu, softmax.cu. Shapes: x, y, dy, dx [N, C]; gamma, beta, dGamma,
    // dBeta [C]; mean, rstd [N]; the softmax mask [B, C] with N a multiple of B.

    public func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                          into y: Tensor, mean: Tensor, rstd: Tensor) {
        let (rows, columns) = OperandChecks.layerNorm(x, gamma: gamma, beta: beta, y: y, mean: mean, rstd: rstd)
        device.launch("layer_norm_forward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(x.address), .address(gamma.address), .address(beta.address), .float(epsilon),
                       .address(y.address), .address(mean.address), .address(rstd.address), .int(columns)])
    }

    public func layerNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, rstd: Tensor,
                                  into dx: Tensor, dGamma: Tensor, dBeta: Tensor) {
        let (rows, columns) = OperandChecks.layerNormBackward(dy: dy, x: x, gamma: gamma, mean: mean, rstd: rstd, dx: dx,
                                                              dGamma: dGamma, dBeta: dBeta)
        // The parameter gradients first, so that dx may overwrite dy (the stream orders them).
        columnSums(dy, normalizing: nil, into: dBeta)
        columnSums(dy, normalizing: (x, mean, rstd), into: dGamma)
        device.launch("layer_norm_backward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(dy.address), .address(x.address), .address(gamma.address), .address(mean.address),
                       .address(rstd.address), .address(dx.address), .int(columns)])
    }

    public func softmax(_ x: Tensor, scale: Float, mask: Tensor?, into y: Tensor) {
        let (rows, columns, rowsPerMaskRow) = OperandChecks.softmax(x, mask: mask, y: y)
        device.launch("softmax_forward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(x.address), .float(scale), .address(mask?.address), .long(max(rowsPerMaskRow, 1)),
                       .address(y.address), .int(columns)])
    }

    public func softmaxBackward(dy: Tensor, y: Tensor, scale: Float, into dx: Tensor) {
        let (rows, columns) = OperandChecks.softmaxBackward(dy: dy, y: y, dx: dx)
        device.launch("softmax_backward", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(dy.address), .address(y.address), .float(scale), .address(dx.address), .int(columns)])
    }
}
