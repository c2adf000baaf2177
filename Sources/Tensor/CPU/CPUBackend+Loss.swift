#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CPUBackend {
    // Shapes: logits, dLogits [N, V]; labels int32 [N].

    public func crossEntropy(logits: Tensor, labels: Tensor, ignoreIndex: Int32, gradientScale: Float,
                             dLogits: Tensor) -> (loss: Float, counted: Int) {
        let (rows, columns) = OperandChecks.crossEntropy(logits: logits, labels: labels, dLogits: dLogits)
        let (logitPointer, labelPointer, gradientPointer) = (logits.floats, labels.integers, dLogits.floats)
        var counted = 0
        for row in 0..<rows where labelPointer[row] != ignoreIndex {
            _ = Self.checkedIndex(labelPointer[row], below: columns)
            counted += 1
        }
        let rowScale = counted == 0 ? 0 : gradientScale / Float(counted)
        let losses = scratch(rows)
        pool.parallelFor(rows, grain: Self.rowGrain(columns)) { range in
            for row in range {
                let input = logitPointer + row * columns, output = gradientPointer + row * columns
                let label = Int(labelPointer[row])
                guard label != Int(ignoreIndex) else {
                    losses[row] = 0
                    for (c, lanes) in Vectors(0..<columns) { FloatVector.zero.store(to: output + c, lanes: lanes) }
                    continue
                }
                // −log softmax(z)[label] = log Σ e^(z − max) + max − z[label], stable for any z.
                let target = input[label]
                var largest = FloatVector(repeating: -.infinity)
                for (c, lanes) in Vectors(0..<columns) {
                    largest = largest.lanewiseMaximum(FloatVector(input + c, lanes: lanes, padding: -.infinity))
                }
                let maximum = largest.max()
                var sum = FloatVector.zero
                for (c, lanes) in Vectors(0..<columns) {
                    sum += VectorMath.exp(FloatVector(input + c, lanes: lanes) - maximum).padded(after: lanes)
                }
                let total = sum.sum()
                losses[row] = log(Double(total)) + Double(maximum) - Double(target)
                let factor = rowScale / total
                for (c, lanes) in Vectors(0..<columns) {
                    (VectorMath.exp(FloatVector(input + c, lanes: lanes) - maximum) * factor).store(to: output + c, lanes: lanes)
                }
                output[label] -= rowScale
            }
        }
        var loss = 0.0
        for row in 0..<rows { loss += losses[row] }
        return (counted == 0 ? 0 : Float(loss / Double(counted)), counted)
    }
}
