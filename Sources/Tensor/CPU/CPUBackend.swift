#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS
import Support

/// The backend on the host: OpenBLAS sgemm for matrix products, vectorised Swift on a thread
/// pool for everything else.
///
/// Reductions have a fixed order that does not depend on the thread count, so results repeat
/// exactly from run to run.
public final class CPUBackend: Backend {
    /// The number of threads each operation runs on (OpenBLAS's included).
    public let threadCount: Int
    let pool: ThreadPool
    /// Working memory some kernels reuse between calls (per-block partial sums).
    private var scratchStorage: Storage?

    /// Makes a backend running on `threads` threads (by default one per processor).
    public init(threads: Int = WorkerThread.processorCount) {
        precondition(threads >= 1, "a backend needs at least one thread")
        threadCount = threads
        pool = ThreadPool(threadCount: threads)
        // OpenBLAS runs on the caller's thread; the pool splits the products (see matmul).
        openblas_set_num_threads(1)
    }

    // MARK: Memory

    public func allocate(_ shape: Shape, dtype: DType) -> Tensor {
        let byteCount = max(shape.count * dtype.byteSize, 1)
        var address: UnsafeMutableRawPointer?
        precondition(posix_memalign(&address, 64, byteCount) == 0, "out of memory allocating \(shape) \(dtype)")
        memset(address!, 0, byteCount)
        return Tensor(storage: Storage(address: address!, byteCount: byteCount) { free($0) }, shape: shape, dtype: dtype)
    }

    public func write(_ values: [Float], to tensor: Tensor) { write(values, dtype: .float32, to: tensor) }

    public func write(_ values: [Int32], to tensor: Tensor) { write(values, dtype: .int32, to: tensor) }

    public func floats(_ tensor: Tensor) -> [Float] { read(tensor, dtype: .float32) }

    public func integers(_ tensor: Tensor) -> [Int32] { read(tensor, dtype: .int32) }

    public func fill(_ tensor: Tensor, with value: Float) {
        let y = tensor.floats
        pool.parallelForVectors(tensor.count) { range in
            for (i, lanes) in Vectors(range) { FloatVector(repeating: value).store(to: y + i, lanes: lanes) }
        }
    }

    public func copy(_ source: Tensor, into destination: Tensor) {
        precondition(source.dtype == destination.dtype && source.count == destination.count,
                     "copy of \(source.shape) \(source.dtype) into \(destination.shape) \(destination.dtype)")
        let size = source.dtype.byteSize
        pool.parallelFor(source.count, grain: Self.grain) { range in
            memmove(destination.address + range.lowerBound * size, source.address + range.lowerBound * size, range.count * size)
        }
    }

    private func write<Element>(_ values: [Element], dtype: DType, to tensor: Tensor) {
        precondition(tensor.dtype == dtype && values.count == tensor.count,
                     "writing \(values.count) \(dtype) values to \(tensor.shape) \(tensor.dtype)")
        values.withUnsafeBytes { _ = memcpy(tensor.address, $0.baseAddress!, $0.count) }
    }

    private func read<Element>(_ tensor: Tensor, dtype: DType) -> [Element] {
        precondition(tensor.dtype == dtype, "reading \(tensor.dtype) as \(dtype)")
        return [Element](unsafeUninitializedCapacity: tensor.count) { buffer, count in
            _ = memcpy(buffer.baseAddress!, tensor.address, tensor.count * dtype.byteSize)
            count = tensor.count
        }
    }

    // MARK: Shared by the kernels

    /// The fewest elements worth handing to a thread of their own.
    static let grain = 1 << 14

    /// The fewest rows worth handing to a thread: about `grain` elements of rows of `columns`.
    static func rowGrain(_ columns: Int) -> Int { max(1, grain / max(columns, 1)) }

    /// At least `count` doubles of working memory, valid until the next call that uses it.
    func scratch(_ count: Int) -> UnsafeMutablePointer<Double> {
        if scratchStorage == nil || scratchStorage!.byteCount < count * 8 {
            scratchStorage = allocate([count * 2], dtype: .float32).storage
        }
        return scratchStorage!.address.assumingMemoryBound(to: Double.self)
    }
}

extension Tensor {
    /// The elements of a float32 tensor in host memory (CPU backend only).
    var floats: UnsafeMutablePointer<Float> {
        precondition(dtype == .float32, "expected a float32 tensor, got \(dtype)")
        return address.assumingMemoryBound(to: Float.self)
    }

    /// The elements of an int32 tensor in host memory (CPU backend only).
    var integers: UnsafeMutablePointer<Int32> {
        precondition(dtype == .int32, "expected an int32 tensor, got \(dtype)")
        return address.assumingMemoryBound(to: Int32.self)
    }
}

/// Checks that tensors that go together have the element counts they must have (for every
/// backend's preconditions).
@inline(__always)
public func expectCount(_ tensor: Tensor, _ count: Int, _ role: StaticString) {
    precondition(tensor.count == count, "\(role): expected \(count) elements, got \(tensor.shape)")
}
