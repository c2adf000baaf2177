import Support
import Tensor

/// `bertkit selftest --device cuda`: every kernel compiled with NVRTC, then (with a GPU)
/// every operation of the CUDA backend held against the CPU backend on the same random inputs.
///
/// Tolerances, as max |gpu − cpu| / max |cpu| over an operation's outputs:
/// - 0 for what involves no rounding (copies, gathers, max-pool, dropout masks: the same hash);
/// - 1e-5 for float32 arithmetic whose summation order or elementary functions differ (the
///   CPU's polynomial exp/erf/tanh against CUDA's, block reductions against vector sums);
/// - 2e-2 for matrix products, whose inputs cuBLASLt rounds to bfloat16 (8 significant bits:
///   a relative error of 2^-9 per input, summed over K terms of either sign).
public enum CUDASelfTest {
    /// The tolerance of exact operations.
    public static let exact = 0.0
    /// The tolerance of float32 arithmetic in another order.
    public static let float32 = 1e-5
    /// The tolerance of bf16 tensor-core products.
    public static let bfloat16Products = 2e-2

    /// Compiles every kernel file for each architecture (through the disk cache when given),
    /// reporting one line per file and architecture: `compiled ARCH FILE: KERNEL …`, with
    /// "(cached)" when the cubin came from the cache, or `missing ARCH FILE: KERNEL …` when
    /// the cubin lacks kernels the file defines.
    /// - Returns: whether every kernel is in its cubin.
    /// - Throws: `BERTKitError` when NVRTC is missing or a file does not compile (naming its
    ///   line).
    public static func compileKernels(architectures: [String], compiler: KernelCompiler, report: (String) -> Void) throws -> Bool {
        var complete = true
        for architecture in architectures {
            for source in KernelSource.all {
                let file = try compiler.compile(source, architecture: architecture)
                let missing = file.missingKernels
                complete = complete && missing.isEmpty
                let names = (missing.isEmpty ? source.kernelNames : missing).joined(separator: " ")
                report("\(missing.isEmpty ? "compiled" : "missing") \(architecture) \(source.name): \(names)"
                       + (file.fromCache ? " (cached)" : ""))
            }
        }
        return complete
    }

    /// Runs every operation on the GPU and on the CPU and compares, reporting one line per check.
    /// - Returns: whether every check passed.
    public static func checkKernels(_ backend: CUDABackend, report: (String) -> Void) -> Bool {
        let pair = BackendPair(cuda: backend)
        var passed = true
        for check in memoryChecks(pair) + productChecks(pair) + elementwiseChecks(pair) + normalizationChecks(pair)
            + rowChecks(pair) + windowChecks(pair) + lossChecks(pair) + optimizerChecks(pair) {
            report(check.description)
            passed = passed && check.passed
        }
        return passed
    }

    private static func memoryChecks(_ pair: BackendPair) -> [KernelCheck] {
        let (source, integers) = (pair.random([1000]), pair.integers((0..<77).map { Int32($0 * 7 - 100) }, [77]))
        let (filled, copied) = (pair.zeros([1001]), pair.zeros([1000]))
        pair.run([filled, source, copied]) { backend, t in
            backend.fill(t[0], with: 0.375)
            backend.copy(t[1], into: t[2])
        }
        return [pair.compare("write, floats, integers", [source, integers], tolerance: exact),
                pair.compare("fill, copy", [filled, copied], tolerance: exact)]
    }

    private static func productChecks(_ pair: BackendPair) -> [KernelCheck] {
        var checks: [KernelCheck] = []
        let (m, n, k) = (37, 45, 96)
        for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = pair.random(transposeA ? [k, m] : [m, k]), b = pair.random(transposeB ? [n, k] : [k, n])
            let c = pair.random([m, n])
            pair.run([a, b, c]) { backend, t in
                backend.matmul(t[0], transposeA: transposeA, t[1], transposeB: transposeB, into: t[2], alpha: 0.5, beta: 1)
            }
            checks.append(pair.compare("matmul \(transposeA ? "Aᵀ" : "A")·\(transposeB ? "Bᵀ" : "B") (α 0.5, β 1)", [c],
                                       tolerance: bfloat16Products))
        }
        for (transposeA, transposeB) in [(false, true), (false, false), (true, false)] {
            let a = pair.random(transposeA ? [2, 3, 64, 17] : [2, 3, 17, 64])
            let b = pair.random(transposeB ? [2, 3, 19, 64] : [2, 3, 64, 19])
            let c = pair.zeros([2, 3, 17, 19])
            pair.run([a, b, c]) { backend, t in
                backend.batchedMatmul(t[0], transposeA: transposeA, t[1], transposeB: transposeB, into: t[2], alpha: 1, beta: 0)
            }
            checks.append(pair.compare("batchedMatmul \(transposeA ? "Aᵀ" : "A")·\(transposeB ? "Bᵀ" : "B")", [c],
                                       tolerance: bfloat16Products))
        }
        return checks
    }

    private static func elementwiseChecks(_ pair: BackendPair) -> [KernelCheck] {
        var checks: [KernelCheck] = []
        let (x, bias, sum) = (pair.random([300, 70], in: -4...4), pair.random([70]), pair.random([70]))
        let (added, scaled) = (pair.zeros([300, 70]), pair.zeros([300, 70]))
        let withBias = pair.random([300, 70])
        pair.run([x, bias, sum, added, scaled, withBias]) { backend, t in
            backend.addBias(t[1], to: t[5])
            backend.accumulateBiasGradient(t[0], into: t[2])
            backend.add(t[0], t[5], into: t[3])
            backend.scale(t[0], by: -1.5, into: t[4])
        }
        checks.append(pair.compare("addBias", [withBias], tolerance: exact))
        checks.append(pair.compare("accumulateBiasGradient", [sum], tolerance: float32))
        checks.append(pair.compare("add, scale", [added, scaled], tolerance: exact))
        for function in [Activation.gelu, .tanh, .relu, .sigmoid] {
            let (y, dy, dx) = (pair.zeros([300, 70]), pair.random([300, 70]), pair.zeros([300, 70]))
            pair.run([x, y, dy, dx]) { backend, t in
                backend.activate(function, t[0], into: t[1])
                backend.activateBackward(function, x: t[0], y: t[1], dy: t[2], into: t[3])
            }
            checks.append(pair.compare("activate, activateBackward \(function)", [y, dx], tolerance: float32))
        }
        let (gate, a, b, dy) = (pair.random([500], in: 0...1), pair.random([500]), pair.random([500]), pair.random([500]))
        let (mixed, dGate, dA, dB) = (pair.zeros([500]), pair.zeros([500]), pair.zeros([500]), pair.zeros([500]))
        pair.run([gate, a, b, dy, mixed, dGate, dA, dB]) { backend, t in
            backend.gatedMix(gate: t[0], t[1], t[2], into: t[4])
            backend.gatedMixBackward(gate: t[0], t[1], t[2], dy: t[3], dGate: t[5], dA: t[6], dB: t[7])
        }
        checks.append(pair.compare("gatedMix, gatedMixBackward", [mixed, dGate, dA, dB], tolerance: float32))
        let (input, kept, gradient, dx) = (pair.random([10_007]), pair.zeros([10_007]), pair.random([10_007]), pair.zeros([10_007]))
        let mask = pair.zeros([10_007], dtype: .int8)
        var (cpuGenerator, cudaGenerator) = (SeededGenerator(seed: 99), SeededGenerator(seed: 99))
        pair.cpu.dropout(input.cpu, probability: 0.1, generator: &cpuGenerator, mask: mask.cpu, into: kept.cpu)
        pair.cuda.dropout(input.cuda, probability: 0.1, generator: &cudaGenerator, mask: mask.cuda, into: kept.cuda)
        pair.run([gradient, mask, dx]) { backend, t in backend.dropoutBackward(dy: t[0], mask: t[1], probability: 0.1, into: t[2]) }
        checks.append(pair.compare("dropout, dropoutBackward (the CPU's masks bit for bit)", [kept, dx], tolerance: exact))
        return checks
    }

    private static func normalizationChecks(_ pair: BackendPair) -> [KernelCheck] {
        let (x, gamma, beta) = (pair.random([50, 768], in: -3...5), pair.random([768]), pair.random([768]))
        let (y, mean, rstd) = (pair.zeros([50, 768]), pair.zeros([50]), pair.zeros([50]))
        let (dy, dx, dGamma, dBeta) = (pair.random([50, 768]), pair.zeros([50, 768]), pair.random([768]), pair.random([768]))
        pair.run([x, gamma, beta, y, mean, rstd, dy, dx, dGamma, dBeta]) { backend, t in
            backend.layerNorm(t[0], gamma: t[1], beta: t[2], epsilon: 1e-12, into: t[3], mean: t[4], rstd: t[5])
            backend.layerNormBackward(dy: t[6], x: t[0], gamma: t[1], mean: t[4], rstd: t[5], into: t[7], dGamma: t[8], dBeta: t[9])
        }
        let scores = pair.random([2, 3, 16, 16], in: -8...8)
        let mask = pair.zeros([2, 16])
        // Batch entry 0 attends to its first 12 keys, entry 1 to its first 8.
        let additive: [Float] = (0..<32).map { $0 % 16 >= 12 - $0 / 16 * 4 ? -10_000 : 0 }
        pair.cpu.write(additive, to: mask.cpu)
        pair.cuda.write(additive, to: mask.cuda)
        let (probabilities, unmasked, dProbabilities, dScores) = (pair.zeros([2, 3, 16, 16]), pair.zeros([96, 130]),
                                                                  pair.random([2, 3, 16, 16]), pair.zeros([2, 3, 16, 16]))
        let wide = pair.random([96, 130], in: -20...20)
        pair.run([scores, mask, probabilities, wide, unmasked, dProbabilities, dScores]) { backend, t in
            backend.softmax(t[0], scale: 0.125, mask: t[1], into: t[2])
            backend.softmax(t[3], scale: 1, mask: nil, into: t[4])
            backend.softmaxBackward(dy: t[5], y: t[2], scale: 0.125, into: t[6])
        }
        return [pair.compare("layerNorm", [y, mean, rstd], tolerance: float32),
                pair.compare("layerNormBackward", [dx, dGamma, dBeta], tolerance: float32),
                pair.compare("softmax (masked, unmasked), softmaxBackward", [probabilities, unmasked, dScores], tolerance: float32)]
    }

    private static func rowChecks(_ pair: BackendPair) -> [KernelCheck] {
        let (table, indices) = (pair.random([50, 72]), pair.indices(300, below: 50))
        let (gathered, accumulated, dTable) = (pair.zeros([300, 72]), pair.random([300, 72]), pair.random([50, 72]))
        let (dy, narrow, wide, extracted) = (pair.random([300, 72]), pair.random([300, 20]), pair.random([300, 72]), pair.zeros([300, 20]))
        let (heads, swapped) = (pair.random([2, 3, 5, 7]), pair.zeros([2, 5, 3, 7]))
        pair.run([table, indices, gathered, accumulated, dTable, dy, narrow, wide, extracted, heads, swapped]) { backend, t in
            backend.gatherRows(t[0], indices: t[1], into: t[2], accumulate: false)
            backend.gatherRows(t[0], indices: t[1], into: t[3], accumulate: true)
            backend.scatterAddRows(t[5], indices: t[1], into: t[4], skipping: 3)
            backend.copyColumns(t[6], into: t[7], at: 31)
            backend.extractColumns(t[7], at: 40, into: t[8])
            backend.swapMiddleAxes(t[9], into: t[10])
        }
        return [pair.compare("gatherRows (written, accumulated)", [gathered, accumulated], tolerance: exact),
                pair.compare("scatterAddRows (skipping row 3)", [dTable], tolerance: float32),
                pair.compare("copyColumns, extractColumns", [wide, extracted], tolerance: exact),
                pair.compare("swapMiddleAxes", [swapped], tolerance: exact)]
    }

    private static func windowChecks(_ pair: BackendPair) -> [KernelCheck] {
        let (characters, width) = (pair.random([6, 50, 16]), 5)
        let (columns, dColumns, dCharacters) = (pair.zeros([6, 46, 80]), pair.random([6, 46, 80]), pair.random([6, 50, 16]))
        let (positions, pooled, argmax) = (pair.random([6, 46, 32]), pair.zeros([6, 32]), pair.zeros([6, 32], dtype: .int32))
        let (dPooled, dPositions) = (pair.random([6, 32]), pair.random([6, 46, 32]))
        pair.run([characters, columns, dColumns, dCharacters, positions, pooled, argmax, dPooled, dPositions]) { backend, t in
            backend.unfoldWindows(t[0], width: width, into: t[1])
            backend.foldWindows(t[2], width: width, into: t[3])
            backend.maxPool(t[4], into: t[5], argmax: t[6])
            backend.maxPoolBackward(dy: t[7], argmax: t[6], into: t[8])
        }
        return [pair.compare("unfoldWindows", [columns], tolerance: exact),
                pair.compare("foldWindows", [dCharacters], tolerance: float32),
                pair.compare("maxPool, maxPoolBackward", [pooled, argmax, dPositions], tolerance: exact)]
    }

    private static func lossChecks(_ pair: BackendPair) -> [KernelCheck] {
        let logits = pair.random([40, 1000], in: -10...10)
        let labels = pair.integers((0..<40).map { $0 % 5 == 0 ? -100 : Int32($0 * 37 % 1000) }, [40])
        let dLogits = pair.zeros([40, 1000])
        let reference = pair.cpu.crossEntropy(logits: logits.cpu, labels: labels.cpu, ignoreIndex: -100, gradientScale: 2,
                                              dLogits: dLogits.cpu)
        let result = pair.cuda.crossEntropy(logits: logits.cuda, labels: labels.cuda, ignoreIndex: -100, gradientScale: 2,
                                            dLogits: dLogits.cuda)
        let values = pair.random([100_003], in: 0...1)
        return [pair.compare("crossEntropy loss (\(result.counted) of \(reference.counted) rows counted)",
                             result.counted == reference.counted ? Double(result.loss) : .nan, Double(reference.loss), tolerance: float32),
                pair.compare("crossEntropy gradient", [dLogits], tolerance: float32),
                pair.compare("sum", pair.cuda.sum(values.cuda), pair.cpu.sum(values.cpu), tolerance: float32),
                pair.compare("sumOfSquares", pair.cuda.sumOfSquares(values.cuda), pair.cpu.sumOfSquares(values.cpu), tolerance: float32)]
    }

    private static func optimizerChecks(_ pair: BackendPair) -> [KernelCheck] {
        // Segments of several chunks, a gap, a segment without decay.
        let segments = [ParameterSegment(offset: 0, count: 40_000, decays: true), ParameterSegment(offset: 40_016, count: 700, decays: false),
                        ParameterSegment(offset: 40_720, count: 17_000, decays: true)]
        var checks: [KernelCheck] = []
        for lamb in [false, true] {
            let buffers = [pair.random([57_720]), pair.random([57_720]), pair.random([57_720], in: -0.1...0.1),
                           pair.random([57_720], in: 0...0.01)]
            let step = AdamStep(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-6, weightDecay: 0.01, gradientScale: 0.5,
                                step: 3, biasCorrection: true)
            pair.run(buffers) { backend, t in
                if lamb {
                    backend.lamb(step, parameters: t[0], gradients: t[1], firstMoments: t[2], secondMoments: t[3], segments: segments)
                } else {
                    backend.adamW(step, parameters: t[0], gradients: t[1], firstMoments: t[2], secondMoments: t[3], segments: segments)
                }
            }
            checks.append(pair.compare(lamb ? "lamb (parameters, update, moments)" : "adamW (parameters, moments)",
                                       lamb ? buffers : [buffers[0], buffers[2], buffers[3]], tolerance: float32))
        }
        return checks
    }
}
