import Support
import Tensor

/// The backend on an NVIDIA GPU: cuBLASLt for the matrix products, kernels of
/// Sources/CCUDAKernels compiled at start by NVRTC for the device's architecture (cached on
/// disk) for everything else, all ordered on one stream.
///
/// Every library is opened with dlopen, so BERTKit builds and runs without CUDA; this type
/// only starts where the driver, a GPU, cuBLASLt and NVRTC are present.
///
/// Precision, in this first version: every tensor the model allocates is float32 in device
/// memory (the model code allocates float32 through the protocol); matrix products round their
/// inputs to bfloat16 on the tensor cores and accumulate in float32 (see `CUBLASLt`);
/// LayerNorm and softmax statistics, losses, reductions and the optimizer state are float32
/// (sums of whole tensors in double). Kernel results differ from `CPUBackend`'s by rounding
/// (other summation orders, bf16 products, atomics in `scatterAddRows`); dropout masks are
/// identical.
public final class CUDABackend: Backend {
    let device: CUDADevice
    let blas: CUBLASLt
    /// What the backend runs on, for logs: device, architecture, library versions.
    public let summary: String
    /// Three int32 the kernels report a bad index through (see bertkit.cuh's `bk_fault`).
    private let faultWord: UnsafeMutableRawPointer
    private var scratchStorage: Storage?
    private var optimizerPlan: OptimizerPlan?

    /// Opens the driver and device `ordinal`, compiles (or loads from the cache) every kernel
    /// for its architecture, and starts cuBLASLt.
    /// - Throws: `BERTKitError` saying what is missing ("no CUDA driver (libcuda.so.1 not
    ///   found)", NVRTC or cuBLASLt not found, no device) or what failed.
    public init(search: LibrarySearch = .current(), ordinal: Int = 0) throws {
        let driver = try CUDADriver(search: search)
        let device = try CUDADevice(driver: driver, ordinal: Int32(ordinal))
        let compiler = try KernelCompiler(nvrtc: NVRTC(search: search), cache: KernelCache(environment: search.environment))
        try device.load(KernelSource.all.map { try compiler.compile($0, architecture: device.architecture) })
        let blas = try CUBLASLt(search: search, device: device)
        var version: Int32 = 0
        _ = driver.driverVersion(&version)
        summary = "\(device.name) (\(device.architecture), \(device.multiprocessors) SMs), CUDA driver \(version / 1000).\(version % 1000 / 10), "
            + "NVRTC \(compiler.nvrtc.version), cuBLASLt \(blas.version)"
        faultWord = Self.address(device.allocate(byteCount: 16, for: "the fault word"))
        device.fill(faultWord, bytes: 16, with: 0)
        (self.device, self.blas) = (device, blas)
    }

    /// Device memory: held by BERTKit's tensors now and at most, and free and total as the
    /// driver reports them, in bytes.
    public var memory: (allocated: Int, peak: Int, free: Int, total: Int) {
        let (free, total) = device.memoryInfo()
        return (device.allocatedBytes, device.peakAllocatedBytes, free, total)
    }

    // MARK: Memory

    public func allocate(_ shape: Shape, dtype: DType) -> Tensor {
        let byteCount = max(shape.count * dtype.byteSize, 4)
        let address = device.allocate(byteCount: byteCount, for: "\(shape) \(dtype)")
        let pointer = Self.address(address)
        device.fill(pointer, bytes: byteCount, with: 0)
        let storage = Storage(address: pointer, byteCount: byteCount) { [device] _ in device.free(address, byteCount: byteCount) }
        return Tensor(storage: storage, shape: shape, dtype: dtype)
    }

    public func write(_ values: [Float], to tensor: Tensor) { write(values, dtype: .float32, to: tensor) }

    public func write(_ values: [Int32], to tensor: Tensor) { write(values, dtype: .int32, to: tensor) }

    public func floats(_ tensor: Tensor) -> [Float] { read(tensor, dtype: .float32) }

    public func integers(_ tensor: Tensor) -> [Int32] { read(tensor, dtype: .int32) }

    public func fill(_ tensor: Tensor, with value: Float) {
        precondition(tensor.dtype == .float32, "fill: expected a float32 tensor, got \(tensor.dtype)")
        device.fill(tensor.address, words: tensor.count, with: value.bitPattern)
    }

    public func copy(_ source: Tensor, into destination: Tensor) {
        precondition(source.dtype == destination.dtype && source.count == destination.count,
                     "copy of \(source.shape) \(source.dtype) into \(destination.shape) \(destination.dtype)")
        device.copy(device: source.address, byteCount: source.count * source.dtype.byteSize, to: destination.address)
    }

    private func write<Element>(_ values: [Element], dtype: DType, to tensor: Tensor) {
        precondition(tensor.dtype == dtype && values.count == tensor.count,
                     "writing \(values.count) \(dtype) values to \(tensor.shape) \(tensor.dtype)")
        guard !values.isEmpty else { return }
        values.withUnsafeBytes { device.copy($0.baseAddress!, byteCount: $0.count, to: tensor.address) }
    }

    private func read<Element>(_ tensor: Tensor, dtype: DType) -> [Element] {
        precondition(tensor.dtype == dtype, "reading \(tensor.dtype) as \(dtype)")
        guard tensor.count > 0 else { return [] }
        let values = [Element](unsafeUninitializedCapacity: tensor.count) { buffer, count in
            device.copy(tensor.address, byteCount: tensor.count * dtype.byteSize, to: UnsafeMutableRawPointer(buffer.baseAddress!))
            count = tensor.count
        }
        checkFaults()
        return values
    }

    // MARK: Shared by the operations

    /// Stops the program if a kernel since the last check met a bad index (waits for the stream).
    func checkFaults() {
        var word = [Int32](repeating: 0, count: 3)
        word.withUnsafeMutableBytes { device.copy(faultWord, byteCount: 12, to: $0.baseAddress!) }
        precondition(word[0] == 0, "index \(word[1]) out of 0..<\(word[2]) (found by a CUDA kernel)")
    }

    /// The fault word, as a kernel argument.
    var fault: KernelArgument { .address(faultWord) }

    /// At least `byteCount` bytes of device memory, valid until the next call that uses it.
    func scratch(_ byteCount: Int) -> UnsafeMutableRawPointer {
        if scratchStorage == nil || scratchStorage!.byteCount < byteCount {
            scratchStorage = allocate([(byteCount + 3) / 4 * 2], dtype: .float32).storage
        }
        return scratchStorage!.address
    }

    /// The optimizer's chunk tables for `segments`, made when the segments change.
    func optimizerPlan(_ segments: [ParameterSegment], count: Int) -> OptimizerPlan {
        if let plan = optimizerPlan, plan.segments == segments { return plan }
        let plan = OptimizerPlan(segments: segments, count: count, backend: self)
        optimizerPlan = plan
        return plan
    }

    /// Copies host values of any plain type to new device memory (for the tables kernels read).
    func upload<Element>(_ values: [Element]) -> Storage {
        let byteCount = max(values.count * MemoryLayout<Element>.stride, 4)
        let storage = allocate([(byteCount + 3) / 4], dtype: .int32).storage
        if !values.isEmpty { values.withUnsafeBytes { device.copy($0.baseAddress!, byteCount: $0.count, to: storage.address) } }
        return storage
    }

    /// Threads per block for the kernels that give a block to each row of `columns`: enough
    /// warps to cover the row, at most 512.
    static func rowThreads(_ columns: Int) -> Int { min(512, max(32, (columns + 31) / 32 * 32)) }

    /// A device address from the driver as a pointer, as `Storage` holds it.
    static func address(_ value: UInt64) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: UInt(value))! }
}
