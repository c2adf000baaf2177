import Testing
import TestSupport
import Interop
import Support

@Suite struct NumPyWriterTests {
    /// The file of `shape` holding `rows`, as bytes.
    private static func written(shape: [Int], rows: [[Float]]) throws -> [UInt8] {
        let path = TestFiles.temporaryDirectory() + "/array.npy"
        let writer = try NumPyWriter(path: path, shape: shape, overwrite: false)
        for row in rows { try writer.append(row) }
        try writer.commit()
        return TestFiles.read(path)!
    }

    /// The header dict of a version 1.0 file, checked for magic, version, length and alignment.
    private static func header(of bytes: [UInt8]) -> String {
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + length) % 64 == 0, "the data should start at a multiple of 64 bytes")
        #expect(bytes[10 + length - 1] == 0x0A, "the header should end with a newline")
        return String(decoding: bytes[10..<10 + length], as: UTF8.self)
    }

    @Test func matrixOfLittleEndianFloat32() throws {
        let rows: [[Float]] = [[1, -2.5, 0.125], [3e-8, -0, 65504]]
        let bytes = try Self.written(shape: [2, 3], rows: rows)
        let header = Self.header(of: bytes)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(header.dropFirst(59).dropLast().allSatisfy { $0 == " " })
        let data = Array(bytes[(bytes.count - 24)...])
        #expect(bytes.count == 10 + header.utf8.count + 24)
        let values = (0..<6).map { index in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[index * 4 + $1]) << ($1 * 8) })
        }
        #expect(values.map(\.bitPattern) == rows.flatMap { $0 }.map(\.bitPattern))
        // 1.0 is 0x3F800000: stored low byte first.
        #expect(Array(try Self.written(shape: [1], rows: [[1]]).suffix(4)) == [0x00, 0x00, 0x80, 0x3F])
    }

    @Test func oneDimensionalAndEmptyShapes() throws {
        #expect(Self.header(of: try Self.written(shape: [2], rows: [[1], [2]])).contains("'shape': (2,), }"))
        let empty = try Self.written(shape: [0, 4], rows: [])
        #expect(Self.header(of: empty).contains("'shape': (0, 4), }"))
        #expect(empty.count == 128)
    }

    @Test func aFileMissingRowsIsNotWritten() throws {
        let path = TestFiles.temporaryDirectory() + "/short.npy"
        let writer = try NumPyWriter(path: path, shape: [3, 2], overwrite: false)
        try writer.append([1, 2])
        #expect(throws: BERTKitError.self) { try writer.commit() }
        do {
            try writer.commit()
        } catch let error as BERTKitError {
            #expect(error.description == "\(path): holds 1 of the 3 rows of its shape: not written")
        }
        #expect(!FileSystem.exists(path))
    }

    @Test func anExistingFileIsKeptWithoutOverwrite() throws {
        let path = TestFiles.temporaryFile(Array("keep".utf8), name: "old.npy")
        #expect(throws: BERTKitError.self) { try NumPyWriter(path: path, shape: [1, 1], overwrite: false) }
        #expect(TestFiles.read(path) == Array("keep".utf8))
        let writer = try NumPyWriter(path: path, shape: [1, 1], overwrite: true)
        try writer.append([7])
        try writer.commit()
        #expect(TestFiles.read(path)!.count == 128 + 4)
    }
}
