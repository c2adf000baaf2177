import Tensor

extension CUDABackend {
    // Shapes: op(A) [batch…, M, K], op(B) [batch…, K, N], C [batch…, M, N] (batch 1 for matmul).

    public func matmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                       into c: Tensor, alpha: Float, beta: Float) {
        let shape = Self.productShape(a: (a.shape.rows, a.shape.columns), transposeA: transposeA,
                                      b: (b.shape.rows, b.shape.columns), transposeB: transposeB,
                                      c: (c.shape.rows, c.shape.columns))
        blas.matmul(shape, a: a.address, b: b.address, c: c.address, alpha: alpha, beta: beta)
    }

    public func batchedMatmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                              into c: Tensor, alpha: Float, beta: Float) {
        precondition(a.shape.rank >= 3 && b.shape.rank >= 3 && c.shape.rank >= 3,
                     "batchedMatmul needs [batch…, rows, columns] tensors")
        func matrix(_ t: Tensor) -> (rows: Int, columns: Int) { (t.shape[-2], t.shape[-1]) }
        var shape = Self.productShape(a: matrix(a), transposeA: transposeA, b: matrix(b), transposeB: transposeB, c: matrix(c))
        shape.batch = c.count / max(shape.m * shape.n, 1)
        (shape.strideA, shape.strideB, shape.strideC) = (shape.m * shape.k, shape.k * shape.n, shape.m * shape.n)
        precondition(a.count == shape.batch * shape.strideA && b.count == shape.batch * shape.strideB,
                     "batchedMatmul: batches differ in \(a.shape), \(b.shape), \(c.shape)")
        blas.matmul(shape, a: a.address, b: b.address, c: c.address, alpha: alpha, beta: beta)
    }

    /// M, N and K of C [M, N] = op(A) · op(B) from the stored matrices, checked, with the
    /// stored row lengths as leading dimensions.
    private static func productShape(a: (rows: Int, columns: Int), transposeA: Bool, b: (rows: Int, columns: Int),
                                     transposeB: Bool, c: (rows: Int, columns: Int)) -> MatmulShape {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (bk, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(bk == k && c.rows == m && c.columns == n,
                     "matmul: op(A) [\(m), \(k)] · op(B) [\(bk), \(n)] into C [\(c.rows), \(c.columns)]")
        return MatmulShape(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                           leadingA: a.columns, leadingB: b.columns, leadingC: n)
    }
}
