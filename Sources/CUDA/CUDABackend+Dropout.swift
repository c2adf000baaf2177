import Support
import Tensor

extension CUDABackend {
    // Kernels: dropout.cu. Shapes: x, y, dy, dx [any, equal counts]; mask int8 (same count).

    public func dropout(_ x: Tensor, probability: Float, generator: inout SeededGenerator,
                        mask: Tensor, into y: Tensor) {
        OperandChecks.dropout(x, probability: probability, mask: mask, y: y)
        // The CPU backend's draw: one number per call, the same threshold and hash.
        let seed = generator.next()
        let threshold = UInt32(min(Double(probability) * 4_294_967_296, 4_294_967_295))
        device.launchElementwise("dropout_forward", count: x.count,
                                 [.address(x.address), .uint32(UInt32(truncatingIfNeeded: seed)),
                                  .uint32(UInt32(truncatingIfNeeded: seed >> 32)), .uint32(threshold), .float(1 / (1 - probability)),
                                  .address(mask.address), .address(y.address), .long(x.count)])
    }

    public func dropoutBackward(dy: Tensor, mask: Tensor, probability: Float, into dx: Tensor) {
        OperandChecks.dropoutBackward(dy: dy, mask: mask, dx: dx)
        device.launchElementwise("dropout_backward", count: dy.count,
                                 [.address(dy.address), .address(mask.address), .float(1 / (1 - probability)),
                                  .address(dx.address), .long(dy.count)])
    }
}
