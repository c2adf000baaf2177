#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensor

/// AdamW and LAMB steps in double precision over flat buffers, written from their
/// definitions: torch.optim.AdamW's documented algorithm, and apex FusedLAMB's.
struct ReferenceOptimizer {
    /// The parameters and the moments m and v.
    var p: [Double], m: [Double], v: [Double]
    /// The recurrences of p and m over the magnitudes of their terms: the scales of their
    /// rounding errors (p and m themselves may cancel to near 0).
    var pScale: [Double], mScale: [Double]

    /// Parameters `p`, moments zero.
    init(_ p: [Float]) {
        let zeros = [Double](repeating: 0, count: p.count)
        (self.p, pScale, m, v, mScale) = (widened(p), magnitudes(p), zeros, zeros, zeros)
    }

    /// torch.optim.AdamW: θ ← θ − γλθ; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
    /// θ ← θ − γ·m̂ / (√v̂ + ε), with m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t) when bias-corrected;
    /// g the gradient times the step's scale, λ 0 for the segments that do not decay.
    mutating func adamW(_ gradients: [Float], _ step: AdamStep, t: Int, biasCorrection: Bool, segments: [ParameterSegment]) {
        let lr = Double(step.learningRate)
        for segment in segments {
            let decay = segment.decays ? Double(step.weightDecay) : 0
            for i in segment.elements {
                let (d, dScale) = direction(i, gradients, step, t: t, biasCorrection: biasCorrection)
                p[i] -= lr * decay * p[i]
                p[i] -= lr * d
                pScale[i] = pScale[i] * (1 - lr * decay) + lr * dScale
            }
        }
    }

    /// apex FusedLAMB (adam_w_mode, grad_averaging): the moments as in `adamW`,
    /// u = m̂ / (√v̂ + ε) + λ·θ, then per segment θ ← θ − γ·r·u with r = ‖θ‖ / ‖u‖ where the
    /// segment decays and λ ≠ 0 (1 when either norm is 0), else r = 1. Returns u and the scale
    /// of its rounding error.
    mutating func lamb(_ gradients: [Float], _ step: AdamStep, t: Int, biasCorrection: Bool,
                       segments: [ParameterSegment]) -> (u: [Double], scale: [Double]) {
        var u = [Double](repeating: 0, count: p.count), uScale = u
        for segment in segments {
            let decay = segment.decays ? Double(step.weightDecay) : 0
            for i in segment.elements {
                let (d, dScale) = direction(i, gradients, step, t: t, biasCorrection: biasCorrection)
                (u[i], uScale[i]) = (d + decay * p[i], dScale + decay * abs(p[i]))
            }
            let parameterNorm = segment.elements.reduce(0.0) { $0 + p[$1] * p[$1] }.squareRoot()
            let updateNorm = segment.elements.reduce(0.0) { $0 + u[$1] * u[$1] }.squareRoot()
            let ratio = decay != 0 && parameterNorm != 0 && updateNorm != 0 ? parameterNorm / updateNorm : 1
            for i in segment.elements {
                p[i] -= Double(step.learningRate) * ratio * u[i]
                pScale[i] += Double(step.learningRate) * ratio * uScale[i]
            }
        }
        return (u, uScale)
    }

    /// Updates m and v of element i and returns m̂ / (√v̂ + ε), with the same of m's scale.
    private mutating func direction(_ i: Int, _ gradients: [Float], _ step: AdamStep, t: Int,
                                    biasCorrection: Bool) -> (Double, scale: Double) {
        let (beta1, beta2) = (step.beta1, step.beta2)
        let g = Double(gradients[i]) * Double(step.gradientScale)
        m[i] = beta1 * m[i] + (1 - beta1) * g
        v[i] = beta2 * v[i] + (1 - beta2) * g * g
        mScale[i] = beta1 * mScale[i] + (1 - beta1) * abs(g)
        let firstCorrection = biasCorrection ? 1 - pow(beta1, Double(t)) : 1
        let secondCorrection = biasCorrection ? 1 - pow(beta2, Double(t)) : 1
        let denominator = (v[i] / secondCorrection).squareRoot() + Double(step.epsilon)
        return (m[i] / firstCorrection / denominator, mScale[i] / firstCorrection / denominator)
    }
}
