#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensor

/// Naive double-precision versions of the kernels, written for clarity, that the CPU backend
/// is checked against (as PyTorch defines each operation).
enum Reference {
    /// op(A) [m, k] · op(B) [k, n], with A stored [m, k] or, transposed, [k, m] (B likewise).
    static func matmul(_ a: [Double], transposeA: Bool, _ b: [Double], transposeB: Bool,
                       m: Int, n: Int, k: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    c[i * n + j] += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j])
                }
            }
        }
        return c
    }

    /// LayerNorm of each row of x [rows, columns], with the biased variance.
    static func layerNorm(_ x: [Double], gamma: [Double], beta: [Double], columns: Int,
                          epsilon: Double) -> (y: [Double], mean: [Double], rstd: [Double]) {
        var y = x, means: [Double] = [], rstds: [Double] = []
        for row in 0..<x.count / columns {
            let line = x[row * columns ..< (row + 1) * columns]
            let mean = line.reduce(0, +) / Double(columns)
            let variance = line.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(columns)
            let rstd = 1 / (variance + epsilon).squareRoot()
            for c in 0..<columns {
                y[row * columns + c] = (x[row * columns + c] - mean) * rstd * gamma[c] + beta[c]
            }
            means.append(mean)
            rstds.append(rstd)
        }
        return (y, means, rstds)
    }

    /// softmax(scale · x + mask[row / rowsPerMaskRow]) over each row of x [rows, columns].
    static func softmax(_ x: [Double], columns: Int, scale: Double, mask: [Double]?, rowsPerMaskRow: Int) -> [Double] {
        var y = x
        for row in 0..<x.count / columns {
            let scores = (0..<columns).map { c in
                scale * x[row * columns + c] + (mask?[row / rowsPerMaskRow * columns + c] ?? 0)
            }
            let maximum = scores.max()!
            let exponentials = scores.map { Glibc.exp($0 - maximum) }
            let sum = exponentials.reduce(0, +)
            for c in 0..<columns { y[row * columns + c] = exponentials[c] / sum }
        }
        return y
    }

    /// An activation function, as PyTorch defines it (GELU in its exact erf form).
    static func activate(_ function: Activation, _ x: Double) -> Double {
        switch function {
        case .gelu: x * 0.5 * (1 + erf(x / 2.0.squareRoot()))
        case .tanh: Glibc.tanh(x)
        case .relu: max(x, 0)
        case .sigmoid: 1 / (1 + Glibc.exp(-x))
        }
    }

    /// The mean over the rows not labelled `ignoreIndex` of −log softmax(logits[row])[label].
    static func crossEntropy(_ logits: [Double], labels: [Int32], columns: Int, ignoreIndex: Int32) -> Double {
        var total = 0.0, counted = 0
        for (row, label) in labels.enumerated() where label != ignoreIndex {
            let line = logits[row * columns ..< (row + 1) * columns]
            let maximum = line.max()!
            total += log(line.reduce(0) { $0 + Glibc.exp($1 - maximum) }) + maximum - line[row * columns + Int(label)]
            counted += 1
        }
        return counted == 0 ? 0 : total / Double(counted)
    }

    /// PyTorch's Conv1d (no padding) on x [n, length, channels] with weight [filters,
    /// channels, width] and bias [filters], the output laid out [n, positions, filters].
    static func convolve(_ x: [Double], n: Int, length: Int, channels: Int,
                         weight: [Double], bias: [Double], filters: Int, width: Int) -> [Double] {
        let positions = length - width + 1
        var y = [Double](repeating: 0, count: n * positions * filters)
        for item in 0..<n {
            for p in 0..<positions {
                for f in 0..<filters {
                    var sum = bias[f]
                    for c in 0..<channels {
                        for k in 0..<width {
                            sum += weight[(f * channels + c) * width + k] * x[(item * length + p + k) * channels + c]
                        }
                    }
                    y[(item * positions + p) * filters + f] = sum
                }
            }
        }
        return y
    }

    /// The maximum over positions of x [n, positions, filters].
    static func maxPool(_ x: [Double], n: Int, positions: Int, filters: Int) -> [Double] {
        (0..<n * filters).map { index in
            let (item, f) = index.quotientAndRemainder(dividingBy: filters)
            return (0..<positions).map { x[(item * positions + $0) * filters + f] }.max()!
        }
    }
}
