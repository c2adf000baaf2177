import Tensor

/// One (batched) row-major product C = α·op(A)·op(B) + β·C as cuBLASLt runs it, with the
/// leading dimensions (stored row lengths) and the strides between the matrices of a batch.
///
/// cuBLASLt is column-major; a row-major C [M, N] is a column-major Cᵀ [N, M] = op(B)ᵀ·op(A)ᵀ,
/// so the product is handed over with A and B swapped: m′ = N, n′ = M, the B buffer as the
/// first operand (transposed when B is) and the A buffer as the second.
struct MatmulShape: Hashable {
    var m: Int, n: Int, k: Int
    var transposeA: Bool, transposeB: Bool
    /// The stored row lengths of A, B and C.
    var leadingA: Int, leadingB: Int, leadingC: Int
    /// The number of products, and the element strides between consecutive A, B and C matrices.
    var batch: Int = 1
    var strideA: Int = 0, strideB: Int = 0, strideC: Int = 0
    /// The alignment in bytes (a power of two, at most 256) that the addresses of A, B and C
    /// share: cuBLASLt picks algorithms for 256-byte aligned operands unless told otherwise.
    var alignment = 256

    /// One product of `product`'s dimensions, C stored densely (its row length N).
    init(_ product: ProductShape, transposeA: Bool, transposeB: Bool, leadingA: Int, leadingB: Int) {
        (m, n, k) = (product.m, product.n, product.k)
        (self.transposeA, self.transposeB) = (transposeA, transposeB)
        (self.leadingA, self.leadingB, leadingC) = (leadingA, leadingB, product.n)
    }

    /// The largest power of two up to 256 dividing every address.
    static func alignment(of addresses: [UnsafeMutableRawPointer]) -> Int {
        let bits = addresses.reduce(UInt(256)) { $0 | UInt(bitPattern: $1) }
        return Int(bits & (~bits &+ 1))
    }

    /// The column-major layout (rows, columns, leading dimension) of the first operand, the B buffer.
    var firstOperand: (rows: Int, columns: Int, leading: Int) {
        (transposeB ? k : n, transposeB ? n : k, leadingB)
    }

    /// The column-major layout of the second operand, the A buffer.
    var secondOperand: (rows: Int, columns: Int, leading: Int) {
        (transposeA ? m : k, transposeA ? k : m, leadingA)
    }

    /// The column-major layout of the result, Cᵀ.
    var result: (rows: Int, columns: Int, leading: Int) { (n, m, leadingC) }
}
