import Testing
import TestSupport
import Interop
import Support

@Suite struct SafeTensorsFileTests {
    /// A file of `header` as JSON, its length in front (or `length` instead), and `data`.
    private static func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> String {
        let json = Array(header.utf8)
        let length = length ?? UInt64(json.count)
        let prefix = (0..<8).map { UInt8(truncatingIfNeeded: length >> ($0 * 8)) }
        return TestFiles.temporaryFile(prefix + json + data, name: "test.safetensors")
    }

    /// What opening or reading the file throws, with the file's path replaced by "FILE".
    private static func error(_ path: String, _ read: (SafeTensorsFile) throws -> Void = { _ in }) -> String? {
        do {
            try read(try SafeTensorsFile(path: path))
            return nil
        } catch let error as BERTKitError {
            #expect(error.file == path)
            return "FILE: " + [error.place, error.message].compactMap { $0 }.joined(separator: ": ")
        } catch {
            return "unexpected error \(error)"
        }
    }

    /// The little-endian bytes of 16-bit patterns.
    private static func bytes(_ patterns: [UInt16]) -> [UInt8] {
        patterns.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    @Test func halfPrecisionIsWidenedExactly() throws {
        let patterns: [UInt16: Float] = [
            0x0000: 0, 0x3C00: 1, 0xC000: -2, 0x3555: 0.333251953125, 0x7BFF: 65504,
            0x0400: 0x1p-14, 0x0001: 0x1p-24, 0x03FF: 1023 * 0x1p-24, 0x8001: -0x1p-24,
            0x7C00: .infinity, 0xFC00: -.infinity,
        ]
        let keys = patterns.keys.sorted()
        let path = TestFiles.temporaryDirectory() + "/half.safetensors"
        try SafeTensorsWriter.write([
            SafeTensor("half", dtype: .f16, shape: [keys.count], bytes: Self.bytes(keys)),
            SafeTensor("special", dtype: .f16, shape: [2], bytes: Self.bytes([0x8000, 0x7E01])),
        ], to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.floats("half") == keys.map { patterns[$0]! })
        #expect(try file.doubles("half") == keys.map { Double(patterns[$0]!) })
        let special = try file.floats("special")
        #expect(special[0] == 0 && special[0].sign == .minus)
        #expect(special[1].isNaN && special[1].bitPattern == 0x7FC0_2000)
    }

    @Test func bfloat16IsWidenedExactly() throws {
        let patterns: [UInt16: Float] = [
            0x0000: 0, 0x3F80: 1, 0xC040: -3, 0x3EAB: 0.333984375, 0x7F7F: Float(bitPattern: 0x7F7F_0000),
            0x0001: Float(bitPattern: 0x0001_0000), 0x7F80: .infinity, 0xFF80: -.infinity,
        ]
        let keys = patterns.keys.sorted()
        let path = TestFiles.temporaryDirectory() + "/bfloat.safetensors"
        try SafeTensorsWriter.write([SafeTensor("b", dtype: .bf16, shape: [keys.count], bytes: Self.bytes(keys))], to: path)
        #expect(try SafeTensorsFile(path: path).floats("b") == keys.map { patterns[$0]! })
    }

    @Test func doublesAreExactAndFloatsRounded() throws {
        let values: [Double] = [0.1, -1e300, 1.0 / 3.0]
        let path = TestFiles.temporaryDirectory() + "/double.safetensors"
        try SafeTensorsWriter.write([
            SafeTensor("d", dtype: .f64, shape: [3], bytes: values.flatMap { value in
                (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> ($0 * 8)) }
            }),
        ], to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.doubles("d") == values)
        #expect(try file.floats("d") == values.map { Float($0) })
    }

    @Test func int64IsNarrowedWithARangeCheck() throws {
        func bytes(_ values: [Int64]) -> [UInt8] {
            values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        }
        let path = TestFiles.temporaryDirectory() + "/long.safetensors"
        try SafeTensorsWriter.write([
            SafeTensor("fits", dtype: .i64, shape: [3], bytes: bytes([-100, 2_147_483_647, -2_147_483_648])),
            SafeTensor("wide", dtype: .i64, shape: [2], bytes: bytes([1, 2_147_483_648])),
        ], to: path)
        #expect(try SafeTensorsFile(path: path).int32s("fits") == [-100, .max, .min])
        #expect(Self.error(path) { _ = try $0.int32s("wide") }
                == "FILE: tensor 'wide': element 1 is 2147483648, out of the range of Int32")
    }

    @Test func accessorsNameTheTensorAtFault() throws {
        let path = TestFiles.temporaryDirectory() + "/kinds.safetensors"
        try SafeTensorsWriter.write([
            SafeTensor("f", shape: [1], floats: [1]),
            SafeTensor("i", shape: [1], int32s: [1]),
            SafeTensor("u", dtype: .u8, shape: [1], bytes: [1]),
        ], to: path)
        #expect(Self.error(path) { _ = try $0.floats("missing") } == "FILE: tensor 'missing': no such tensor in the file")
        #expect(Self.error(path) { _ = try $0.shape("missing") } == "FILE: tensor 'missing': no such tensor in the file")
        #expect(Self.error(path) { _ = try $0.floats("i") }
                == "FILE: tensor 'i': is I32, not a floating-point tensor (F64, F32, F16 or BF16)")
        #expect(Self.error(path) { _ = try $0.doubles("u") }
                == "FILE: tensor 'u': is U8, not a floating-point tensor (F64, F32, F16 or BF16)")
        #expect(Self.error(path) { _ = try $0.int32s("f") } == "FILE: tensor 'f': is F32, not an I32 or I64 tensor")
    }

    @Test func headerOrderNeedNotBeOffsetOrder() throws {
        let data: [UInt8] = [1, 0, 0, 0, 2, 0, 0, 0]
        let path = Self.file(#"{"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]},"#
                             + #""a":{"dtype":"I32","shape":[],"data_offsets":[0,4]},"#
                             + #""e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]}}"#, data: data)
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == ["b", "a", "e"])
        #expect(file.metadata.isEmpty)
        #expect(try file.int32s("a") == [1])
        #expect(try file.int32s("b") == [2])
        #expect(try file.shape("a") == [])
        #expect(try file.floats("e") == [])
    }

    @Test func framingErrors() {
        #expect(Self.error(TestFiles.temporaryFile([1, 2, 3], name: "short.safetensors"))
                == "FILE: 3 bytes is too short for a safetensors file (the header length alone takes 8)")
        #expect(Self.error(Self.file("{}", length: 100_000_001))
                == "FILE: byte 0: header length 100000001 is over the limit of 100000000 bytes")
        #expect(Self.error(Self.file("{}", length: 3)) == "FILE: byte 0: header length 3 runs past the end of the file (10 bytes)")
        #expect(Self.error(Self.file("{}", length: UInt64.max))
                == "FILE: byte 0: header length 18446744073709551615 is over the limit of 100000000 bytes")
        #expect(Self.error("/nonexistent/x.safetensors") == "FILE: no such file")
    }

    @Test func headerSyntaxErrors() {
        #expect(Self.error(Self.file("[]")) == "FILE: header JSON: expected an object at byte 0")
        #expect(Self.error(Self.file(#"{"a":1}"#)) == "FILE: tensor 'a': in the header JSON: expected an object at byte 5")
        #expect(Self.error(Self.file(#"{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}"#))
                == "FILE: header JSON: expected ',' or '}' at byte 52")
        #expect(Self.error(Self.file("{} x")) == "FILE: header JSON: unexpected data after the value at byte 3")
        #expect(Self.error(TestFiles.temporaryFile([2, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0xFF], name: "utf8.safetensors"))
                == "FILE: header: not valid UTF-8 at byte 1 of the JSON")
        #expect(Self.error(Self.file(#"{"__metadata__":{"k":1}}"#))
                == #"FILE: header: "__metadata__" is not a map of strings: the value of "k" is not a string"#)
    }

    @Test func entryErrors() {
        func entry(_ fields: String, data: Int = 4) -> String? {
            Self.error(Self.file(#"{"t":{"# + fields + "}}", data: [UInt8](repeating: 0, count: data)))
        }
        #expect(entry(#""dtype":"F32","shape":[1]"#) == #"FILE: tensor 't': missing "data_offsets""#)
        #expect(entry(#""dtype":"F32""#) == #"FILE: tensor 't': missing "shape", "data_offsets""#)
        #expect(entry(#""dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":0"#)
                == #"FILE: tensor 't': unknown field "extra" (expected dtype, shape, data_offsets)"#)
        #expect(entry(#""dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]"#)
                == #"FILE: tensor 't': "dtype" given twice"#)
        #expect(entry(#""dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]"#)
                == #"FILE: tensor 't': unsupported dtype "F8_E4M3" (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"#)
        #expect(entry(#""dtype":"F32","shape":[1.5],"data_offsets":[0,4]"#)
                == "FILE: tensor 't': in the header JSON: expected an integer at byte 29, found a fraction or exponent")
        #expect(entry(#""dtype":"F32","shape":[-1],"data_offsets":[0,4]"#)
                == "FILE: tensor 't': shape [-1] has a negative dimension or is too large")
        #expect(entry(#""dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]"#)
                == "FILE: tensor 't': shape [4294967296, 4294967296] has a negative dimension or is too large")
        #expect(entry(#""dtype":"F32","shape":[2],"data_offsets":[0,4]"#)
                == "FILE: tensor 't': shape [2] of F32 takes 8 bytes, but data_offsets [0, 4] span 4")
        #expect(entry(#""dtype":"F32","shape":[1],"data_offsets":[4,0]"#)
                == "FILE: tensor 't': data_offsets [4, 0] is not a range [begin, end) with 0 <= begin <= end")
        #expect(entry(#""dtype":"F32","shape":[1],"data_offsets":[0,4,8]"#)
                == "FILE: tensor 't': data_offsets [0, 4, 8] is not a range [begin, end) with 0 <= begin <= end")
        #expect(Self.error(Self.file(#"{"t":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"t":{}}"#))
                == "FILE: tensor 't': listed twice in the header")
    }

    @Test func coverageErrors() {
        func layout(_ ranges: [(String, Int, Int)], data: Int) -> String? {
            let members = ranges.map { #""\#($0.0)":{"dtype":"U8","shape":[\#($0.2 - $0.1)],"data_offsets":[\#($0.1),\#($0.2)]}"# }
            return Self.error(Self.file("{" + members.joined(separator: ",") + "}", data: [UInt8](repeating: 0, count: data)))
        }
        #expect(layout([("a", 0, 4), ("b", 4, 8)], data: 8) == nil)
        #expect(layout([("a", 0, 4), ("b", 4, 9)], data: 8)
                == "FILE: tensor 'b': data_offsets [4, 9) run past the end of the data block (8 bytes)")
        #expect(layout([("a", 0, 4), ("b", 3, 8)], data: 8)
                == "FILE: tensor 'b': data_offsets [3, 8) overlap those of tensor 'a' [0, 4)")
        #expect(layout([("a", 0, 4), ("b", 5, 8)], data: 8)
                == "FILE: tensor 'b': data_offsets [5, 8) leave bytes [4, 5) of the data block unused")
        #expect(layout([("a", 1, 8)], data: 8) == "FILE: tensor 'a': data_offsets [1, 8) leave bytes [0, 1) of the data block unused")
        #expect(layout([("a", 0, 4), ("b", 4, 6)], data: 8)
                == "FILE: data block: bytes [6, 8) after the last tensor belong to no tensor")
        #expect(layout([], data: 1) == "FILE: data block: bytes [0, 1) after the last tensor belong to no tensor")
    }
}
