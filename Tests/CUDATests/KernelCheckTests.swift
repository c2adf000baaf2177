import CUDA
import Testing

@Suite struct KernelCheckTests {
    @Test func errorIsTheLargestDifferenceOverTheLargestReference() {
        #expect(KernelCheck.error([1, 2, 3], [1, 2, 3]) == 0)
        #expect(KernelCheck.error([1, 2.5, -4], [1, 2, -3.5]) == 0.5 / 3.5)
        #expect(KernelCheck.error([0, 0], [0, 0]) == 0)
    }

    @Test func disagreementsOnNaNOrCountsNeverPass() {
        let nanMismatch = KernelCheck(name: "nan", error: KernelCheck.error([.nan, 1], [0, 1]), tolerance: 1)
        let countMismatch = KernelCheck(name: "counts", error: KernelCheck.error([1], [1, 2]), tolerance: 1)
        #expect(!nanMismatch.passed && !countMismatch.passed)
        #expect(KernelCheck.error([.nan, 1], [.nan, 1]) == 0)
    }

    @Test func descriptionSaysWhetherItPassed() {
        #expect(KernelCheck(name: "add", error: 0, tolerance: 0).description == "ok   add: error 0.0 (tolerance 0.0)")
        #expect(KernelCheck(name: "mul", error: 0.5, tolerance: 0.1).description.hasPrefix("FAIL mul: error 0.5"))
    }
}
