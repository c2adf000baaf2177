import Testing
@testable import Tensor
import Support

/// The parent of every suite here, run one test at a time: OpenBLAS's thread count is
/// process-wide, and the CPU backends of concurrent tests would change it under each other.
@Suite(.serialized) struct TensorTests {}

/// The backend most tests use: two threads, so that every kernel's parallel split runs.
let backend = CPUBackend(threads: 2)
