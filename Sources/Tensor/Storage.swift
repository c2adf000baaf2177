/// A block of memory owned by a backend allocation, shared by the tensors that view it.
///
/// For the CPU backend the address is host memory; a GPU backend stores a device address.
/// The memory is released with the deallocator when the last tensor viewing it goes away.
public final class Storage: @unchecked Sendable {
    /// The start of the block (64-byte aligned for the CPU backend).
    public let address: UnsafeMutableRawPointer
    /// The size of the block in bytes.
    public let byteCount: Int
    private let deallocator: (UnsafeMutableRawPointer) -> Void

    /// Takes ownership of `byteCount` bytes at `address`, released by `deallocator`.
    public init(address: UnsafeMutableRawPointer, byteCount: Int, deallocator: @escaping (UnsafeMutableRawPointer) -> Void) {
        self.address = address
        self.byteCount = byteCount
        self.deallocator = deallocator
    }

    deinit { deallocator(address) }
}
