import Testing
@testable import Tensor
import Support

/// The parent of every suite here, run one test at a time: they share one backend, whose
/// calls must come from one thread at a time.
@Suite(.serialized) struct TensorTests {}

/// The backend most tests use: two threads, so that every kernel's parallel split runs.
let backend = CPUBackend(threads: 2)
