/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord and
/// TensorBoard event files, computed eight bytes at a time (slicing-by-8).
public enum CRC32C {
    /// Eight tables of 256 entries, one after another: entry b of table 0 is the CRC of byte b,
    /// entry b of table k the CRC of byte b followed by k zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[byte] = crc
        }
        for index in 256..<8 * 256 {
            let previous = tables[index - 256]
            tables[index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
        }
        return tables
    }()

    /// The CRC-32C of `bytes`; `crc` is the checksum of what came before them, for a checksum
    /// taken in pieces.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var crc = ~crc
        var index = 0
        tables.withUnsafeBufferPointer { table in
            while bytes.count - index >= 8 {
                let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                crc = table[7 << 8 | Int(low & 0xFF)] ^ table[6 << 8 | Int((low >> 8) & 0xFF)]
                    ^ table[5 << 8 | Int((low >> 16) & 0xFF)] ^ table[4 << 8 | Int(low >> 24)]
                    ^ table[3 << 8 | Int(high & 0xFF)] ^ table[2 << 8 | Int((high >> 8) & 0xFF)]
                    ^ table[1 << 8 | Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                index += 8
            }
            while index < bytes.count {
                crc = table[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        return ~crc
    }

    /// The CRC-32C of a byte array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The CRC-32C of `bytes` masked as TFRecord stores it: rotated right by 15 bits and offset
    /// by 0xA282EAD8, so that a checksum of data holding checksums is not trivially related to
    /// them.
    public static func masked(_ bytes: [UInt8]) -> UInt32 {
        mask(checksum(bytes))
    }

    /// TFRecord's mask of a CRC: ((crc >> 15) | (crc << 17)) + 0xA282EAD8, modulo 2³².
    public static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
