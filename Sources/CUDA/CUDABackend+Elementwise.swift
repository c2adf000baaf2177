import Tensor

extension CUDABackend {
    // Kernels: elementwise.cu; the bias gradient: reductions.cu's column_sums.

    public func addBias(_ bias: Tensor, to x: Tensor) {
        let columns = x.shape.columns
        expectCount(bias, columns, "addBias: bias")
        device.launchElementwise("add_bias", count: x.count, [.address(x.address), .address(bias.address), .long(x.shape.rows), .int(columns)])
    }

    public func accumulateBiasGradient(_ dy: Tensor, into dBias: Tensor) {
        expectCount(dBias, dy.shape.columns, "accumulateBiasGradient: dBias")
        columnSums(dy, normalizing: nil, into: dBias)
    }

    public func add(_ a: Tensor, _ b: Tensor, into c: Tensor) {
        expectCount(a, c.count, "add: a")
        expectCount(b, c.count, "add: b")
        device.launchElementwise("add", count: c.count, [.address(a.address), .address(b.address), .address(c.address), .long(c.count)])
    }

    public func scale(_ x: Tensor, by factor: Float, into y: Tensor) {
        expectCount(x, y.count, "scale: x")
        device.launchElementwise("scale", count: y.count, [.address(x.address), .float(factor), .address(y.address), .long(y.count)])
    }

    public func activate(_ function: Activation, _ x: Tensor, into y: Tensor) {
        expectCount(x, y.count, "activate: x")
        device.launchElementwise("activate", count: y.count,
                                 [.int32(Self.code(function)), .address(x.address), .address(y.address), .long(y.count)])
    }

    public func activateBackward(_ function: Activation, x: Tensor, y: Tensor, dy: Tensor, into dx: Tensor) {
        for tensor in [x, y, dy] { expectCount(tensor, dx.count, "activateBackward: input") }
        device.launchElementwise("activate_backward", count: dx.count,
                                 [.int32(Self.code(function)), .address(x.address), .address(y.address), .address(dy.address),
                                  .address(dx.address), .long(dx.count)])
    }

    public func gatedMix(gate: Tensor, _ a: Tensor, _ b: Tensor, into y: Tensor) {
        for input in [gate, a, b] { expectCount(input, y.count, "gatedMix: input") }
        device.launchElementwise("gated_mix", count: y.count,
                                 [.address(gate.address), .address(a.address), .address(b.address), .address(y.address), .long(y.count)])
    }

    public func gatedMixBackward(gate: Tensor, _ a: Tensor, _ b: Tensor, dy: Tensor,
                                 dGate: Tensor, dA: Tensor, dB: Tensor) {
        for tensor in [a, b, dy, dGate, dA, dB] { expectCount(tensor, gate.count, "gatedMixBackward: tensor") }
        device.launchElementwise("gated_mix_backward", count: gate.count,
                                 [.address(gate.address), .address(a.address), .address(b.address), .address(dy.address),
                                  .address(dGate.address), .address(dA.address), .address(dB.address), .long(gate.count)])
    }

    /// target[c] += Σ_r dy[r, c], or Σ_r x̂[r, c]·dy[r, c] with x̂ = (x − mean)·rstd when
    /// `normalizing` gives x, mean and rstd (LayerNorm's dGamma).
    func columnSums(_ dy: Tensor, normalizing: (x: Tensor, mean: Tensor, rstd: Tensor)?, into target: Tensor) {
        let (rows, columns) = (dy.shape.rows, dy.shape.columns)
        device.launch("column_sums", grid: ((columns + 31) / 32, 1), block: (32, 16),
                      [.address(dy.address), .address(normalizing?.x.address), .address(normalizing?.mean.address),
                       .address(normalizing?.rstd.address), .long(rows), .int(columns), .address(target.address)])
    }

    /// The activation's code in elementwise.cu.
    private static func code(_ function: Activation) -> Int32 {
        switch function {
        case .gelu: 0
        case .tanh: 1
        case .relu: 2
        case .sigmoid: 3
        }
    }
}
