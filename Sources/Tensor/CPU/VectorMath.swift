/// Vectorised elementary functions for the CPU kernels, accurate to a few float ulps, with no
/// libm calls.
///
/// The polynomial coefficients were fitted for this file (minimax by Lawson's iteration in
/// double precision, then rounded to float); the worst errors over the tests' sweeps are
/// recorded in `VectorMathTests`.
enum VectorMath {
    /// e^x: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by a degree-6 polynomial, 2^n built in the
    /// exponent bits (in two factors, so that results down to the subnormals are right).
    /// 0 below −104, +∞ above 88.73, NaN for NaN.
    @inline(__always)
    static func exp(_ x: FloatVector) -> FloatVector { exp(x, plus: nil) }

    /// e^(x + low) for a `low` much smaller than x: the argument kept as two floats, so that
    /// e^(−t²) keeps its relative accuracy for large t. (No `low` is not a `low` of zero: an
    /// addition of zero cannot be folded away, and it defeats LLVM's vectoriser.)
    @inline(__always)
    static func exp(_ x: FloatVector, plus low: FloatVector?) -> FloatVector {
        // 1.5 · 2^23: adding it rounds to an integer kept in the low mantissa bits.
        let magic = FloatVector(repeating: 12_582_912)
        let scaled = (x * 1.442_695_04).clamped(between: -150, and: 128)
        let shifted = scaled + magic
        let n = shifted - magic
        // ln 2 split in two so that n · ln2High is exact.
        var r = x - n * 0.693_145_752 - n * 1.428_606_82e-6
        if let low { r += low }
        var p = r * 0.001_395_047_875_121_235_8 + 0.008_368_880_487_978_458
        p = p * r + 0.041_666_205_972_433_09
        p = p * r + 0.166_665_196_418_762_2
        p = p * r + 0.5
        p = (p * r) * r + r + 1
        let exponent = shifted.bits &- magic.bits
        let half = exponent &>> 1
        let firstPower = FloatVector(bits: (half &+ 127) &<< 23)
        let secondPower = FloatVector(bits: (exponent &- half &+ 127) &<< 23)
        return (p * firstPower * secondPower)
            .replacing(with: 0, where: x .< -104)
            .replacing(with: .infinity, where: x .> 88.73)
    }

    /// erf(x): x·P(x²) for |x| < 1, 1 − erfc(|x|) beyond (with the sign of x).
    @inline(__always)
    static func erf(_ x: FloatVector) -> FloatVector {
        let t = x.magnitude.clamped(between: 1, and: 9.5)
        let large = FloatVector(bits: (1 - erfcTail(t, square: square(t))).bits | (x.bits & signBit))
        return large.replacing(with: erfSmall(x), where: x.magnitude .< 1)
    }

    /// Φ(x), the standard normal distribution function, ½(1 + erf(x/√2)), computed without
    /// the cancellation of that form for negative x (so that its relative error stays small
    /// down to Φ(−13) ≈ 1e-38).
    @inline(__always)
    static func normalCDF(_ x: FloatVector) -> FloatVector {
        let isSmall = x.magnitude .< 1.414_213_5
        let small = 0.5 + 0.5 * erfSmall(x * 0.707_106_78)
        // Most activations are small: the tail (an exponential and a division) only where needed.
        if all(isSmall) { return small }
        return normalCDFTail(x, gaussian: gaussian(x)).replacing(with: small, where: isSmall)
    }

    /// Φ(x) and the density φ(x) = e^(−x²/2) / √(2π) together, as GELU's backward needs
    /// them: Φ's tail reuses φ's exponential.
    @inline(__always)
    static func normalCDFAndDensity(_ x: FloatVector) -> (cdf: FloatVector, density: FloatVector) {
        let exponential = gaussian(x)
        let density = exponential * 0.398_942_28
        let isSmall = x.magnitude .< 1.414_213_5
        let small = 0.5 + 0.5 * erfSmall(x * 0.707_106_78)
        if all(isSmall) { return (small, density) }
        return (normalCDFTail(x, gaussian: exponential).replacing(with: small, where: isSmall), density)
    }

    /// Φ(x) for |x| ≥ √2 from e^(−x²/2): ½·erfc(t) below 0 and 1 − ½·erfc(t) above, with
    /// t = |x|/√2 (e^(−t²) is the exponential given).
    @inline(__always)
    private static func normalCDFTail(_ x: FloatVector, gaussian: FloatVector) -> FloatVector {
        let t = x.magnitude.clamped(between: 1.414_213_5, and: 13.435_029) * 0.707_106_78
        let half = 0.5 * gaussian * erfcFactor(t)
        return half.replacing(with: 1 - half, where: x .> 0)
    }

    /// e^(−x²/2), with x² taken as high + low so that the result keeps its relative accuracy
    /// for large |x|.
    @inline(__always)
    private static func gaussian(_ x: FloatVector) -> FloatVector {
        let (high, low) = square(x)
        return exp(-0.5 * high, plus: -0.5 * low)
    }

    /// tanh(x): x + x³·P(x²) for |x| < 0.625, 1 − 2 / (e^(2|x|) + 1) beyond (with the sign of x).
    @inline(__always)
    static func tanh(_ x: FloatVector) -> FloatVector {
        let square = x * x
        var p = square * 0.014_889_359_474_182_129 - 0.051_701_765_507_459_64
        p = p * square + 0.133_020_102_977_752_69
        p = p * square - 0.333_318_740_129_470_8
        let small = x + x * square * p
        let e = exp(2 * x.magnitude.clamped(between: 0, and: 9))
        let large = FloatVector(bits: (1 - 2 / (e + 1)).bits | (x.bits & signBit))
        return large.replacing(with: small, where: x.magnitude .< 0.625)
    }

    /// 1 / (1 + e^−x).
    @inline(__always)
    static func sigmoid(_ x: FloatVector) -> FloatVector { 1 / (1 + exp(-x)) }

    /// √x for x ≥ 0 (+∞ for +∞, NaN for NaN) without the standard library's lane-by-lane
    /// libm calls: 1/√x guessed from the exponent bits (within 3.5%), two Newton steps on it
    /// (within 5e-6), then one on √x = x·(1/√x) itself. Subnormal x (below 2^−126) are not
    /// scaled: their result lies between 0 and √x (to rounding), so below 1.1e-19.
    @inline(__always)
    static func squareRoot(_ x: FloatVector) -> FloatVector {
        let half = 0.5 * x
        var inverse = FloatVector(bits: 0x5F37_5A86 &- (x.bits &>> 1))
        inverse = inverse * (1.5 - half * inverse * inverse)
        inverse = inverse * (1.5 - half * inverse * inverse)
        let root = x * inverse
        return (root + inverse * (half - 0.5 * root * root)).replacing(with: x, where: x .== .infinity)
    }

    private static let signBit = SIMD16<Int32>(repeating: Int32.min)

    /// erf(x) = x·P(x²), P of degree 5, for |x| < 1.
    @inline(__always)
    private static func erfSmall(_ x: FloatVector) -> FloatVector {
        let square = x * x
        var p = square * -0.000_563_142_064_493_149_5 + 0.004_917_551_297_694_445
        p = p * square - 0.026_711_311_191_320_42
        p = p * square + 0.112_801_797_688_007_35
        p = p * square - 0.376_123_249_530_792_24
        p = p * square + 1.128_379_106_521_606_4
        return x * p
    }

    /// erfc(t) = e^(−t²)·R(1/t) for t in [1, 9.5], with t² given as high + low.
    @inline(__always)
    private static func erfcTail(_ t: FloatVector, square: (high: FloatVector, low: FloatVector)) -> FloatVector {
        exp(-square.high, plus: -square.low) * erfcFactor(t)
    }

    /// R(1/t) = erfc(t)·e^(t²) for t in [1, 9.5], R a degree-9 polynomial.
    @inline(__always)
    private static func erfcFactor(_ t: FloatVector) -> FloatVector {
        let u = 1 / t
        var r = u * 0.071_418_881_416_320_8 - 0.397_110_253_572_464
        r = r * u + 0.939_952_552_318_573
        r = r * u - 1.192_237_257_957_458_5
        r = r * u + 0.771_059_334_278_106_7
        r = r * u - 0.048_654_202_371_835_71
        r = r * u - 0.281_808_346_509_933_47
        r = r * u + 0.000_878_158_491_104_841_2
        r = r * u + 0.564_080_417_156_219_5
        r = r * u + 0.000_004_257_747_150_404_612
        return r
    }

    /// x² as high + low, high exact: x is split into a head of 12 significant bits, whose
    /// square is exact in float, and the rest.
    @inline(__always)
    private static func square(_ x: FloatVector) -> (high: FloatVector, low: FloatVector) {
        let head = FloatVector(bits: x.bits & -4096)
        return (head * head, (x - head) * (x + head))
    }
}
