import Tensor

extension CUDABackend {
    // Kernel: loss.cu. Shapes: logits, dLogits [N, V]; labels int32 [N].

    public func crossEntropy(logits: Tensor, labels: Tensor, ignoreIndex: Int32, gradientScale: Float,
                             dLogits: Tensor) -> (loss: Float, counted: Int) {
        let (rows, columns) = OperandChecks.crossEntropy(logits: logits, labels: labels, dLogits: dLogits)
        // The labels are few (one per masked slot): checked and counted on the host.
        let hostLabels = integers(labels)
        var counted = 0
        for label in hostLabels where label != ignoreIndex {
            precondition(label >= 0 && Int(label) < columns, "index \(label) out of 0..<\(columns)")
            counted += 1
        }
        let rowScale = counted == 0 ? 0 : gradientScale / Float(counted)
        let losses = scratch(rows * 4)
        device.launch("cross_entropy", blocks: rows, threads: Self.rowThreads(columns),
                      [.address(logits.address), .address(labels.address), .int32(ignoreIndex), .float(rowScale),
                       .address(dLogits.address), .address(losses), .int(columns)])
        var rowLosses = [Float](repeating: 0, count: rows)
        rowLosses.withUnsafeMutableBytes { device.copy(losses, byteCount: rows * 4, to: $0.baseAddress!) }
        let loss = rowLosses.reduce(0.0) { $0 + Double($1) }
        return (counted == 0 ? 0 : Float(loss / Double(counted)), counted)
    }
}
