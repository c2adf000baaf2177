import Distributed
import Support
import Testing

extension DistributedTests {
    /// A process alone: rank 0 of 1, and every collective leaves the values as they are.
    @Suite struct SingleProcessCommunicatorTests {
        let communicator = SingleProcessCommunicator()

        @Test func isRankZeroOfOne() {
            #expect(communicator.rank == 0 && communicator.worldSize == 1 && communicator.localRank == 0)
            #expect(communicator.localSize == 1)
            #expect(!communicator.isDistributed)
            #expect(communicator.threadsPerProcess == WorkerThread.processorCount)
        }

        @Test func collectivesKeepTheValues() throws {
            var floats: [Float] = [1.5, -2, 0.25]
            #expect(floats == [1.5, -2, 0.25])
            try floats.withUnsafeMutableBufferPointer { try communicator.allReduceSum($0) }
            #expect(floats == [1.5, -2, 0.25])
            var unrounded: [Float] = [1.001]
            try unrounded.withUnsafeMutableBufferPointer { try communicator.allReduceSum($0, precision: .bf16) }
            #expect(unrounded == [1.001])
            #expect(try communicator.allReduceSum([0.5, 1e300]) == [0.5, 1e300])
            #expect(try communicator.allReduceSum([7, Int.max]) == [7, Int.max])
            #expect(try communicator.allGather([4, 5, 6]) == [[4, 5, 6]])
            #expect(try communicator.broadcast("checkpoints/step_20", from: 0) == "checkpoints/step_20")
            #expect(try communicator.broadcast([0, 255], from: 0) == [0, 255])
            try communicator.barrier()
            communicator.finalize()
        }
    }
}
