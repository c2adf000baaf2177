#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// A shared library opened with dlopen, whose functions are looked up by name; it stays
/// loaded for the life of the process.
final class DynamicLibrary: @unchecked Sendable {
    /// The path it was opened by (a soname when the dynamic loader found it).
    let path: String
    private let handle: UnsafeMutableRawPointer

    private init(path: String, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.handle = handle
    }

    /// Opens the first of `search`'s candidates for `library` that loads.
    /// - Throws: `BERTKitError` saying which library is missing and where it was looked for;
    ///   for the driver, "no CUDA driver (libcuda.so.1 not found)".
    static func open(_ library: CUDALibrary, search: LibrarySearch) throws -> DynamicLibrary {
        let candidates = search.candidates(for: library)
        var lastError = ""
        for path in candidates {
            if let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) { return DynamicLibrary(path: path, handle: handle) }
            if let message = dlerror() { lastError = String(cString: message) }
        }
        switch library {
        case .driver:
            throw BERTKitError("no CUDA driver (libcuda.so.1 not found): --device cuda needs an NVIDIA GPU and its driver")
        case .nvrtc:
            throw BERTKitError("\(library.displayName) not found (\(library.sonames.joined(separator: ", ")) in the "
                               + "loader's path, \(search.toolkitDirectories.joined(separator: ", ")), $BERTKIT_NVRTC "
                               + "or .venv's nvidia-cuda-nvrtc wheel); last error: \(lastError)")
        case .cublasLt:
            throw BERTKitError("\(library.displayName) not found (\(library.sonames.joined(separator: ", ")) in the "
                               + "loader's path or \(search.toolkitDirectories.joined(separator: ", ")); a directory "
                               + "holding it can go on LD_LIBRARY_PATH); last error: \(lastError)")
        }
    }

    /// The function called `name`, as the C function type `type` (by default the one the caller expects).
    /// - Throws: `BERTKitError` naming the library when it has no such symbol.
    func function<T>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let address = dlsym(handle, name) else {
            throw BERTKitError(file: path, "no function \(name) (a CUDA version BERTKit does not support?)")
        }
        return unsafeBitCast(address, to: T.self)
    }
}
