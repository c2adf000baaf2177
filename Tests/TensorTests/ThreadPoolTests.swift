#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

        /// Jobs back to back (the workers still spinning when the next starts) and jobs 2 ms
        /// apart (the workers asleep by then, past `ThreadPool.spinSeconds`); the pool then
        /// goes away with its workers spinning or asleep.
        @Test(arguments: [0, 2_000])
        func everyJobRunsOnEveryThreadOnceWhetherTheWorkersSpinOrSleep(pauseMicroseconds: UInt32) {
            #expect(Double(pauseMicroseconds) * 1e-6 == 0 || Double(pauseMicroseconds) * 1e-6 > 5 * ThreadPool.spinSeconds)
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3)
            defer { counts.deallocate() }
            counts.initialize(repeating: 0)
            do {
                let pool = ThreadPool(threadCount: 3)
                for _ in 0..<20 {
                    pool.run { index in counts[index] += 1 }
                    usleep(pauseMicroseconds)
                }
            }
            #expect(Array(counts) == [20, 20, 20])
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
