/// The vector the CPU kernels compute with: sixteen floats (one AVX-512 register, two AVX).
typealias FloatVector = SIMD16<Float>

extension SIMD16 where Scalar: AdditiveArithmetic {
    /// Loads `lanes` elements from `pointer` (all sixteen, unaligned, when `lanes` is 16), the
    /// lanes past them set to `padding`.
    @inline(__always)
    init(_ pointer: UnsafePointer<Scalar>, lanes: Int = 16, padding: Scalar = .zero) {
        if lanes == 16 {
            self = UnsafeRawPointer(pointer).loadUnaligned(as: Self.self)
        } else {
            self = Self(repeating: padding)
            for lane in 0..<lanes { self[lane] = pointer[lane] }
        }
    }

    /// Stores the first `lanes` lanes at `pointer`.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Scalar>, lanes: Int = 16) {
        if lanes == 16 {
            UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Self.self)
        } else {
            for lane in 0..<lanes { pointer[lane] = self[lane] }
        }
    }
}

extension FloatVector {
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

/// Calls `body(start, lanes)` for each vector of `range`, in order: whole vectors of sixteen,
/// then one partial vector of `lanes` < 16 for the rest.
@inline(__always)
func forEachVector(in range: Range<Int>, _ body: (_ start: Int, _ lanes: Int) -> Void) {
    var start = range.lowerBound
    while start + 16 <= range.upperBound {
        body(start, 16)
        start += 16
    }
    if start < range.upperBound { body(start, range.upperBound - start) }
}

extension FloatVector {
    /// The lane numbers 0…15.
    static let laneNumbers = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    /// This vector with the lanes from `lanes` on set to `value` (unchanged when `lanes` is 16).
    @inline(__always)
    func padded(after lanes: Int, with value: Float = 0) -> FloatVector {
        lanes == 16 ? self : replacing(with: value, where: Self.laneNumbers .>= Int32(lanes))
    }
}
