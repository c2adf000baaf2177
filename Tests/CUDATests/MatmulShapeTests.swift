@testable import CUDA
import Tensor
import Testing

@Suite struct MatmulShapeTests {
    /// Row-major C [M, N] = op(A) · op(B) handed to column-major cuBLASLt as Cᵀ = op(B)ᵀ · op(A)ᵀ.
    @Test func operandsAreSwappedForColumnMajorOrder() {
        let product = ProductShape(a: (5, 3), transposeA: false, b: (3, 4), transposeB: false, c: (5, 4))
        let shape = MatmulShape(product, transposeA: false, transposeB: false, leadingA: 3, leadingB: 4)
        #expect(shape.firstOperand == (rows: 4, columns: 3, leading: 4))
        #expect(shape.secondOperand == (rows: 3, columns: 5, leading: 3))
        #expect(shape.result == (rows: 4, columns: 5, leading: 4))
    }

    @Test func transposedOperandsKeepTheirStoredLayout() {
        // A stored [K, M] = [3, 5], B stored [N, K] = [4, 3].
        let product = ProductShape(a: (3, 5), transposeA: true, b: (4, 3), transposeB: true, c: (5, 4))
        let shape = MatmulShape(product, transposeA: true, transposeB: true, leadingA: 5, leadingB: 3)
        #expect((shape.m, shape.n, shape.k) == (5, 4, 3))
        #expect(shape.firstOperand == (rows: 3, columns: 4, leading: 3))
        #expect(shape.secondOperand == (rows: 5, columns: 3, leading: 5))
    }

    @Test func alignmentIsTheLargestSharedPowerOfTwoUpTo256() {
        func address(_ value: UInt) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: value)! }
        #expect(MatmulShape.alignment(of: [address(0x10000), address(0x20000)]) == 256)
        #expect(MatmulShape.alignment(of: [address(0x10000), address(0x10040)]) == 64)
        #expect(MatmulShape.alignment(of: [address(0x10004)]) == 4)
    }
}
