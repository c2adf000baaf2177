import Testing
@testable import Tensor

extension TensorTests {
    @Suite struct ThreadPoolTests {
        @Test(arguments: [0, 1, 2, 5, 1000])
        func parallelForCoversEveryIndexOnce(count: Int) {
            let pool = ThreadPool(threadCount: 3)
            let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            defer { visits.deallocate() }
            for _ in 0..<50 {
                visits.initialize(repeating: 0)
                pool.parallelFor(count) { range in for i in range { visits[i] += 1 } }
                #expect(visits.prefix(count).allSatisfy { $0 == 1 })
            }
        }

        @Test func runGivesEachThreadItsIndex() {
            let pool = ThreadPool(threadCount: 4)
            let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4)
            defer { seen.deallocate() }
            seen.initialize(repeating: 0)
            pool.run { index in seen[index] += 1 }
            #expect(Array(seen) == [1, 1, 1, 1])
        }
    }
}
