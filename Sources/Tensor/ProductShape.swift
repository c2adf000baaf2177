/// The dimensions of one product C [M, N] = op(A) [M, K] · op(B) [K, N], checked: what every
/// backend's `matmul` and `batchedMatmul` read from their operands.
public struct ProductShape: Sendable, Hashable {
    public var m: Int, n: Int, k: Int

    /// Reads M, N and K from the matrices' row and column counts and checks that they agree.
    public init(a: (rows: Int, columns: Int), transposeA: Bool, b: (rows: Int, columns: Int), transposeB: Bool,
                c: (rows: Int, columns: Int)) {
        (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (bk, bn) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        n = bn
        precondition(bk == k && c.rows == m && c.columns == n,
                     "matmul: op(A) [\(m), \(k)] · op(B) [\(bk), \(bn)] into C [\(c.rows), \(c.columns)]")
    }

    /// The shape of `matmul`'s operands, each seen as a matrix of rows × columns.
    public init(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool, _ c: Tensor) {
        self.init(a: (a.shape.rows, a.shape.columns), transposeA: transposeA, b: (b.shape.rows, b.shape.columns),
                  transposeB: transposeB, c: (c.shape.rows, c.shape.columns))
    }

    /// The shape of each product of `batchedMatmul` (the last two dimensions) and the number
    /// of products, checking that the batches agree.
    public static func batched(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                               _ c: Tensor) -> (shape: ProductShape, batch: Int) {
        precondition(a.shape.rank >= 3 && b.shape.rank >= 3 && c.shape.rank >= 3,
                     "batchedMatmul needs [batch…, rows, columns] tensors")
        func matrix(_ t: Tensor) -> (rows: Int, columns: Int) { (t.shape[-2], t.shape[-1]) }
        let shape = ProductShape(a: matrix(a), transposeA: transposeA, b: matrix(b), transposeB: transposeB, c: matrix(c))
        let batch = c.count / max(shape.m * shape.n, 1)
        precondition(a.count == batch * shape.m * shape.k && b.count == batch * shape.k * shape.n,
                     "batchedMatmul: batches differ in \(a.shape), \(b.shape), \(c.shape)")
        return (shape, batch)
    }
}
