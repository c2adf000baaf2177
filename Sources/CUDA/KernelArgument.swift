/// One argument of a kernel launch, passed by value as the kernel's C signature declares it.
enum KernelArgument {
    /// A device address (`float*`, `const int*`, …); nil for a null pointer.
    case address(UnsafeMutableRawPointer?)
    /// An `int`.
    case int32(Int32)
    /// An `unsigned int`.
    case uint32(UInt32)
    /// A `long long` (`i64`).
    case int64(Int64)
    /// A `float`.
    case float(Float)
    /// A struct of floats only (`AdamScalars`), laid out as C lays it out.
    case floats([Float])

    /// An `int` from an `Int` that fits.
    static func int(_ value: Int) -> KernelArgument { .int32(Int32(value)) }

    /// A `long long` from an `Int`.
    static func long(_ value: Int) -> KernelArgument { .int64(Int64(value)) }

    /// The bytes the argument takes.
    var byteCount: Int {
        switch self {
        case .address, .int64: 8
        case .int32, .uint32, .float: 4
        case .floats(let values): values.count * 4
        }
    }

    /// Writes the argument's bytes at `destination`.
    func store(at destination: UnsafeMutableRawPointer) {
        switch self {
        case .address(let address): destination.storeBytes(of: UInt(bitPattern: address), as: UInt.self)
        case .int32(let value): destination.storeBytes(of: value, as: Int32.self)
        case .uint32(let value): destination.storeBytes(of: value, as: UInt32.self)
        case .int64(let value): destination.storeBytes(of: value, as: Int64.self)
        case .float(let value): destination.storeBytes(of: value, as: Float.self)
        case .floats(let values):
            for (index, value) in values.enumerated() { destination.storeBytes(of: value, toByteOffset: 4 * index, as: Float.self) }
        }
    }

    /// Calls `body` with the array of pointers to each argument's value that cuLaunchKernel
    /// takes, valid during the call (each value in its own 8-byte aligned slot).
    static func withParameters<R>(_ arguments: [KernelArgument],
                                  _ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> R) -> R {
        let offsets = arguments.reduce(into: [0]) { offsets, argument in offsets.append(offsets.last! + (argument.byteCount + 7) / 8 * 8) }
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(offsets.last!, 8), alignment: 8)
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(arguments.count, 1))
        defer {
            storage.deallocate()
            pointers.deallocate()
        }
        for (index, argument) in arguments.enumerated() {
            argument.store(at: storage + offsets[index])
            pointers[index] = storage + offsets[index]
        }
        return body(pointers)
    }
}
