/// The cubin of one kernel file for one GPU architecture.
public struct CompiledKernelFile: Sendable {
    /// The file compiled.
    public let source: KernelSource
    /// The architecture, e.g. "sm_90a".
    public let architecture: String
    /// The cubin (an ELF image the driver loads).
    public let image: [UInt8]
    /// Whether it came from the disk cache rather than from NVRTC.
    public let fromCache: Bool

    public init(source: KernelSource, architecture: String, image: [UInt8], fromCache: Bool) {
        self.source = source
        self.architecture = architecture
        self.image = image
        self.fromCache = fromCache
    }

    /// Whether the cubin holds the code of kernel `name`: its ELF section `.text.NAME`, whose
    /// name the section-name table spells out followed by a NUL.
    public func defines(_ name: String) -> Bool {
        let needle = Array((".text." + name).utf8) + [0]
        guard image.count >= needle.count else { return false }
        var start = 0
        while start + needle.count <= image.count {
            guard let first = image[start...].firstIndex(of: needle[0]), first + needle.count <= image.count else { return false }
            if image[first ..< first + needle.count].elementsEqual(needle) { return true }
            start = first + 1
        }
        return false
    }

    /// The kernels of the source that the cubin lacks (none when the compilation is complete).
    public var missingKernels: [String] { source.kernelNames.filter { !defines($0) } }
}
