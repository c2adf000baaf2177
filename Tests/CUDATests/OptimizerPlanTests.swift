@testable import CUDA
import Tensor
import Testing

@Suite struct OptimizerPlanTests {
    @Test func segmentsAreCutIntoChunksInOrder() {
        let size = OptimizerPlan.chunkSize
        let segments = [ParameterSegment(offset: 0, count: size + 5, decays: true), ParameterSegment(offset: size + 16, count: 0, decays: false),
                        ParameterSegment(offset: size + 16, count: 3, decays: false)]
        let tables = OptimizerPlan.tables(segments, count: size + 19)
        #expect(tables.chunks == [0, 0, Int64(size), 0, Int64(size), Int64(size + 5), 2, Int64(size + 16), Int64(size + 19)])
        #expect(tables.firstChunk == [0, 2, 2])
        #expect(tables.chunkCounts == [2, 0, 1])
    }

}
