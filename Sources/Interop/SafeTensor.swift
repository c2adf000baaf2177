#if _endian(big)
#error("SafeTensor writes Float and Int32 elements in host byte order, which must be little-endian")
#endif

/// A named tensor to be written to a safetensors file: its dtype, shape and elements.
public struct SafeTensor: Sendable {
    /// The elements as given, kept in their own type until written.
    enum Elements: Sendable {
        case bytes([UInt8])
        case floats([Float])
        case int32s([Int32])
    }

    /// The name it is stored under.
    public let name: String
    /// The element type the header gives.
    public let dtype: SafeTensorsDType
    /// The shape, outermost dimension first.
    public let shape: [Int]
    let elements: Elements

    /// A tensor of any dtype from its raw little-endian, row-major bytes.
    public init(_ name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
        self.init(name: name, dtype: dtype, shape: shape, elements: .bytes(bytes))
    }

    /// An F32 tensor from its elements in row-major order.
    public init(_ name: String, shape: [Int], floats: [Float]) {
        self.init(name: name, dtype: .f32, shape: shape, elements: .floats(floats))
    }

    /// An I32 tensor from its elements in row-major order.
    public init(_ name: String, shape: [Int], int32s: [Int32]) {
        self.init(name: name, dtype: .i32, shape: shape, elements: .int32s(int32s))
    }

    private init(name: String, dtype: SafeTensorsDType, shape: [Int], elements: Elements) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.elements = elements
    }

    /// The size of the elements in bytes.
    var byteCount: Int {
        switch elements {
        case .bytes(let bytes): bytes.count
        case .floats(let floats): floats.count * MemoryLayout<Float>.size
        case .int32s(let int32s): int32s.count * MemoryLayout<Int32>.size
        }
    }

    /// Calls `body` with the elements' little-endian bytes.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        switch elements {
        case .bytes(let bytes): try bytes.withUnsafeBufferPointer(body)
        case .floats(let floats): try floats.withUnsafeBytes { try $0.withMemoryRebound(to: UInt8.self, body) }
        case .int32s(let int32s): try int32s.withUnsafeBytes { try $0.withMemoryRebound(to: UInt8.self, body) }
        }
    }
}
