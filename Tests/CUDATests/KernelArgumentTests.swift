@testable import CUDA
import Testing

@Suite struct KernelArgumentTests {
    @Test func eachArgumentGetsItsOwnAlignedSlot() {
        let pointer = UnsafeMutableRawPointer(bitPattern: 0xDEAD_BEE0)
        let arguments: [KernelArgument] = [.address(pointer), .int32(-7), .float(1.5), .floats([1, 2, 3]), .int64(1 << 40),
                                           .uint32(0xFFFF_FFFF), .address(nil)]
        KernelArgument.withParameters(arguments) { parameters in
            let slots = (0..<arguments.count).map { parameters[$0]! }
            #expect(slots.allSatisfy { UInt(bitPattern: $0) % 8 == 0 })
            #expect(slots[0].load(as: UInt.self) == 0xDEAD_BEE0)
            #expect(slots[1].load(as: Int32.self) == -7)
            #expect(slots[2].load(as: Float.self) == 1.5)
            #expect((0..<3).map { slots[3].load(fromByteOffset: 4 * $0, as: Float.self) } == [1, 2, 3])
            #expect(slots[4] - slots[3] == 16)
            #expect(slots[4].load(as: Int64.self) == 1 << 40)
            #expect(slots[5].load(as: UInt32.self) == 0xFFFF_FFFF)
            #expect(slots[6].load(as: UInt.self) == 0)
        }
    }
}
