import CMPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// The processes of a run started by `mpirun` or `srun`, over MPI's world communicator.
///
/// Made once per process, after which MPI is initialised (`MPI_Init_thread`) at the
/// funneled level: only the thread that made the communicator calls MPI (the data loader's
/// reading thread never does). Errors are returned as codes, so that each failed operation
/// is reported by name. Buffers longer than MPI's 32-bit counts go in chunks. A bf16
/// reduction rounds the values into a buffer of bfloat16 values and sums them with an
/// operation of BERTKit's (the shim's `bk_bfloat16_sum`).
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let worldSize: Int
    public let localRank: Int
    public let localSize: Int
    private let world = bk_mpi_comm_world()
    /// The bfloat16 sum, an operation MPI does not have.
    private var bfloat16Sum: MPI_Op?
    private var finalized = false

    /// Initialises MPI; `localRank` is what the launcher said (MPI does not know it).
    /// - Throws: `BERTKitError` when MPI is already initialised, cannot be, or does not give
    ///   the funneled thread level.
    public init(localRank: Int) throws {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        guard initialized == 0 else { throw BERTKitError("MPI is already initialised in this process") }
        var provided: Int32 = 0
        try Self.check(MPI_Init_thread(nil, nil, bk_mpi_thread_funneled(), &provided), "MPI_Init_thread")
        guard provided >= bk_mpi_thread_funneled() else {
            MPI_Finalize()
            throw BERTKitError("MPI gives thread level \(provided), below MPI_THREAD_FUNNELED, which BERTKit needs "
                               + "(the data loader reads files on a thread of its own)")
        }
        try Self.check(bk_mpi_errors_return(), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0
        var size: Int32 = 0
        try Self.check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try Self.check(MPI_Comm_size(world, &size), "MPI_Comm_size")
        self.rank = Int(rank)
        worldSize = Int(size)
        self.localRank = localRank
        // The processes that can share memory with this one: those on its machine.
        var machine: MPI_Comm?
        try Self.check(MPI_Comm_split_type(world, bk_mpi_comm_type_shared(), rank, bk_mpi_info_null(), &machine),
                       "MPI_Comm_split_type")
        var machineSize: Int32 = 0
        try Self.check(MPI_Comm_size(machine, &machineSize), "MPI_Comm_size")
        try Self.check(MPI_Comm_free(&machine), "MPI_Comm_free")
        localSize = Int(machineSize)
    }

    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>, precision: ReductionPrecision) throws {
        guard let base = values.baseAddress else { return }
        switch precision {
        case .fp32:
            try allReduce(values, type: bk_mpi_float(), operation: bk_mpi_sum())
        case .bf16:
            if bfloat16Sum == nil {
                var operation: MPI_Op?
                try Self.check(bk_mpi_bfloat16_sum(&operation), "MPI_Op_create")
                bfloat16Sum = operation
            }
            var rounded = [UInt16](repeating: 0, count: values.count)
            try rounded.withUnsafeMutableBufferPointer { buffer in
                bk_to_bfloat16(base, buffer.baseAddress, values.count)
                try allReduce(buffer, type: bk_mpi_uint16(), operation: bfloat16Sum!)
                bk_from_bfloat16(buffer.baseAddress, base, values.count)
            }
        }
    }

    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        try allReduce(values, type: bk_mpi_double(), operation: bk_mpi_sum())
    }

    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Int64>) throws {
        try allReduce(values, type: bk_mpi_int64(), operation: bk_mpi_sum())
    }

    public func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8] {
        var count = Int64(bytes.count)
        try Self.check(MPI_Bcast(&count, 1, bk_mpi_int64(), Int32(root), world), "MPI_Bcast")
        var received = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
        try received.withUnsafeMutableBufferPointer { buffer in
            for chunk in Self.chunks(buffer.count) {
                try Self.check(MPI_Bcast(buffer.baseAddress! + chunk.lowerBound, Int32(chunk.count), bk_mpi_byte(),
                                         Int32(root), world), "MPI_Bcast")
            }
        }
        return received
    }

    public func barrier() throws {
        try Self.check(MPI_Barrier(world), "MPI_Barrier")
    }

    public func abort(errorCode: Int32) -> Never {
        MPI_Abort(world, errorCode)
        exit(errorCode)
    }

    public func finalize() {
        guard !finalized else { return }
        finalized = true
        if bfloat16Sum != nil { MPI_Op_free(&bfloat16Sum) }
        MPI_Finalize()
    }

    /// Reduces `values` over all processes in place with `operation`, in chunks MPI's counts
    /// can hold.
    private func allReduce<Element>(_ values: UnsafeMutableBufferPointer<Element>, type: MPI_Datatype,
                                    operation: MPI_Op) throws {
        guard let base = values.baseAddress else { return }
        for chunk in Self.chunks(values.count) {
            try Self.check(MPI_Allreduce(bk_mpi_in_place(), base + chunk.lowerBound, Int32(chunk.count), type, operation,
                                         world), "MPI_Allreduce")
        }
    }

    /// 0..<count cut into ranges of at most 2³⁰ elements.
    private static func chunks(_ count: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: 1 << 30).map { $0..<min(count, $0 + (1 << 30)) }
    }

    /// Throws MPI's description of `code` unless it is success.
    private static func check(_ code: Int32, _ operation: String) throws {
        guard code != bk_mpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(bk_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw BERTKitError("\(operation) failed: \(String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
    }
}
