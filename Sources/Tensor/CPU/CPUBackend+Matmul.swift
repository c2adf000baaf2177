import COpenBLAS

extension CPUBackend {
    public func matmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                       into c: Tensor, alpha: Float, beta: Float) {
        let shape = ProductShape(a, transposeA: transposeA, b, transposeB: transposeB, c)
        product(shape, a.floats, transposeA, b.floats, transposeB, c.floats, alpha, beta,
                leading: (a.shape.columns, b.shape.columns, shape.n))
    }

    public func batchedMatmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                              into c: Tensor, alpha: Float, beta: Float) {
        let (shape, batch) = ProductShape.batched(a, transposeA: transposeA, b, transposeB: transposeB, c)
        let (aPointer, bPointer, cPointer) = (a.floats, b.floats, c.floats)
        let leading = (a.shape.columns, b.shape.columns, shape.n)
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
