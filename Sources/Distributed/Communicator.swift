import Support

/// The processes of a data-parallel run and the collective operations between them.
///
/// One process runs per device; each knows its `rank` among `worldSize` processes and its
/// `localRank` among those on its machine (which device it drives). Every collective must be
/// called by all processes in the same order with buffers of the same length; each returns
/// once every process has contributed. The buffers are flat memory (the gradient buffer, a few
/// metrics), so that a GPU implementation (NCCL) can take device addresses in their place.
///
/// An error in one process while the others wait in a collective would leave them waiting
/// forever: a process that fails calls `abort(errorCode:)`, which ends every process.
public protocol Communicator: AnyObject {
    /// This process's index, 0..<worldSize; rank 0 writes the run's files.
    var rank: Int { get }
    /// The processes of the run.
    var worldSize: Int { get }
    /// This process's index among those on its machine: the device it uses.
    var localRank: Int { get }
    /// The processes on this process's machine, which share its cores.
    var localSize: Int { get }

    /// Replaces each element of `values` by its sum over all processes, the values travelling
    /// and summed in `precision`.
    /// - Throws: `BERTKitError` when the transport fails.
    func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>, precision: ReductionPrecision) throws
    /// Replaces each element of `values` by its sum over all processes.
    /// - Throws: `BERTKitError` when the transport fails.
    func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws
    /// Replaces each element of `values` by its sum over all processes.
    /// - Throws: `BERTKitError` when the transport fails.
    func allReduceSum(_ values: UnsafeMutableBufferPointer<Int64>) throws
    /// Returns `root`'s `bytes` in every process (the others' `bytes` are not read).
    /// - Throws: `BERTKitError` when the transport fails.
    func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8]
    /// Returns once every process has called it.
    /// - Throws: `BERTKitError` when the transport fails.
    func barrier() throws
    /// Ends every process of the run with `errorCode`, whatever they are doing.
    func abort(errorCode: Int32) -> Never
    /// Leaves the run; the last call on the communicator, made by every process.
    func finalize()
}

extension Communicator {
    /// Whether other processes share the work.
    public var isDistributed: Bool { worldSize > 1 }

    /// The machine's cores divided among its processes (at least 1): each one's default
    /// number of threads.
    public var threadsPerProcess: Int { max(1, WorkerThread.processorCount / localSize) }

    /// Replaces each element of `values` by its sum over all processes, in fp32.
    /// - Throws: `BERTKitError` when the transport fails.
    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        try allReduceSum(values, precision: .fp32)
    }

    /// The element-wise sums of `values` over all processes.
    /// - Throws: `BERTKitError` when the transport fails.
    public func allReduceSum(_ values: [Double]) throws -> [Double] {
        var values = values
        try values.withUnsafeMutableBufferPointer { try allReduceSum($0) }
        return values
    }

    /// The element-wise sums of `values` over all processes.
    /// - Throws: `BERTKitError` when the transport fails.
    public func allReduceSum(_ values: [Int]) throws -> [Int] {
        var wide = values.map(Int64.init)
        try wide.withUnsafeMutableBufferPointer { try allReduceSum($0) }
        return wide.map(Int.init)
    }

    /// Every process's `values` (all of one length), in rank order.
    /// - Throws: `BERTKitError` when the transport fails.
    public func allGather(_ values: [Int]) throws -> [[Int]] {
        var slots = [Int](repeating: 0, count: values.count * worldSize)
        slots.replaceSubrange(rank * values.count..<(rank + 1) * values.count, with: values)
        let sums = try allReduceSum(slots)
        return (0..<worldSize).map { Array(sums[$0 * values.count..<($0 + 1) * values.count]) }
    }

    /// Runs `body` in process `root` alone and returns what it gives in every process. An
    /// error it throws is thrown in every process (in the others as a `BERTKitError` that
    /// says the same), so that all of them stop; alone, `body` just runs.
    /// - Throws: `body`'s error, or `BERTKitError` when the transport fails.
    public func broadcastResult(from root: Int, of body: () throws -> [UInt8]) throws -> [UInt8] {
        guard isDistributed else { return try body() }
        var failure: (any Error)?
        var message: [UInt8] = [0]
        if rank == root {
            do {
                message += try body()
            } catch {
                failure = error
                message = [1] + Array("\(error)".utf8)
            }
        }
        let received = try broadcast(message, from: root)
        if let failure { throw failure }
        guard received.first == 0 else { throw BERTKitError(String(decoding: received.dropFirst(), as: UTF8.self)) }
        return Array(received.dropFirst())
    }

    /// Returns `root`'s `text` in every process.
    /// - Throws: `BERTKitError` when the transport fails.
    public func broadcast(_ text: String, from root: Int) throws -> String {
        String(decoding: try broadcast(Array(text.utf8), from: root), as: UTF8.self)
    }
}
