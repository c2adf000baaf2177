import Support
import Tensor

/// The CPU backend and the CUDA backend side by side, for the self-test: the same random
/// inputs on both, then the outputs compared.
final class BackendPair {
    let cpu: CPUBackend
    let cuda: CUDABackend
    private var generator: SeededGenerator

    init(cuda: CUDABackend, seed: UInt64 = 20_240_601) {
        self.cuda = cuda
        cpu = CPUBackend()
        generator = SeededGenerator(seed: seed)
    }

    /// A float32 tensor of uniform values in `range` on each backend, the same values on both.
    func random(_ shape: Shape, in range: ClosedRange<Float> = -1...1) -> (cpu: Tensor, cuda: Tensor) {
        let values = (0..<shape.count).map { _ in range.lowerBound + Float(generator.nextUnitDouble()) * (range.upperBound - range.lowerBound) }
        return (cpu.tensor(values, shape), cuda.tensor(values, shape))
    }

    /// An int32 tensor of `values` on each backend.
    func integers(_ values: [Int32], _ shape: Shape) -> (cpu: Tensor, cuda: Tensor) {
        (cpu.tensor(integers: values, shape), cuda.tensor(integers: values, shape))
    }

    /// `count` uniform int32 values below `bound` on each backend.
    func indices(_ count: Int, below bound: Int) -> (cpu: Tensor, cuda: Tensor) {
        integers((0..<count).map { _ in Int32(generator.next() % UInt64(bound)) }, [count])
    }

    /// A zero-filled tensor on each backend.
    func zeros(_ shape: Shape, dtype: DType = .float32) -> (cpu: Tensor, cuda: Tensor) {
        (cpu.allocate(shape, dtype: dtype), cuda.allocate(shape, dtype: dtype))
    }

    /// The check `name`: every pair's elements compared (float32 or int32), the worst error kept.
    func compare(_ name: String, _ outputs: [(cpu: Tensor, cuda: Tensor)], tolerance: Double) -> KernelCheck {
        let errors = outputs.map { pair in
            pair.cpu.dtype == .int32
                ? KernelCheck.error(cuda.integers(pair.cuda).map(Float.init), cpu.integers(pair.cpu).map(Float.init))
                : KernelCheck.error(cuda.floats(pair.cuda), cpu.floats(pair.cpu))
        }
        let worst = errors.contains { $0.isNaN } ? .nan : errors.max() ?? 0
        return KernelCheck(name: name, error: worst, tolerance: tolerance)
    }

    /// A check of two scalars (losses, sums), relative to the CPU's.
    func compare(_ name: String, _ gpu: Double, _ reference: Double, tolerance: Double) -> KernelCheck {
        KernelCheck(name: name, error: abs(gpu - reference) / max(abs(reference), 1e-30), tolerance: tolerance)
    }

    /// Runs `operation` on both backends with the matching tensors of `pairs`.
    func run(_ pairs: [(cpu: Tensor, cuda: Tensor)], _ operation: (Backend, [Tensor]) -> Void) {
        operation(cpu, pairs.map(\.cpu))
        operation(cuda, pairs.map(\.cuda))
    }
}
