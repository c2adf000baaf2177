/// The element type of a tensor.
///
/// The CPU backend computes in `float32` and keeps indices in `int32` and dropout masks in
/// `int8`; the half-precision types are declared for the GPU backend, which will compute in
/// `bfloat16` with `float32` accumulation.
public enum DType: Sendable, Hashable, CustomStringConvertible {
    case float32
    case bfloat16
    case float16
    case int32
    case int8

    /// The size of one element in bytes.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .bfloat16, .float16: 2
        case .int8: 1
        }
    }

    public var description: String {
        switch self {
        case .float32: "float32"
        case .bfloat16: "bfloat16"
        case .float16: "float16"
        case .int32: "int32"
        case .int8: "int8"
        }
    }
}
