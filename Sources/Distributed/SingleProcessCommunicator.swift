#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The communicator of a process that runs alone: rank 0 of 1, every collective a no-op.
public final class SingleProcessCommunicator: Communicator {
    public let rank = 0
    public let worldSize = 1
    public let localRank = 0
    public let localSize = 1

    public init() {}

    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>, precision: ReductionPrecision) throws {}
    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws {}
    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Int64>) throws {}
    public func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8] { bytes }
    public func barrier() throws {}
    public func abort(errorCode: Int32) -> Never { exit(errorCode) }
    public func finalize() {}
}
