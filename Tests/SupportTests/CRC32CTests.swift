import Support
import Testing

@Suite struct CRC32CTests {
    /// The check values of the CRC catalogue and RFC 3720 (iSCSI), B.4.
    @Test func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map(UInt8.init)) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    /// Every length from 0 to 40 and every split point, against the bitwise definition: the
    /// eight-byte loop, the byte-at-a-time tail and continuing a checksum agree with it.
    @Test func slicingAgreesWithTheBitwiseDefinition() {
        func bitwise(_ bytes: [UInt8]) -> UInt32 {
            var crc = UInt32.max
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<40).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for count in 0...bytes.count {
            let prefix = Array(bytes.prefix(count))
            #expect(CRC32C.checksum(prefix) == bitwise(prefix), "length \(count)")
            let split = count / 3
            let first = CRC32C.checksum(Array(prefix.prefix(split)))
            let whole = Array(prefix.dropFirst(split)).withUnsafeBytes { CRC32C.checksum($0, continuing: first) }
            #expect(whole == bitwise(prefix), "length \(count) split at \(split)")
        }
    }

    /// TFRecord's masked CRC, values from TensorBoard's own `masked_crc32c`.
    @Test func maskedIsTheTFRecordMask() {
        #expect(CRC32C.mask(0xE306_9283) == 0xC78A_B0E5)
        #expect(CRC32C.masked(Array("123456789".utf8)) == 0xC78A_B0E5)
        #expect(CRC32C.masked([24, 0, 0, 0, 0, 0, 0, 0]) == 0x224B_7FA3)
    }
}
