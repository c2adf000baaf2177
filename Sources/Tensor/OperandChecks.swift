/// The checks every backend makes of an operation's operands before running it (stopping the
/// program on a mismatch, which is a bug in the caller), and the dimensions they read.
public enum OperandChecks {
    /// `layerNorm`: x, y [N, C]; gamma, beta [C]; mean, rstd [N]. Returns N and C.
    public static func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, y: Tensor, mean: Tensor,
                                 rstd: Tensor) -> (rows: Int, columns: Int) {
        let (rows, columns) = (x.shape.rows, x.shape.columns)
        expectCount(y, x.count, "layerNorm: y")
        for tensor in [gamma, beta] { expectCount(tensor, columns, "layerNorm: gamma/beta") }
        for tensor in [mean, rstd] { expectCount(tensor, rows, "layerNorm: mean/rstd") }
        return (rows, columns)
    }

    /// `layerNormBackward`: dy, x, dx [N, C]; gamma, dGamma, dBeta [C]; mean, rstd [N].
    /// Returns N and C.
    public static func layerNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, rstd: Tensor, dx: Tensor,
                                         dGamma: Tensor, dBeta: Tensor) -> (rows: Int, columns: Int) {
        let (rows, columns) = (x.shape.rows, x.shape.columns)
        for tensor in [dy, dx] { expectCount(tensor, x.count, "layerNormBackward: dy/dx") }
        for tensor in [gamma, dGamma, dBeta] { expectCount(tensor, columns, "layerNormBackward: gamma/dGamma/dBeta") }
        for tensor in [mean, rstd] { expectCount(tensor, rows, "layerNormBackward: mean/rstd") }
        return (rows, columns)
    }

    /// `softmax`: x, y [R, K]; mask [B, K] with R a multiple of B, or nil. Returns R, K and
    /// the rows per mask row (R without a mask).
    public static func softmax(_ x: Tensor, mask: Tensor?, y: Tensor) -> (rows: Int, columns: Int, rowsPerMaskRow: Int) {
        let (rows, columns) = (x.shape.rows, x.shape.columns)
        expectCount(y, x.count, "softmax: y")
        guard let mask else { return (rows, columns, rows) }
        precondition(mask.shape.columns == columns && rows % max(mask.shape.rows, 1) == 0,
                     "softmax: mask \(mask.shape) does not fit \(x.shape)")
        return (rows, columns, rows / max(mask.shape.rows, 1))
    }

    /// `softmaxBackward`: dy, y, dx [R, K]. Returns R and K.
    public static func softmaxBackward(dy: Tensor, y: Tensor, dx: Tensor) -> (rows: Int, columns: Int) {
        for tensor in [dy, dx] { expectCount(tensor, y.count, "softmaxBackward: dy/dx") }
        return (y.shape.rows, y.shape.columns)
    }

    /// `dropout`: x, y float and mask int8 of equal counts, under 2^32; p in [0, 1).
    public static func dropout(_ x: Tensor, probability: Float, mask: Tensor, y: Tensor) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) not in [0, 1)")
        precondition(mask.dtype == .int8 && x.count < 1 << 32, "dropout: mask must be int8, the tensor under 2^32 elements")
        expectCount(y, x.count, "dropout: y")
        expectCount(mask, x.count, "dropout: mask")
    }

    /// `dropoutBackward`: dy, dx float and mask int8 of equal counts.
    public static func dropoutBackward(dy: Tensor, mask: Tensor, dx: Tensor) {
        precondition(mask.dtype == .int8, "dropoutBackward: mask must be int8")
        expectCount(mask, dy.count, "dropoutBackward: mask")
        expectCount(dx, dy.count, "dropoutBackward: dx")
    }

    /// `copyColumns` and `extractColumns`: wide [N, C], narrow [N, F] with column + F ≤ C.
    /// Returns N, C and F.
    public static func columnBlock(wide: Tensor, narrow: Tensor, at column: Int) -> (rows: Int, width: Int, block: Int) {
        let (rows, width, block) = (wide.shape.rows, wide.shape.columns, narrow.shape.columns)
        precondition(narrow.shape.rows == rows && column >= 0 && column + block <= width,
                     "columns \(column)..<\(column + block) of \(wide.shape) and \(narrow.shape)")
        return (rows, width, block)
    }

    /// `swapMiddleAxes`: x [A, B, C, D], y [A, C, B, D], not overlapping. Returns A, B, C, D.
    public static func swapMiddleAxes(_ x: Tensor, y: Tensor) -> (a: Int, b: Int, c: Int, d: Int) {
        precondition(x.shape.rank == 4, "swapMiddleAxes needs a rank-4 tensor, got \(x.shape)")
        let (a, b, c, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        precondition(y.shape == [a, c, b, d], "swapMiddleAxes: \(x.shape) into \(y.shape)")
        precondition(x.storage !== y.storage || x.offset + x.count <= y.offset || y.offset + y.count <= x.offset,
                     "swapMiddleAxes cannot work in place")
        return (a, b, c, d)
    }

    /// `crossEntropy`: logits, dLogits [N, V]; labels [N]. Returns N and V.
    public static func crossEntropy(logits: Tensor, labels: Tensor, dLogits: Tensor) -> (rows: Int, columns: Int) {
        let (rows, columns) = (logits.shape.rows, logits.shape.columns)
        expectCount(labels, rows, "crossEntropy: labels")
        expectCount(dLogits, logits.count, "crossEntropy: dLogits")
        return (rows, columns)
    }

    /// `unfoldWindows` and `foldWindows`: x [N, L, C], columns [N, P = L − W + 1, C·W].
    /// Returns N, L, C and P.
    public static func windows(_ x: Tensor, width: Int, columns: Tensor) -> (n: Int, length: Int, channels: Int, positions: Int) {
        precondition(x.shape.rank == 3, "window kernels need x [N, L, C], got \(x.shape)")
        let (n, length, channels) = (x.shape[0], x.shape[1], x.shape[2])
        let positions = length - width + 1
        precondition(width >= 1 && positions >= 1, "window width \(width) does not fit length \(length)")
        expectCount(columns, n * positions * channels * width, "windows: columns")
        return (n, length, channels, positions)
    }

    /// `maxPool` and `maxPoolBackward`: positions [N, P, F]; pooled values and argmax [N, F].
    /// Returns N, P and F.
    public static func maxPool(positions: Tensor, pooled: Tensor, argmax: Tensor) -> (n: Int, positions: Int, filters: Int) {
        precondition(positions.shape.rank == 3, "max-pool positions must be [N, P, F], got \(positions.shape)")
        let (n, filters) = (positions.shape[0], positions.shape[2])
        expectCount(pooled, n * filters, "max-pool: pooled values")
        expectCount(argmax, n * filters, "max-pool: argmax")
        return (n, positions.shape[1], filters)
    }
}
