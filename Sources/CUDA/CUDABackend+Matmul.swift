import Tensor

extension CUDABackend {
    // Shapes: op(A) [batch…, M, K], op(B) [batch…, K, N], C [batch…, M, N] (batch 1 for matmul).

    public func matmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                       into c: Tensor, alpha: Float, beta: Float) {
        let product = ProductShape(a, transposeA: transposeA, b, transposeB: transposeB, c)
        let shape = MatmulShape(product, transposeA: transposeA, transposeB: transposeB,
                                leadingA: a.shape.columns, leadingB: b.shape.columns)
        blas.matmul(shape, a: a.address, b: b.address, c: c.address, alpha: alpha, beta: beta)
    }

    public func batchedMatmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                              into c: Tensor, alpha: Float, beta: Float) {
        let (product, batch) = ProductShape.batched(a, transposeA: transposeA, b, transposeB: transposeB, c)
        var shape = MatmulShape(product, transposeA: transposeA, transposeB: transposeB,
                                leadingA: a.shape.columns, leadingB: b.shape.columns)
        shape.batch = batch
        (shape.strideA, shape.strideB, shape.strideC) = (product.m * product.k, product.k * product.n, product.m * product.n)
        blas.matmul(shape, a: a.address, b: b.address, c: c.address, alpha: alpha, beta: beta)
    }
}
