#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// One GPU as BERTKit uses it: its primary context, one stream that every copy, kernel and
/// matmul is ordered on, stream-ordered memory (cuMemAllocAsync from the device's default
/// pool, kept by the pool rather than returned to the driver) and the loaded kernels.
final class CUDADevice: @unchecked Sendable {
    let driver: CUDADriver
    /// The device's ordinal.
    let ordinal: Int32
    /// The device's name, e.g. "NVIDIA H100 80GB HBM3".
    let name: String
    /// The compute capability, e.g. (9, 0) for Hopper.
    let computeCapability: (major: Int, minor: Int)
    /// The number of streaming multiprocessors.
    let multiprocessors: Int
    /// The stream everything runs on.
    let stream: UnsafeMutableRawPointer?
    /// The device's primary context, made current on the calling thread by every operation
    /// (a `Backend` may be called from one thread after another, and storage freed on any).
    private let context: UnsafeMutableRawPointer?
    /// Bytes allocated and not yet freed, and the most there ever were.
    private(set) var allocatedBytes = 0, peakAllocatedBytes = 0
    private var functions: [String: UnsafeMutableRawPointer] = [:]
    /// Whether every launch waits for its kernel ($BERTKIT_CUDA_SYNC set): slow, but a failing
    /// kernel is then named instead of showing at the next copy to the host.
    private let synchronizesLaunches = getenv("BERTKIT_CUDA_SYNC") != nil

    /// Opens device `ordinal`: initialises the driver, makes its primary context current and
    /// creates the stream.
    /// - Throws: `BERTKitError` when the driver fails or there is no such device.
    init(driver: CUDADriver, ordinal: Int32 = 0) throws {
        self.driver = driver
        self.ordinal = ordinal
        try driver.check(driver.initialize(0), "cuInit")
        var count: Int32 = 0
        try driver.check(driver.deviceCount(&count), "cuDeviceGetCount")
        guard ordinal < count else { throw BERTKitError("no CUDA device \(ordinal): the driver sees \(count)") }
        var device: Int32 = 0
        try driver.check(driver.device(&device, ordinal), "cuDeviceGet")
        var text = [CChar](repeating: 0, count: 256)
        try driver.check(driver.deviceName(&text, Int32(text.count), device), "cuDeviceGetName")
        name = String(cString: text)
        func attribute(_ code: Int32) throws -> Int {
            var value: Int32 = 0
            try driver.check(driver.deviceAttribute(&value, code, device), "cuDeviceGetAttribute \(code)")
            return Int(value)
        }
        computeCapability = (try attribute(CUDADriver.computeCapabilityMajor), try attribute(CUDADriver.computeCapabilityMinor))
        multiprocessors = try attribute(CUDADriver.multiprocessorCount)
        var context: UnsafeMutableRawPointer?
        try driver.check(driver.retainPrimaryContext(&context, device), "cuDevicePrimaryCtxRetain")
        try driver.check(driver.setCurrentContext(context), "cuCtxSetCurrent")
        self.context = context
        var stream: UnsafeMutableRawPointer?
        try driver.check(driver.createStream(&stream, CUDADriver.nonBlockingStream), "cuStreamCreate")
        self.stream = stream
        var pool: UnsafeMutableRawPointer?
        try driver.check(driver.defaultMemoryPool(&pool, device), "cuDeviceGetDefaultMemPool")
        var threshold = UInt64.max
        try driver.check(driver.setMemoryPoolAttribute(pool, CUDADriver.releaseThreshold, &threshold), "cuMemPoolSetAttribute")
    }

    /// The architecture NVRTC compiles for: sm_90a on Hopper (its architecture-specific
    /// features), sm_MAJORMINOR elsewhere.
    var architecture: String {
        computeCapability == (9, 0) ? "sm_90a" : "sm_\(computeCapability.major)\(computeCapability.minor)"
    }

    /// Loads compiled kernel files and looks up every kernel they define.
    /// - Throws: `BERTKitError` when the driver rejects an image or lacks a kernel.
    func load(_ files: [CompiledKernelFile]) throws {
        for file in files {
            var module: UnsafeMutableRawPointer?
            try file.image.withUnsafeBytes { try driver.check(driver.loadModule(&module, $0.baseAddress!), "loading \(file.source.name)") }
            for kernel in file.source.kernelNames {
                var function: UnsafeMutableRawPointer?
                try driver.check(driver.moduleFunction(&function, module, kernel), "kernel \(kernel) of \(file.source.name)")
                functions[kernel] = function
            }
        }
    }

    /// Launches kernel `name` on the stream with a grid of `grid` blocks of `block` threads.
    func launch(_ name: String, grid: (x: Int, y: Int), block: (x: Int, y: Int), _ arguments: [KernelArgument]) {
        guard let function = functions[name] else { preconditionFailure("CUDA: no kernel \(name) loaded") }
        guard grid.x > 0 && grid.y > 0 else { return }
        makeCurrent()
        let result = KernelArgument.withParameters(arguments) { parameters in
            driver.launchKernel(function, UInt32(grid.x), UInt32(grid.y), 1, UInt32(block.x), UInt32(block.y), 1, 0, stream,
                                parameters, nil)
        }
        driver.require(result, "launching \(name) on \(grid) blocks of \(block)")
        if synchronizesLaunches { driver.require(driver.synchronizeStream(stream), "running \(name) on \(grid) blocks of \(block)") }
    }

    /// Launches kernel `name` with one-dimensional blocks.
    func launch(_ name: String, blocks: Int, threads: Int, _ arguments: [KernelArgument]) {
        launch(name, grid: (blocks, 1), block: (threads, 1), arguments)
    }

    /// Launches an elementwise kernel over `count` elements: blocks of 256 threads, as many
    /// as cover them up to 65,536 blocks (the kernels' grid-stride loops take the rest).
    func launchElementwise(_ name: String, count: Int, _ arguments: [KernelArgument]) {
        launch(name, blocks: min((count + 255) / 256, 65536), threads: 256, arguments)
    }

    /// `byteCount` bytes of device memory, not cleared. Out of memory, the program stops with
    /// an error suggesting a smaller micro-batch (the `Backend` protocol cannot throw).
    func allocate(byteCount: Int, for what: @autoclosure () -> String) -> UInt64 {
        makeCurrent()
        var address: UInt64 = 0
        let result = driver.allocateAsync(&address, byteCount, stream)
        if result == CUDADriver.outOfMemory {
            let (free, total) = memoryInfo()
            let message = "error: CUDA out of memory allocating \(Formatting.bytes(byteCount)) for \(what()) on \(name) "
                + "(\(Formatting.bytes(allocatedBytes)) held by BERTKit, \(Formatting.bytes(free)) free of "
                + "\(Formatting.bytes(total))): try a smaller micro-batch (--batch-size, or more gradient accumulation steps)\n"
            message.withCString { _ = fputs($0, stderr) }
            exit(1)
        }
        driver.require(result, "cuMemAllocAsync of \(byteCount) bytes for \(what())")
        allocatedBytes += byteCount
        peakAllocatedBytes = max(peakAllocatedBytes, allocatedBytes)
        return address
    }

    /// Frees memory from `allocate`, once the stream's earlier work is done with it.
    func free(_ address: UInt64, byteCount: Int) {
        makeCurrent()
        driver.require(driver.freeAsync(address, stream), "cuMemFreeAsync")
        allocatedBytes -= byteCount
    }

    /// Copies host bytes to the device (ordered on the stream; the host memory may be reused
    /// when this returns).
    func copy(_ bytes: UnsafeRawPointer, byteCount: Int, to address: UnsafeMutableRawPointer) {
        guard byteCount > 0 else { return }
        makeCurrent()
        driver.require(driver.copyHostToDevice(Self.integer(address), bytes, byteCount, stream), "copy to the device")
    }

    /// Copies device bytes to the host, waiting for them.
    func copy(_ address: UnsafeMutableRawPointer, byteCount: Int, to bytes: UnsafeMutableRawPointer) {
        guard byteCount > 0 else { return }
        makeCurrent()
        driver.require(driver.copyDeviceToHost(bytes, Self.integer(address), byteCount, stream), "copy to the host")
        synchronize()
    }

    /// Copies bytes within the device.
    func copy(device source: UnsafeMutableRawPointer, byteCount: Int, to destination: UnsafeMutableRawPointer) {
        guard byteCount > 0 else { return }
        makeCurrent()
        driver.require(driver.copyDeviceToDevice(Self.integer(destination), Self.integer(source), byteCount, stream),
                       "copy within the device")
    }

    /// Sets `count` 32-bit words at `address` to `value`.
    func fill(_ address: UnsafeMutableRawPointer, words count: Int, with value: UInt32) {
        guard count > 0 else { return }
        makeCurrent()
        driver.require(driver.set32(Self.integer(address), value, count, stream), "cuMemsetD32Async")
    }

    /// Sets `count` bytes at `address` to `value`.
    func fill(_ address: UnsafeMutableRawPointer, bytes count: Int, with value: UInt8) {
        guard count > 0 else { return }
        makeCurrent()
        driver.require(driver.set8(Self.integer(address), value, count, stream), "cuMemsetD8Async")
    }

    /// Waits for everything queued on the stream; a kernel's failure shows here.
    func synchronize() {
        makeCurrent()
        driver.require(driver.synchronizeStream(stream), "waiting for the GPU")
    }

    /// Free and total device memory in bytes, as the driver reports them.
    func memoryInfo() -> (free: Int, total: Int) {
        var (free, total) = (0, 0)
        makeCurrent()
        driver.require(driver.memoryInfo(&free, &total), "cuMemGetInfo")
        return (free, total)
    }

    /// Makes the context current on the calling thread (a thread-local pointer: cheap).
    private func makeCurrent() {
        driver.require(driver.setCurrentContext(context), "cuCtxSetCurrent")
    }

    /// A device address held in a pointer, as the driver API's integer.
    static func integer(_ address: UnsafeMutableRawPointer) -> UInt64 { UInt64(UInt(bitPattern: address)) }
}
