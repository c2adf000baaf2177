/// Widens the 16-bit floating-point formats to `Float` from their bit patterns, exactly,
/// without relying on the platform's `Float16`.
enum ReducedPrecisionFloat {
    /// The value of an IEEE 754 half-precision number (1 sign, 5 exponent, 10 fraction bits).
    static func float(fromHalf bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0x1F:
            // Infinity or NaN; a NaN keeps its payload.
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        case 0:
            // Zero or subnormal: fraction × 2^-24, exact in Float.
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        default:
            return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | fraction << 13)
        }
    }

    /// The value of a bfloat16 number: the upper half of a `Float`'s bits.
    static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
