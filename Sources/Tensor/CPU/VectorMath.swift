/// Vectorised elementary functions for the CPU kernels, accurate to a few float ulps, with no
/// libm calls.
///
/// The polynomial coefficients were fitted for this file (minimax by Lawson's iteration in
/// double precision, then rounded to float); the worst errors over the tests' sweeps are
/// recorded in `VectorMathTests`.
enum VectorMath {
    /// e^x: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by a degree-6 polynomial, 2^n built in the
    /// exponent bits. 0 below −87.34 (where e^x would be subnormal), +∞ above 88.72.
    @inline(__always)
    static func exp(_ x: FloatVector) -> FloatVector {
        // 1.5 · 2^23: adding it rounds to an integer kept in the low mantissa bits.
        let magic = FloatVector(repeating: 12_582_912)
        let scaled = (x * 1.442_695_04).clamped(lowerBound: FloatVector(repeating: -126),
                                                upperBound: FloatVector(repeating: 127))
        let shifted = scaled + magic
        let n = shifted - magic
        // ln 2 split in two so that n · ln2High is exact.
        let r = x - n * 0.693_145_752 - n * 1.428_606_82e-6
        var p = r * 0.001_395_047_875_121_235_8 + 0.008_368_880_487_978_458
        p = p * r + 0.041_666_205_972_433_09
        p = p * r + 0.166_665_196_418_762_2
        p = p * r + 0.5
        p = (p * r) * r + r + 1
        let power = FloatVector(bits: (shifted.bits &- magic.bits &+ 127) &<< 23)
        return (p * power)
            .replacing(with: 0, where: x .< -87.336_54)
            .replacing(with: .infinity, where: x .> 88.722_83)
    }

    /// erf(x): x·P(x²) for |x| < 1, 1 − e^(−x²)·R(1/|x|) beyond (with the sign of x).
    @inline(__always)
    static func erf(_ x: FloatVector) -> FloatVector {
        let (small, tail) = erfPieces(x)
        let large = FloatVector(bits: (1 - tail).bits | (x.bits & signBit))
        return large.replacing(with: small, where: x.magnitude .< 1)
    }

    /// Φ(x), the standard normal distribution function, ½(1 + erf(x/√2)), computed without
    /// the cancellation of that form for negative x (so that its relative error stays small).
    @inline(__always)
    static func normalCDF(_ x: FloatVector) -> FloatVector {
        let t = x * 0.707_106_78
        let (small, tail) = erfPieces(t)
        let half = 0.5 * tail
        let large = half.replacing(with: 1 - half, where: x .> 0)
        return large.replacing(with: 0.5 + 0.5 * small, where: t.magnitude .< 1)
    }

    /// φ(x) = e^(−x²/2) / √(2π), the standard normal density.
    @inline(__always)
    static func normalDensity(_ x: FloatVector) -> FloatVector {
        exp(-0.5 * x * x) * 0.398_942_28
    }

    /// tanh(x): x + x³·P(x²) for |x| < 0.625, 1 − 2 / (e^(2|x|) + 1) beyond (with the sign of x).
    @inline(__always)
    static func tanh(_ x: FloatVector) -> FloatVector {
        let square = x * x
        var p = square * 0.014_889_359_474_182_129 - 0.051_701_765_507_459_64
        p = p * square + 0.133_020_102_977_752_69
        p = p * square - 0.333_318_740_129_470_8
        let small = x + x * square * p
        let e = exp(2 * pointwiseMin(x.magnitude, FloatVector(repeating: 9)))
        let large = FloatVector(bits: (1 - 2 / (e + 1)).bits | (x.bits & signBit))
        return large.replacing(with: small, where: x.magnitude .< 0.625)
    }

    /// 1 / (1 + e^−x).
    @inline(__always)
    static func sigmoid(_ x: FloatVector) -> FloatVector { 1 / (1 + exp(-x)) }

    private static let signBit = SIMD16<Int32>(repeating: Int32.min)

    /// The two approximations erf is blended from: `small` = erf(x), good for |x| < 1, and
    /// `tail` = erfc(|x|) for |x| ≥ 1 (|x| clamped to [1, 4]; erf is 1 in float beyond 3.9).
    @inline(__always)
    private static func erfPieces(_ x: FloatVector) -> (small: FloatVector, tail: FloatVector) {
        let square = x * x
        var p = square * -0.000_563_142_064_493_149_5 + 0.004_917_551_297_694_445
        p = p * square - 0.026_711_311_191_320_42
        p = p * square + 0.112_801_797_688_007_35
        p = p * square - 0.376_123_249_530_792_24
        p = p * square + 1.128_379_106_521_606_4
        let small = x * p
        // erfc(t) = e^(−t²) · R(t), R a degree-8 polynomial in 1/t.
        let t = x.magnitude.clamped(lowerBound: FloatVector(repeating: 1), upperBound: FloatVector(repeating: 4))
        let u = 1 / t
        var r = u * -0.011_372_297_070_920_467 + 0.037_987_615_913_152_695
        r = r * u + 0.004_052_476_957_440_376
        r = r * u - 0.219_099_119_305_610_66
        r = r * u + 0.480_960_547_924_041_75
        r = r * u - 0.464_676_380_157_470_7
        r = r * u + 0.040_162_160_992_622_375
        r = r * u + 0.559_315_443_038_940_4
        r = r * u + 0.000_253_117_090_323_939_9
        return (small, exp(-(t * t)) * r)
    }
}
