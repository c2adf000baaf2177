import Support
import Tensor

extension CUDABackend {
    // Kernels: dropout.cu. Shapes: x, y, dy, dx [any, equal counts]; mask int8 (same count).

    public func dropout(_ x: Tensor, probability: Float, generator: inout SeededGenerator,
                        mask: Tensor, into y: Tensor) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) not in [0, 1)")
        precondition(mask.dtype == .int8 && x.count < 1 << 32, "dropout: mask must be int8, the tensor under 2^32 elements")
        expectCount(y, x.count, "dropout: y")
        expectCount(mask, x.count, "dropout: mask")
        // The CPU backend's draw: one number per call, the same threshold and hash.
        let seed = generator.next()
        let threshold = UInt32(min(Double(probability) * 4_294_967_296, 4_294_967_295))
        device.launchElementwise("dropout_forward", count: x.count,
                                 [.address(x.address), .uint32(UInt32(truncatingIfNeeded: seed)),
                                  .uint32(UInt32(truncatingIfNeeded: seed >> 32)), .uint32(threshold), .float(1 / (1 - probability)),
                                  .address(mask.address), .address(y.address), .long(x.count)])
    }

    public func dropoutBackward(dy: Tensor, mask: Tensor, probability: Float, into dx: Tensor) {
        precondition(mask.dtype == .int8, "dropoutBackward: mask must be int8")
        expectCount(mask, dy.count, "dropoutBackward: mask")
        expectCount(dx, dy.count, "dropoutBackward: dx")
        device.launchElementwise("dropout_backward", count: dy.count,
                                 [.address(dy.address), .address(mask.address), .float(1 / (1 - probability)),
                                  .address(dx.address), .long(dy.count)])
    }
}
