/// The outcome of holding one backend operation (or a whole training step) on the GPU against
/// the CPU backend: the difference found, relative to the CPU's result, and the tolerance it
/// must stay within.
public struct KernelCheck: Sendable, CustomStringConvertible {
    /// The operation and case, e.g. "matmul Aᵀ·B".
    public var name: String
    /// The relative difference: max |gpu − cpu| / max |cpu| over an operation's outputs
    /// (`error(_:_:)`; 0 when they agree exactly), or as the check's maker defines it.
    public var error: Double
    /// The largest error accepted.
    public var tolerance: Double

    public init(name: String, error: Double, tolerance: Double) {
        self.name = name
        self.error = error
        self.tolerance = tolerance
    }

    /// Whether the error is within the tolerance (a NaN never is).
    public var passed: Bool { error <= tolerance }

    public var description: String {
        "\(passed ? "ok  " : "FAIL") \(name): error \(error) (tolerance \(tolerance))"
    }

    /// max |a − b| / max |b| (|b| at least the smallest normal float), NaN when a NaN differs
    /// or the counts differ.
    public static func error(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count else { return .nan }
        var (difference, magnitude) = (0.0, Double(Float.leastNormalMagnitude))
        for (x, y) in zip(a, b) {
            if x.isNaN != y.isNaN { return .nan }
            if x.isNaN { continue }
            difference = max(difference, abs(Double(x) - Double(y)))
            magnitude = max(magnitude, abs(Double(y)))
        }
        return difference / magnitude
    }
}
