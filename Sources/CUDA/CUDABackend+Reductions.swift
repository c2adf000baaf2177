import Tensor

extension CUDABackend {
    // Kernels: reductions.cu's sum_blocks and sum_doubles. Shape: x float32 [any].

    public func sum(_ x: Tensor) -> Double { reduce(x, squared: false) }

    public func sumOfSquares(_ x: Tensor) -> Double { reduce(x, squared: true) }

    /// Σ x (or Σ x²): blocks of 8192 elements summed in float, their sums added in double in
    /// order by one block, so the result repeats from run to run.
    private func reduce(_ x: Tensor, squared: Bool) -> Double {
        precondition(x.dtype == .float32, "sum: expected a float32 tensor, got \(x.dtype)")
        let blocks = (x.count + 8191) / 8192
        let memory = scratch(8 * (blocks + 1))
        let (result, partials) = (memory, memory + 8)
        device.launch("sum_blocks", blocks: blocks, threads: 256,
                      [.address(x.address), .long(x.count), .int32(squared ? 1 : 0), .address(partials)])
        device.launch("sum_doubles", blocks: 1, threads: 1024, [.address(partials), .long(blocks), .address(result)])
        var total = 0.0
        withUnsafeMutableBytes(of: &total) { device.copy(result, byteCount: 8, to: $0.baseAddress!) }
        return total
    }
}
