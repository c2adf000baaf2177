import Support

/// Compiles the kernel files with NVRTC for one GPU architecture, through the disk cache.
public final class KernelCompiler: @unchecked Sendable {
    /// The compiler.
    public let nvrtc: NVRTC
    /// The cubins kept between runs, nil to always compile.
    public let cache: KernelCache?

    public init(nvrtc: NVRTC, cache: KernelCache?) {
        self.nvrtc = nvrtc
        self.cache = cache
    }

    /// The architectures the continuous integration compiles for: Ampere, Hopper, and Hopper
    /// with its architecture-specific features (what Hopper GPUs run).
    public static let checkedArchitectures = ["sm_80", "sm_90", "sm_90a"]

    /// The NVRTC options for `architecture`: C++17, line information for the profilers, and
    /// precise math (the kernels are held against the CPU backend).
    public static func options(architecture: String) -> [String] {
        ["--gpu-architecture=\(architecture)", "--std=c++17", "--generate-line-info"]
    }

    /// Checks that `architecture` names a real GPU architecture: "sm_" then digits, maybe "a".
    /// - Throws: `BERTKitError` otherwise.
    public static func validate(architecture: String) throws {
        let digits = architecture.dropFirst(3).drop { $0.isNumber }
        guard architecture.hasPrefix("sm_"), architecture.count > 3, digits.isEmpty || digits == "a",
              architecture.dropFirst(3).first?.isNumber == true else {
            throw BERTKitError("'\(architecture)' is not a GPU architecture (sm_80, sm_90a, …)")
        }
    }

    /// The cubin of `source` for `architecture`, from the cache when it holds it, else from
    /// NVRTC (then stored in the cache).
    /// - Throws: `BERTKitError` naming the file and line of a compilation error, or when the
    ///   cache cannot be written.
    public func compile(_ source: KernelSource, architecture: String) throws -> CompiledKernelFile {
        try Self.validate(architecture: architecture)
        let options = Self.options(architecture: architecture)
        let key = KernelCache.key(source: source, header: KernelSource.header, compilerVersion: nvrtc.version, options: options)
        if let image = cache?.load(key: key, architecture: architecture) {
            return CompiledKernelFile(source: source, architecture: architecture, image: image, fromCache: true)
        }
        let image = try nvrtc.compile(source, header: KernelSource.header, options: options)
        try cache?.store(image, key: key, architecture: architecture)
        return CompiledKernelFile(source: source, architecture: architecture, image: image, fromCache: false)
    }
}
