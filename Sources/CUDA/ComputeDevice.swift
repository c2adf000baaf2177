import Support
import Tensor

/// Where the tensors live and the operations run: `--device cpu|cuda`.
public enum ComputeDevice: String, Sendable, CaseIterable {
    /// The host's cores (`CPUBackend`).
    case cpu
    /// The first NVIDIA GPU (`CUDABackend`).
    case cuda

    /// The backend for `device` on `threads` host threads, on GPU `ordinal` (a process's local
    /// rank, one process per GPU); with no device, CUDA when it starts, else the CPU
    /// (`fallback` then says why CUDA did not start).
    /// - Throws: `BERTKitError` when CUDA was asked for and cannot start, saying what is missing.
    public static func makeBackend(_ device: ComputeDevice?, threads: Int,
                                   ordinal: Int = 0) throws -> (backend: Backend, fallback: String?) {
        switch device {
        case .cpu: return (CPUBackend(threads: threads), nil)
        case .cuda: return (try CUDABackend(ordinal: ordinal), nil)
        case nil:
            do {
                return (try CUDABackend(ordinal: ordinal), nil)
            } catch let error as BERTKitError {
                return (CPUBackend(threads: threads), error.message)
            }
        }
    }
}
