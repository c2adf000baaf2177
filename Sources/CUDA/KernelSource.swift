import CCUDAKernels

/// One CUDA C++ source file of the kernels, embedded in the binary (Sources/CCUDAKernels).
public struct KernelSource: Sendable, Hashable {
    /// The file name, e.g. "softmax.cu".
    public let name: String
    /// The source text.
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The header every kernel file includes (`#include "bertkit.cuh"`).
    public static let header: KernelSource = embedded.first { $0.name.hasSuffix(".cuh") }!

    /// The kernel files, in name order.
    public static let all: [KernelSource] = embedded.filter { $0.name.hasSuffix(".cu") }

    /// The directory of the files in the repository, which compilation errors name.
    public static let repositoryDirectory = "Sources/CCUDAKernels/kernels"

    /// The file's path in the repository.
    public var repositoryPath: String { Self.repositoryDirectory + "/" + name }

    /// The names of the kernels the file defines (lines starting `extern "C" __global__ void NAME(`),
    /// in order.
    public var kernelNames: [String] {
        let marker = "extern \"C\" __global__ void "
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(marker) else { return nil }
            return line.dropFirst(marker.count).split(separator: "(").first.map(String.init)
        }
    }

    /// The source file that defines the kernel `name`, if any does.
    public static func defining(_ kernel: String) -> KernelSource? {
        all.first { $0.kernelNames.contains(kernel) }
    }

    private static let embedded: [KernelSource] = (0..<bertkit_kernel_file_count()).map { index in
        let file = bertkit_kernel_file_at(index)
        return KernelSource(name: String(cString: file.name),
                            text: String(decoding: UnsafeBufferPointer(start: file.bytes, count: file.size), as: UTF8.self))
    }
}
