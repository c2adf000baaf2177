#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// How a parameter's values start, as Hugging Face initialises BERT: weights normal(0, 0.02),
/// biases zero, LayerNorm weights one.
public enum Initializer: Sendable, Hashable {
    /// Independent normal draws with mean 0.
    case normal(standardDeviation: Float)
    /// Independent uniform draws from [−bound, bound) (PyTorch's default for convolutions).
    case uniform(bound: Float)
    /// All 0.
    case zeros
    /// All 1.
    case ones
    /// All equal to the value.
    case constant(Float)
    /// Exactly these values, one per element (a highway bias: 0 for the transform, 1 for the gate).
    case values([Float])

    /// `count` initial values; `normal` and `uniform` take their draws from `generator`, the others none.
    public func values(count: Int, generator: inout SeededGenerator) -> [Float] {
        switch self {
        case .zeros: return [Float](repeating: 0, count: count)
        case .ones: return [Float](repeating: 1, count: count)
        case .constant(let value): return [Float](repeating: value, count: count)
        case .values(let values):
            precondition(values.count == count, "\(values.count) initial values for \(count) elements")
            return values
        case .uniform(let bound):
            return (0..<count).map { _ in Float((2 * generator.nextUnitDouble() - 1) * Double(bound)) }
        case .normal(let standardDeviation):
            // Box–Muller: two uniform draws give two independent standard normal values.
            var values = [Float](repeating: 0, count: count)
            let unit = 1.0 / 9_007_199_254_740_992  // 2^-53
            for start in stride(from: 0, to: count, by: 2) {
                let u1 = Double((generator.next() >> 11) + 1) * unit  // (0, 1]: log stays finite
                let u2 = Double(generator.next() >> 11) * unit
                let radius = (-2 * log(u1)).squareRoot() * Double(standardDeviation)
                values[start] = Float(radius * cos(2 * Double.pi * u2))
                if start + 1 < count { values[start + 1] = Float(radius * sin(2 * Double.pi * u2)) }
            }
            return values
        }
    }
}
