import Support

/// The functions of the CUDA driver API (libcuda.so.1) that BERTKit calls, looked up with
/// dlsym under their current names (the `_v2` entry points where the API has them); handles
/// are opaque pointers, device addresses 64-bit integers, results CUresult (0 is success).
final class CUDADriver: @unchecked Sendable {
    typealias Handle = UnsafeMutableRawPointer?
    typealias Result = Int32

    let initialize: @convention(c) (UInt32) -> Result
    let driverVersion: @convention(c) (UnsafeMutablePointer<Int32>) -> Result
    let deviceCount: @convention(c) (UnsafeMutablePointer<Int32>) -> Result
    let device: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Result
    let deviceName: @convention(c) (UnsafeMutablePointer<CChar>, Int32, Int32) -> Result
    let deviceAttribute: @convention(c) (UnsafeMutablePointer<Int32>, Int32, Int32) -> Result
    let retainPrimaryContext: @convention(c) (UnsafeMutablePointer<Handle>, Int32) -> Result
    let setCurrentContext: @convention(c) (Handle) -> Result
    let createStream: @convention(c) (UnsafeMutablePointer<Handle>, UInt32) -> Result
    let synchronizeStream: @convention(c) (Handle) -> Result
    let defaultMemoryPool: @convention(c) (UnsafeMutablePointer<Handle>, Int32) -> Result
    let setMemoryPoolAttribute: @convention(c) (Handle, Int32, UnsafeMutableRawPointer) -> Result
    let allocateAsync: @convention(c) (UnsafeMutablePointer<UInt64>, Int, Handle) -> Result
    let freeAsync: @convention(c) (UInt64, Handle) -> Result
    let memoryInfo: @convention(c) (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) -> Result
    let copyHostToDevice: @convention(c) (UInt64, UnsafeRawPointer, Int, Handle) -> Result
    let copyDeviceToHost: @convention(c) (UnsafeMutableRawPointer, UInt64, Int, Handle) -> Result
    let copyDeviceToDevice: @convention(c) (UInt64, UInt64, Int, Handle) -> Result
    let set8: @convention(c) (UInt64, UInt8, Int, Handle) -> Result
    let set32: @convention(c) (UInt64, UInt32, Int, Handle) -> Result
    let loadModule: @convention(c) (UnsafeMutablePointer<Handle>, UnsafeRawPointer) -> Result
    let moduleFunction: @convention(c) (UnsafeMutablePointer<Handle>, Handle, UnsafePointer<CChar>) -> Result
    let launchKernel: @convention(c) (Handle, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, Handle,
                                      UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Result
    let errorName: @convention(c) (Result, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Result
    let errorString: @convention(c) (Result, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Result

    /// CUDA_ERROR_OUT_OF_MEMORY.
    static let outOfMemory: Result = 2
    /// CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR and _MINOR.
    static let computeCapabilityMajor: Int32 = 75, computeCapabilityMinor: Int32 = 76
    /// CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT.
    static let multiprocessorCount: Int32 = 16
    /// CU_MEMPOOL_ATTR_RELEASE_THRESHOLD (a uint64 of bytes).
    static let releaseThreshold: Int32 = 4
    /// CU_STREAM_NON_BLOCKING.
    static let nonBlockingStream: UInt32 = 1

    /// Opens libcuda.so.1 where `search` finds it and looks its functions up.
    /// - Throws: `BERTKitError` "no CUDA driver (libcuda.so.1 not found)" when it is absent.
    init(search: LibrarySearch) throws {
        let library = try DynamicLibrary.open(.driver, search: search)
        initialize = try library.function("cuInit")
        driverVersion = try library.function("cuDriverGetVersion")
        deviceCount = try library.function("cuDeviceGetCount")
        device = try library.function("cuDeviceGet")
        deviceName = try library.function("cuDeviceGetName")
        deviceAttribute = try library.function("cuDeviceGetAttribute")
        retainPrimaryContext = try library.function("cuDevicePrimaryCtxRetain")
        setCurrentContext = try library.function("cuCtxSetCurrent")
        createStream = try library.function("cuStreamCreate")
        synchronizeStream = try library.function("cuStreamSynchronize")
        defaultMemoryPool = try library.function("cuDeviceGetDefaultMemPool")
        setMemoryPoolAttribute = try library.function("cuMemPoolSetAttribute")
        allocateAsync = try library.function("cuMemAllocAsync")
        freeAsync = try library.function("cuMemFreeAsync")
        memoryInfo = try library.function("cuMemGetInfo_v2")
        copyHostToDevice = try library.function("cuMemcpyHtoDAsync_v2")
        copyDeviceToHost = try library.function("cuMemcpyDtoHAsync_v2")
        copyDeviceToDevice = try library.function("cuMemcpyDtoDAsync_v2")
        set8 = try library.function("cuMemsetD8Async")
        set32 = try library.function("cuMemsetD32Async")
        loadModule = try library.function("cuModuleLoadData")
        moduleFunction = try library.function("cuModuleGetFunction")
        launchKernel = try library.function("cuLaunchKernel")
        errorName = try library.function("cuGetErrorName")
        errorString = try library.function("cuGetErrorString")
    }

    /// "CUDA_ERROR_NAME: description" for a result.
    func describe(_ result: Result) -> String {
        var name: UnsafePointer<CChar>?, text: UnsafePointer<CChar>?
        _ = errorName(result, &name)
        _ = errorString(result, &text)
        return "\(name.map { String(cString: $0) } ?? "CUresult \(result)"): \(text.map { String(cString: $0) } ?? "unknown error")"
    }

    /// Throws a `BERTKitError` saying what failed unless `result` is success.
    func check(_ result: Result, _ what: @autoclosure () -> String) throws {
        guard result == 0 else { throw BERTKitError("\(what()): \(describe(result))") }
    }

    /// Stops the program with a message unless `result` is success: for the calls the
    /// `Backend` protocol cannot report an error from (a failure there is a bug or a lost GPU).
    func require(_ result: Result, _ what: @autoclosure () -> String) {
        if result != 0 { preconditionFailure("CUDA: \(what()): \(describe(result))") }
    }
}
