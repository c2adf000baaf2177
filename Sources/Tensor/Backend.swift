import Support

/// Every operation the models and their optimizers need, on tensor views, forward and backward.
///
/// The model code is written once against this protocol; `CPUBackend` implements it with
/// OpenBLAS and vectorised Swift, and a GPU backend can implement it later. Conventions:
/// - A tensor of rank ≥ 2 is also a matrix of `shape.rows` × `shape.columns`.
/// - Outputs named `into` are overwritten; gradients of parameters (`dGamma`, `dBias`, …)
///   are accumulated (`+=`), so that a step can sum several micro-batches.
/// - Unless a method says otherwise, an output may be the same view as an input of the same
///   shape (in place), but must not otherwise overlap one.
/// - Calls are made from one thread at a time; the backend parallelises inside each call.
public protocol Backend: AnyObject {
    // MARK: Memory

    /// A new zero-filled tensor.
    func allocate(_ shape: Shape, dtype: DType) -> Tensor
    /// Copies host values into a float32 tensor of the same count.
    func write(_ values: [Float], to tensor: Tensor)
    /// Copies host values into an int32 tensor of the same count.
    func write(_ values: [Int32], to tensor: Tensor)
    /// The elements of a float32 tensor, on the host.
    func floats(_ tensor: Tensor) -> [Float]
    /// The elements of an int32 tensor, on the host.
    func integers(_ tensor: Tensor) -> [Int32]
    /// Sets every element of a float32 tensor to `value`.
    func fill(_ tensor: Tensor, with value: Float)
    /// Copies `source` into `destination` (same dtype and count).
    func copy(_ source: Tensor, into destination: Tensor)

    // MARK: Matrix products

    /// C = alpha · op(A) · op(B) + beta · C, op transposing when asked.
    ///
    /// Shapes as matrices: op(A) [M, K], op(B) [K, N], C [M, N].
    func matmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                into c: Tensor, alpha: Float, beta: Float)
    /// `matmul` on each matrix of a batch: the last two dimensions are the matrix, all the
    /// others the batch (for attention: batch × heads).
    ///
    /// Shapes: op(A) [batch…, M, K], op(B) [batch…, K, N], C [batch…, M, N].
    func batchedMatmul(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                       into c: Tensor, alpha: Float, beta: Float)
    /// Swaps the middle two dimensions: splits heads before attention and merges them after;
    /// it is its own backward (with the shapes swapped).
    ///
    /// Shapes: x [A, B, C, D] → y [A, C, B, D]. `y` must not be `x`.
    func swapMiddleAxes(_ x: Tensor, into y: Tensor)

    // MARK: Elementwise

    /// x[r, c] += bias[c].  Shapes: x [N, C], bias [C].
    func addBias(_ bias: Tensor, to x: Tensor)
    /// dBias[c] += Σ_r dy[r, c], the backward of `addBias`.  Shapes: dy [N, C], dBias [C].
    func accumulateBiasGradient(_ dy: Tensor, into dBias: Tensor)
    /// c = a + b (residual connections; with `c` = `a`, a += b).
    func add(_ a: Tensor, _ b: Tensor, into c: Tensor)
    /// y = factor · x.
    func scale(_ x: Tensor, by factor: Float, into y: Tensor)
    /// y = f(x).
    func activate(_ function: Activation, _ x: Tensor, into y: Tensor)
    /// dx = dy · f′(x); `x` and `y` = f(x) are both given, each function uses the cheaper.
    func activateBackward(_ function: Activation, x: Tensor, y: Tensor, dy: Tensor, into dx: Tensor)
    /// y = gate · a + (1 − gate) · b (a highway layer's mix of its input and its transform).
    func gatedMix(gate: Tensor, _ a: Tensor, _ b: Tensor, into y: Tensor)
    /// The backward of `gatedMix`: dGate = dy·(a − b), dA = dy·gate, dB = dy·(1 − gate).
    /// The three outputs must be distinct from each other and from the inputs.
    func gatedMixBackward(gate: Tensor, _ a: Tensor, _ b: Tensor, dy: Tensor,
                          dGate: Tensor, dA: Tensor, dB: Tensor)

    // MARK: Normalisation and attention

    /// y = (x − mean) · rstd · gamma + beta over each row, saving mean and rstd = 1/√(var + ε).
    ///
    /// Shapes: x, y [N, C]; gamma, beta [C]; mean, rstd [N].
    func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                   into y: Tensor, mean: Tensor, rstd: Tensor)
    /// The backward of `layerNorm`: dx is written, dGamma and dBeta accumulated.
    ///
    /// Shapes: dy, x, dx [N, C]; gamma, dGamma, dBeta [C]; mean, rstd [N].
    func layerNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, rstd: Tensor,
                           into dx: Tensor, dGamma: Tensor, dBeta: Tensor)
    /// y = softmax(scale · x + mask[b]) over the last dimension, row by row. The additive mask
    /// (0 for a key to attend to, a large negative number for padding) has one row per batch
    /// entry; the rows of x are split evenly between the batch entries, in order.
    ///
    /// Shapes: x, y [B, …, K] (for attention [B, heads, S, S]); mask [B, K] or nil.
    func softmax(_ x: Tensor, scale: Float, mask: Tensor?, into y: Tensor)
    /// The backward of `softmax`: dx = scale · y · (dy − Σ dy·y) row by row.
    ///
    /// Shapes: dy, y, dx [R, K].
    func softmaxBackward(dy: Tensor, y: Tensor, scale: Float, into dx: Tensor)

    // MARK: Dropout

    /// y = x · keep / (1 − p), keep drawn with probability 1 − p and saved in `mask` (int8
    /// 0/1). One number is taken from `generator` per call, so the result depends only on the
    /// generator's state, not on the thread count.
    func dropout(_ x: Tensor, probability: Float, generator: inout SeededGenerator,
                 mask: Tensor, into y: Tensor)
    /// The backward of `dropout`: dx = dy · mask / (1 − p).
    func dropoutBackward(dy: Tensor, mask: Tensor, probability: Float, into dx: Tensor)

    // MARK: Rows and positions

    /// y[i] = table[indices[i]] (or += when `accumulate`): embedding lookup, and the gather of
    /// the [CLS] or masked positions before a head.
    ///
    /// Shapes: table [V, C], indices int32 [N], y [N, C].
    func gatherRows(_ table: Tensor, indices: Tensor, into y: Tensor, accumulate: Bool)
    /// dTable[indices[i]] += dy[i], the backward of `gatherRows` (repeated indices add up);
    /// rows whose index is `skipping` are left out (an embedding's padding row, which
    /// PyTorch's `padding_idx` keeps from learning).
    ///
    /// Shapes: dy [N, C], indices int32 [N], dTable [V, C].
    func scatterAddRows(_ dy: Tensor, indices: Tensor, into dTable: Tensor, skipping: Int32?)
    /// Writes x into the columns `column ..< column + F` of y: one part of a concatenation
    /// along the last dimension.
    ///
    /// Shapes: x [N, F], y [N, C] with column + F ≤ C.
    func copyColumns(_ x: Tensor, into y: Tensor, at column: Int)
    /// x = y[:, column ..< column + F], the backward of `copyColumns`.
    ///
    /// Shapes: y [N, C], x [N, F].
    func extractColumns(_ y: Tensor, at column: Int, into x: Tensor)
    /// Unfolds the windows of a 1-D convolution: columns[n, p, c·W + k] = x[n, p + k, c], so
    /// that the convolution is a matmul with the weight [F, C, W] seen as [F, C·W].
    ///
    /// Shapes: x [N, L, C], columns [N, L − W + 1, C·W].
    func unfoldWindows(_ x: Tensor, width: Int, into columns: Tensor)
    /// The backward of `unfoldWindows`: dx[n, p + k, c] += dColumns[n, p, c·W + k].
    ///
    /// Shapes: dColumns [N, L − W + 1, C·W], dx [N, L, C].
    func foldWindows(_ dColumns: Tensor, width: Int, into dx: Tensor)
    /// y[n, f] = max over p of x[n, p, f], saving the first position of the maximum.
    ///
    /// Shapes: x [N, P, F], y [N, F], argmax int32 [N, F].
    func maxPool(_ x: Tensor, into y: Tensor, argmax: Tensor)
    /// The backward of `maxPool`: dx is zero except dx[n, argmax[n, f], f] = dy[n, f].
    ///
    /// Shapes: dy [N, F], argmax int32 [N, F], dx [N, P, F].
    func maxPoolBackward(dy: Tensor, argmax: Tensor, into dx: Tensor)

    // MARK: Loss and reductions

    /// The mean cross-entropy of softmax(logits) against `labels` over the rows whose label
    /// is not `ignoreIndex`, with its gradient: dLogits = gradientScale · (softmax − onehot) /
    /// counted rows, zero on ignored rows. `dLogits` may be `logits`. With no counted rows the
    /// loss and gradient are zero.
    ///
    /// Shapes: logits, dLogits [N, V]; labels int32 [N].
    func crossEntropy(logits: Tensor, labels: Tensor, ignoreIndex: Int32, gradientScale: Float,
                      dLogits: Tensor) -> (loss: Float, counted: Int)
    /// The sum of the elements, accumulated in double precision in a fixed order.
    func sum(_ x: Tensor) -> Double
    /// The sum of the squared elements (the square of the L2 norm), like `sum`.
    func sumOfSquares(_ x: Tensor) -> Double

    // MARK: Optimizer steps

    /// One AdamW step (torch.optim.AdamW) over every segment of a parameter store's flat
    /// buffers, in one pass: the moments as `AdamStep` describes, then
    /// p ← p·(1 − lr·wd) − lr·(m / c1) / (√(v / c2) + ε), wd being the weight decay for the
    /// segments that decay and 0 for the others. Elements outside the segments are left alone.
    ///
    /// Shapes: parameters, gradients, firstMoments, secondMoments [N]; the segments within
    /// 0..<N, in increasing order, not overlapping.
    func adamW(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
               firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment])
    /// One LAMB step (apex's FusedLAMB) over every segment: the moments as in `adamW`, the
    /// update u = (m / c1) / (√(v / c2) + ε) + wd·p, then p ← p − lr·r·u, where, for the
    /// segments that decay (when wd ≠ 0), r = ‖p‖ / ‖u‖ over the segment (1 when either norm
    /// is 0), and r = 1 for the others. The update is written over `gradients`, as apex does,
    /// to need no buffer of its own; the norms are summed in a fixed order.
    ///
    /// Shapes: as in `adamW`.
    func lamb(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
              firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment])
}

extension Backend {
    /// C = op(A) · op(B) (+ C when `accumulate`).
    public func matmul(_ a: Tensor, transposeA: Bool = false, _ b: Tensor, transposeB: Bool = false,
                       into c: Tensor, accumulate: Bool = false) {
        matmul(a, transposeA: transposeA, b, transposeB: transposeB, into: c, alpha: 1, beta: accumulate ? 1 : 0)
    }

    /// dTable[indices[i]] += dy[i] for every row.
    public func scatterAddRows(_ dy: Tensor, indices: Tensor, into dTable: Tensor) {
        scatterAddRows(dy, indices: indices, into: dTable, skipping: nil)
    }

    /// C = op(A) · op(B) for each matrix of a batch.
    public func batchedMatmul(_ a: Tensor, transposeA: Bool = false, _ b: Tensor, transposeB: Bool = false,
                              into c: Tensor) {
        batchedMatmul(a, transposeA: transposeA, b, transposeB: transposeB, into: c, alpha: 1, beta: 0)
    }

    /// A new zero-filled float32 tensor.
    public func zeros(_ shape: Shape) -> Tensor { allocate(shape, dtype: .float32) }

    /// A new float32 tensor holding `values`.
    public func tensor(_ values: [Float], _ shape: Shape) -> Tensor {
        let tensor = allocate(shape, dtype: .float32)
        write(values, to: tensor)
        return tensor
    }

    /// A new int32 tensor holding `values`.
    public func tensor(integers values: [Int32], _ shape: Shape) -> Tensor {
        let tensor = allocate(shape, dtype: .int32)
        write(values, to: tensor)
        return tensor
    }
}
