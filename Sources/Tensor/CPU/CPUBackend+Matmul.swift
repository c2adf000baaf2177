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
        product(shape, a.floats, transposeA, b.floats, transposeB, c.floats, alpha, beta,
                leading: (a.shape.columns, b.shape.columns, shape.n))
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
        let leading = (matrix(a).columns, matrix(b).columns, shape.n)
        func pointers(_ index: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) {
            (aPointer + index * shape.m * shape.k, bPointer + index * shape.k * shape.n, cPointer + index * shape.m * shape.n)
        }
        guard batch >= threadCount else {
            // Fewer matrices than threads: each product is split between the threads.
            for index in 0..<batch {
                let (a, b, c) = pointers(index)
                product(shape, a, transposeA, b, transposeB, c, alpha, beta, leading: leading)
            }
            return
        }
        // Many small products: the matrices are shared between the threads.
        pool.parallelFor(batch) { range in
            for index in range {
                let (a, b, c) = pointers(index)
                Self.sgemm(shape, a, transposeA, b, transposeB, c, alpha, beta, leading: leading)
            }
        }
    }

    /// One product split between the pool's threads, each taking a block of C's rows (or of
    /// its columns when C is wider than tall) with single-threaded OpenBLAS: one set of
    /// threads for every kernel, none left spinning between calls.
    private func product(_ shape: ProductShape, _ a: UnsafeMutablePointer<Float>, _ transposeA: Bool,
                         _ b: UnsafeMutablePointer<Float>, _ transposeB: Bool, _ c: UnsafeMutablePointer<Float>,
                         _ alpha: Float, _ beta: Float, leading: (a: Int, b: Int, c: Int)) {
        guard shape.m > 0 && shape.n > 0 else { return }
        let splitRows = shape.m >= shape.n
        let length = splitRows ? shape.m : shape.n
        let blocks = min(threadCount, length, max(1, shape.m * shape.n * shape.k / Self.productGrain))
        pool.parallelFor(blocks) { range in
            for block in range {
                let start = length * block / blocks, end = length * (block + 1) / blocks
                var part = shape
                if splitRows {
                    part.m = end - start
                    Self.sgemm(part, a + (transposeA ? start : start * leading.a), transposeA, b, transposeB,
                               c + start * leading.c, alpha, beta, leading: leading)
                } else {
                    part.n = end - start
                    Self.sgemm(part, a, transposeA, b + (transposeB ? start * leading.b : start), transposeB,
                               c + start, alpha, beta, leading: leading)
                }
            }
        }
    }

    /// The fewest multiply-adds worth a thread of their own.
    private static let productGrain = 1 << 18

    /// One single-threaded row-major cblas_sgemm; `leading` holds the row lengths of A, B
    /// and C as stored.
    private static func sgemm(_ shape: ProductShape, _ a: UnsafePointer<Float>, _ transposeA: Bool,
                              _ b: UnsafePointer<Float>, _ transposeB: Bool,
                              _ c: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float,
                              leading: (a: Int, b: Int, c: Int)) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        guard m > 0 && n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(max(leading.a, 1)), b, Int32(max(leading.b, 1)), beta, c, Int32(max(leading.c, 1)))
    }
}
