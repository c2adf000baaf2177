import Support

/// cuBLASLt, opened with dlopen, running the backend's matrix products.
///
/// Precision: the tensors stay float32 in device memory and the products run with compute
/// type CUBLAS_COMPUTE_32F_FAST_16BF: cuBLASLt rounds the inputs to bfloat16 inside the
/// kernel, multiplies on the tensor cores and accumulates in float32. That is the bf16
/// tensor-core rate without a conversion kernel, a second copy of every operand, or a change
/// to the `Backend` protocol (whose model code allocates float32); the price is reading and
/// writing fp32 operands (twice the bytes of bf16 storage), which true bf16 activations can
/// remove later.
///
/// Each distinct shape (with the alignment its operands share) gets its descriptors and its
/// algorithm (the heuristic's first choice) once; a step's products then reuse them.
final class CUBLASLt: @unchecked Sendable {
    private typealias Handle = UnsafeMutableRawPointer?
    private typealias Status = Int32

    private let matmulFunction: @convention(c) (Handle, Handle, UnsafeRawPointer, UnsafeRawPointer?, Handle,
                                                UnsafeRawPointer?, Handle, UnsafeRawPointer, UnsafeRawPointer?, Handle,
                                                UnsafeMutableRawPointer?, Handle, UnsafeRawPointer?, UnsafeMutableRawPointer?,
                                                Int, Handle) -> Status
    private let createDescriptor: @convention(c) (UnsafeMutablePointer<Handle>, Int32, Int32) -> Status
    private let setDescriptorAttribute: @convention(c) (Handle, Int32, UnsafeRawPointer, Int) -> Status
    private let destroyDescriptor: @convention(c) (Handle) -> Status
    private let createLayout: @convention(c) (UnsafeMutablePointer<Handle>, Int32, UInt64, UInt64, Int64) -> Status
    private let setLayoutAttribute: @convention(c) (Handle, Int32, UnsafeRawPointer, Int) -> Status
    private let destroyLayout: @convention(c) (Handle) -> Status
    private let createPreference: @convention(c) (UnsafeMutablePointer<Handle>) -> Status
    private let destroyPreference: @convention(c) (Handle) -> Status
    private let setPreferenceAttribute: @convention(c) (Handle, Int32, UnsafeRawPointer, Int) -> Status
    private let heuristic: @convention(c) (Handle, Handle, Handle, Handle, Handle, Handle, Handle, Int32,
                                           UnsafeMutableRawPointer, UnsafeMutablePointer<Int32>) -> Status
    /// The library's version (cublasLtGetVersion: major·10000 + minor·100 + patch).
    let version: Int
    private let handle: Handle
    private let device: CUDADevice
    private let workspace: UnsafeMutableRawPointer
    private var plans: [MatmulShape: Plan] = [:]

    /// Bytes of device memory the products may use as scratch.
    static let workspaceBytes = 32 << 20
    /// cudaDataType CUDA_R_32F; cublasComputeType_t CUBLAS_COMPUTE_32F_FAST_16BF.
    private static let float32: Int32 = 0, computeFast16BF: Int32 = 75
    /// cublasLtMatmulDescAttributes_t TRANSA, TRANSB; cublasOperation_t N, T.
    private static let transposeAAttribute: Int32 = 3, transposeBAttribute: Int32 = 4
    /// cublasLtMatrixLayoutAttribute_t BATCH_COUNT (int32), STRIDED_BATCH_OFFSET (int64).
    private static let batchCountAttribute: Int32 = 5, batchStrideAttribute: Int32 = 6
    /// cublasLtMatmulPreferenceAttributes_t MAX_WORKSPACE_BYTES (uint64) and
    /// MIN_ALIGNMENT_A_BYTES … MIN_ALIGNMENT_D_BYTES (uint32).
    private static let maxWorkspaceAttribute: Int32 = 1
    private static let minimumAlignmentAttributes: [Int32] = [5, 6, 7, 8]
    /// The size of cublasLtMatmulHeuristicResult_t: the 64-byte algorithm, its workspace
    /// size, state, waves count and four reserved ints.
    private static let heuristicResultBytes = 96

    /// Opens cuBLASLt where `search` finds it and creates a handle for `device`.
    /// - Throws: `BERTKitError` when the library is missing or cannot start.
    init(search: LibrarySearch, device: CUDADevice) throws {
        let library = try DynamicLibrary.open(.cublasLt, search: search)
        matmulFunction = try library.function("cublasLtMatmul")
        createDescriptor = try library.function("cublasLtMatmulDescCreate")
        setDescriptorAttribute = try library.function("cublasLtMatmulDescSetAttribute")
        destroyDescriptor = try library.function("cublasLtMatmulDescDestroy")
        createLayout = try library.function("cublasLtMatrixLayoutCreate")
        setLayoutAttribute = try library.function("cublasLtMatrixLayoutSetAttribute")
        destroyLayout = try library.function("cublasLtMatrixLayoutDestroy")
        createPreference = try library.function("cublasLtMatmulPreferenceCreate")
        destroyPreference = try library.function("cublasLtMatmulPreferenceDestroy")
        setPreferenceAttribute = try library.function("cublasLtMatmulPreferenceSetAttribute")
        heuristic = try library.function("cublasLtMatmulAlgoGetHeuristic")
        let getVersion: @convention(c) () -> Int = try library.function("cublasLtGetVersion")
        version = getVersion()
        let create: @convention(c) (UnsafeMutablePointer<Handle>) -> Status = try library.function("cublasLtCreate")
        var handle: Handle = nil
        try Self.check(create(&handle), "cublasLtCreate")
        self.handle = handle
        self.device = device
        workspace = UnsafeMutableRawPointer(bitPattern: UInt(device.allocate(byteCount: Self.workspaceBytes, for: "cuBLASLt's workspace")))!
    }

    /// Runs C = α·op(A)·op(B) + β·C on the device's stream (addresses of float32 matrices).
    func matmul(_ shape: MatmulShape, a: UnsafeMutableRawPointer, b: UnsafeMutableRawPointer, c: UnsafeMutableRawPointer,
                alpha: Float, beta: Float) {
        guard shape.m > 0 && shape.n > 0 && shape.batch > 0 else { return }
        var shape = shape
        shape.alignment = MatmulShape.alignment(of: [a, b, c])
        let plan = self.plan(shape)
        var (alpha, beta) = (alpha, beta)
        let status = plan.algorithm.withUnsafeBytes { algorithm in
            matmulFunction(handle, plan.descriptor, &alpha, b, plan.first, a, plan.second, &beta, c, plan.result, c, plan.result,
                           algorithm.baseAddress, workspace, Self.workspaceBytes, device.stream)
        }
        if status != 0 { preconditionFailure("cuBLASLt: cublasLtMatmul failed with status \(status) on \(shape)") }
    }

    /// The descriptors and algorithm of `shape`, made the first time it is seen.
    private func plan(_ shape: MatmulShape) -> Plan {
        if let plan = plans[shape] { return plan }
        do {
            let plan = try makePlan(shape)
            plans[shape] = plan
            return plan
        } catch {
            preconditionFailure("cuBLASLt: \(error)")
        }
    }

    private func makePlan(_ shape: MatmulShape) throws -> Plan {
        var descriptor: Handle = nil
        try Self.check(createDescriptor(&descriptor, Self.computeFast16BF, Self.float32), "cublasLtMatmulDescCreate")
        var (first, second): (Int32, Int32) = (shape.transposeB ? 1 : 0, shape.transposeA ? 1 : 0)
        try Self.check(setDescriptorAttribute(descriptor, Self.transposeAAttribute, &first, 4), "TRANSA")
        try Self.check(setDescriptorAttribute(descriptor, Self.transposeBAttribute, &second, 4), "TRANSB")
        func layout(_ dimensions: (rows: Int, columns: Int, leading: Int), stride: Int) throws -> Handle {
            var layout: Handle = nil
            try Self.check(createLayout(&layout, Self.float32, UInt64(dimensions.rows), UInt64(dimensions.columns),
                                        Int64(max(dimensions.leading, 1))), "cublasLtMatrixLayoutCreate")
            if shape.batch > 1 {
                var (count, offset) = (Int32(shape.batch), Int64(stride))
                try Self.check(setLayoutAttribute(layout, Self.batchCountAttribute, &count, 4), "BATCH_COUNT")
                try Self.check(setLayoutAttribute(layout, Self.batchStrideAttribute, &offset, 8), "STRIDED_BATCH_OFFSET")
            }
            return layout
        }
        let plan = Plan(descriptor: descriptor, first: try layout(shape.firstOperand, stride: shape.strideB),
                        second: try layout(shape.secondOperand, stride: shape.strideA),
                        result: try layout(shape.result, stride: shape.strideC),
                        destroyDescriptor: destroyDescriptor, destroyLayout: destroyLayout)
        // The search's limits: the workspace, and the operands' alignment.
        var preference: Handle = nil
        try Self.check(createPreference(&preference), "cublasLtMatmulPreferenceCreate")
        defer { _ = destroyPreference(preference) }
        var limit = UInt64(Self.workspaceBytes)
        try Self.check(setPreferenceAttribute(preference, Self.maxWorkspaceAttribute, &limit, 8), "workspace preference")
        var alignment = UInt32(shape.alignment)
        for attribute in Self.minimumAlignmentAttributes {
            try Self.check(setPreferenceAttribute(preference, attribute, &alignment, 4), "alignment preference")
        }
        var result = [UInt8](repeating: 0, count: Self.heuristicResultBytes)
        var found: Int32 = 0
        try Self.check(result.withUnsafeMutableBytes {
            heuristic(handle, descriptor, plan.first, plan.second, plan.result, plan.result, preference, 1, $0.baseAddress!, &found)
        }, "cublasLtMatmulAlgoGetHeuristic for \(shape)")
        guard found > 0 else { throw BERTKitError("cuBLASLt has no algorithm for \(shape)") }
        plan.algorithm = Array(result[..<64])
        return plan
    }

    private static func check(_ status: Status, _ what: String) throws {
        guard status == 0 else { throw BERTKitError("cuBLASLt: \(what) failed with status \(status)") }
    }

    /// The descriptors of one shape and its algorithm (the 64 bytes of cublasLtMatmulAlgo_t).
    private final class Plan {
        let descriptor: Handle, first: Handle, second: Handle, result: Handle
        var algorithm: [UInt8] = []
        private let destroyDescriptor: @convention(c) (Handle) -> Status
        private let destroyLayout: @convention(c) (Handle) -> Status

        init(descriptor: Handle, first: Handle, second: Handle, result: Handle,
             destroyDescriptor: @escaping @convention(c) (Handle) -> Status, destroyLayout: @escaping @convention(c) (Handle) -> Status) {
            (self.descriptor, self.first, self.second, self.result) = (descriptor, first, second, result)
            (self.destroyDescriptor, self.destroyLayout) = (destroyDescriptor, destroyLayout)
        }

        deinit {
            _ = destroyDescriptor(descriptor)
            for layout in [first, second, result] { _ = destroyLayout(layout) }
        }
    }
}
