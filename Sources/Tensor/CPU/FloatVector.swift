/// The vector the CPU kernels compute with: sixteen floats (one AVX-512 register, two AVX).
typealias FloatVector = SIMD16<Float>

extension SIMD16 where Scalar: AdditiveArithmetic {
    /// Loads `lanes` elements from `pointer` (all sixteen, unaligned, when `lanes` is 16), the
    /// lanes past them set to `padding`.
    @inline(__always)
    init(_ pointer: UnsafePointer<Scalar>, lanes: Int = 16, padding: Scalar = .zero) {
        self = lanes == 16 ? UnsafeRawPointer(pointer).loadUnaligned(as: Self.self) : Self.load(pointer, lanes: lanes, padding: padding)
    }

    /// Stores the first `lanes` lanes at `pointer`.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Scalar>, lanes: Int = 16) {
        if lanes == 16 { UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Self.self) } else { storePartially(to: pointer, lanes: lanes) }
    }

    // The partial vectors at the ends of rows are kept out of line: their lane-by-lane
    // accesses would otherwise make the compiler keep every vector of the loop in memory.

    @inline(never)
    private static func load(_ pointer: UnsafePointer<Scalar>, lanes: Int, padding: Scalar) -> Self {
        var vector = Self(repeating: padding)
        for lane in 0..<lanes { vector[lane] = pointer[lane] }
        return vector
    }

    @inline(never)
    private func storePartially(to pointer: UnsafeMutablePointer<Scalar>, lanes: Int) {
        for lane in 0..<lanes { pointer[lane] = self[lane] }
    }
}

extension FloatVector {
    // The standard library's pointwiseMin, pointwiseMax and clamped go lane by lane, and its
    // comparisons of integer vectors with a scalar too; these stay vectorised.

    /// The larger of each pair of lanes (`self` where `other` is NaN).
    @inline(__always)
    func lanewiseMaximum(_ other: FloatVector) -> FloatVector { replacing(with: other, where: other .> self) }

    /// Each lane brought into [lower, upper].
    @inline(__always)
    func clamped(between lower: Float, and upper: Float) -> FloatVector {
        replacing(with: lower, where: self .< lower).replacing(with: upper, where: self .> upper)
    }

    /// The lanes as their bit patterns, for exponent arithmetic.
    @inline(__always)
    var bits: SIMD16<Int32> { unsafeBitCast(self, to: SIMD16<Int32>.self) }

    /// The absolute values (the sign bits cleared).
    @inline(__always)
    var magnitude: FloatVector { FloatVector(bits: bits & Int32.max) }

    /// The floats with these bit patterns.
    @inline(__always)
    init(bits: SIMD16<Int32>) { self = unsafeBitCast(bits, to: FloatVector.self) }
}

extension FloatVector {
    /// The lane numbers 0…15.
    static let laneNumbers = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    /// This vector with the lanes from `lanes` on set to `value` (unchanged when `lanes` is 16).
    @inline(__always)
    func padded(after lanes: Int, with value: Float = 0) -> FloatVector {
        lanes == 16 ? self : replacing(with: value, where: Self.laneNumbers .>= SIMD16<Int32>(repeating: Int32(lanes)))
    }
}
