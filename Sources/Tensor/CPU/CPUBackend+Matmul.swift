import COpenBLAS

/// The dimensions of one product C [M, N] = op(A) [M, K] · op(B) [K, N], checked.
private struct ProductShape {
    var m: Int, n: Int, k: Int

    /// Reads M, N and K from the matrices' row and column counts and checks that they agree.
    init(a: (rows: Int, columns: Int), transposeA: Bool, b: (rows: Int, columns: Int), transposeB: Bool,
         c: (rows: Int, columns: Int)) {
        (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (bk, bn) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        n = bn
        precondition(bk == k && c.rows == m && c.columns == n,
                     "matmul: op(A) [\(m), \(k)] · op(B) [\(bk), \(bn)] into C [\(c.rows), \(c.columns)]")
    }
}

extension CPUBackend {
    public func matmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                       into c: Tensor, alpha: Float, beta: Float) {
        let shape = ProductShape(a: (a.shape.rows, a.shape.columns), transposeA: transposeA,
                                 b: (b.shape.rows, b.shape.columns), transposeB: transposeB,
                                 c: (c.shape.rows, c.shape.columns))
        Self.sgemm(shape, a.floats, transposeA, b.floats, transposeB, c.floats, alpha, beta)
    }

    public func batchedMatmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                              into c: Tensor, alpha: Float, beta: Float) {
        precondition(a.shape.rank >= 3 && b.shape.rank >= 3 && c.shape.rank >= 3,
                     "batchedMatmul needs [batch…, rows, columns] tensors")
        func matrix(_ t: Tensor) -> (rows: Int, columns: Int) { (t.shape[-2], t.shape[-1]) }
        let shape = ProductShape(a: matrix(a), transposeA: transposeA, b: matrix(b), transposeB: transposeB, c: matrix(c))
        let batch = c.count / max(shape.m * shape.n, 1)
        precondition(a.count == batch * shape.m * shape.k && b.count == batch * shape.k * shape.n,
                     "batchedMatmul: batches differ in \(a.shape), \(b.shape), \(c.shape)")
        let (aPointer, bPointer, cPointer) = (a.floats, b.floats, c.floats)
        let run = { (range: Range<Int>) in
            for index in range {
                Self.sgemm(shape, aPointer + index * shape.m * shape.k, transposeA,
                           bPointer + index * shape.k * shape.n, transposeB,
                           cPointer + index * shape.m * shape.n, alpha, beta)
            }
        }
        guard batch >= threadCount && threadCount > 1 else { return run(0..<batch) }
        // Many small products: one single-threaded sgemm per matrix, the matrices shared
        // between the pool's threads.
        openblas_set_num_threads(1)
        pool.parallelFor(batch, run)
        openblas_set_num_threads(Int32(threadCount))
    }

    /// One row-major cblas_sgemm over contiguous matrices.
    private static func sgemm(_ shape: ProductShape, _ a: UnsafePointer<Float>, _ transposeA: Bool,
                              _ b: UnsafePointer<Float>, _ transposeB: Bool,
                              _ c: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        guard m > 0 && n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(max(transposeA ? m : k, 1)), b, Int32(max(transposeB ? k : n, 1)),
                    beta, c, Int32(n))
    }
}
