/// One of the CUDA libraries BERTKit opens at run time with dlopen, and the file names
/// (sonames) it goes by, newest CUDA first.
public enum CUDALibrary: Sendable, CaseIterable {
    /// The driver API, libcuda.so.1: installed with the GPU driver, not with the toolkit.
    case driver
    /// cuBLASLt, for the matrix products.
    case cublasLt
    /// NVRTC, the run-time compiler of the kernels.
    case nvrtc

    /// The file names to try, CUDA 13's before CUDA 12's.
    public var sonames: [String] {
        switch self {
        case .driver: ["libcuda.so.1"]
        case .cublasLt: ["libcublasLt.so.13", "libcublasLt.so.12"]
        case .nvrtc: ["libnvrtc.so.13", "libnvrtc.so.12"]
        }
    }

    /// How messages name it.
    public var displayName: String {
        switch self {
        case .driver: "CUDA driver"
        case .cublasLt: "cuBLASLt"
        case .nvrtc: "NVRTC"
        }
    }
}
