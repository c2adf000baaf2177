import Testing
@testable import Tensor
import Support

/// `count` floats drawn uniformly from `range`.
func randomFloats(_ count: Int, in range: ClosedRange<Float> = -1...1, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Float.random(in: range, using: &generator) }
}

/// The floats widened, for the double-precision references.
func widened(_ values: [Float]) -> [Double] { values.map(Double.init) }

/// The floats' magnitudes, widened: the inputs of a reference run that gives the `scale` of
/// `expectClose`.
func magnitudes(_ values: [Float]) -> [Double] { values.map { abs(Double($0)) } }

/// The worst error of `actual` against `expected`, each relative to its `scale`.
func worstError(_ actual: [Float], _ expected: [Double], scale: [Double]) -> Double {
    precondition(actual.count == expected.count && scale.count == expected.count,
                 "\(actual.count) values against \(expected.count)")
    var worst = 0.0
    for i in actual.indices {
        let error = abs(Double(actual[i]) - expected[i]) / scale[i]
        worst = max(worst, error.isNaN ? .infinity : error)
    }
    return worst
}

/// Expects `actual` within `tolerance` of `expected`, printing the worst error so that a run
/// shows how close the kernels are. Each error is relative to the larger of |expected| and
/// `floor` (entries near zero are judged by an absolute error of `floor`), or, for sums whose
/// terms may cancel, to `scale`: the same sum over the terms' magnitudes, which bounds its
/// rounding error (about terms × ε × scale).
func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double, floor: Double = 1e-3,
                 scale: [Double]? = nil, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let error = worstError(actual, expected, scale: scale ?? expected.map { max(abs($0), floor) })
    print("\(what): worst relative error \(error)")
    #expect(error <= tolerance, "\(what): worst relative error \(error) > \(tolerance)", sourceLocation: sourceLocation)
}

/// The gradient of `f` at `x` by central differences, in double precision.
///
/// With step h the truncation error is O(h²·f‴) ≈ 1e-10 for the smooth functions tested
/// and the rounding error O(ε/h) ≈ 1e-11, far below the float kernels' errors (≈ 1e-6).
func numericalGradient(at x: [Double], step: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
    var point = x
    return x.indices.map { i in
        point[i] = x[i] + step
        let above = f(point)
        point[i] = x[i] - step
        let below = f(point)
        point[i] = x[i]
        return (above - below) / (2 * step)
    }
}

/// Σ weights · values: a scalar loss whose gradient with respect to `values` is `weights`, so
/// that a backward kernel fed dy = weights can be checked against `numericalGradient`.
func weightedSum(_ values: [Double], _ weights: [Float]) -> Double {
    zip(values, weights).reduce(0) { $0 + $1.0 * Double($1.1) }
}

/// A float32 tensor on the test backend holding `values`.
func tensor(_ values: [Float], _ shape: Shape) -> Tensor { backend.tensor(values, shape) }

/// The values of a float32 tensor of the test backend.
func values(_ tensor: Tensor) -> [Float] { backend.floats(tensor) }
