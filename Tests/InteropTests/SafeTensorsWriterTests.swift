import Testing
import TestSupport
import Interop
import Support
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SafeTensorsWriterTests {
    /// Tensors of every kind the writer takes, metadata included: what the compat test checks.
    static let mixed: [SafeTensor] = [
        SafeTensor("weight", shape: [2, 3], floats: [1, -2.5, 0.125, 3e-8, -0.0, 65504]),
        SafeTensor("ids", shape: [4], int32s: [0, -1, .max, .min]),
        SafeTensor("half", dtype: .f16, shape: [2], bytes: [0x00, 0x3C, 0x00, 0xC0]),
        SafeTensor("bfloat", dtype: .bf16, shape: [1, 1], bytes: [0x80, 0x3F]),
        SafeTensor("scalar", dtype: .f64, shape: [], bytes: [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]),
        SafeTensor("mask", dtype: .bool, shape: [3], bytes: [1, 0, 1]),
        SafeTensor("bytes", dtype: .u8, shape: [0, 5], bytes: []),
        SafeTensor("name \"quoted\" é", dtype: .i8, shape: [1], bytes: [0xFF]),
    ]
    static let metadata = ["format": "pt", "note": "line\nbreak"]

    /// What writing `tensors` throws, with the output path replaced by "FILE".
    private static func error(_ tensors: [SafeTensor]) -> String? {
        let path = TestFiles.temporaryDirectory() + "/bad.safetensors"
        do {
            try SafeTensorsWriter.write(tensors, to: path)
            return nil
        } catch let error as BERTKitError {
            #expect(error.file == path)
            #expect(!FileSystem.exists(path))
            return "FILE: " + [error.place, error.message].compactMap { $0 }.joined(separator: ": ")
        } catch {
            return "unexpected error \(error)"
        }
    }

    @Test func roundTrip() throws {
        let path = TestFiles.temporaryDirectory() + "/mixed.safetensors"
        try SafeTensorsWriter.write(Self.mixed, metadata: Self.metadata, to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == Self.mixed.map(\.name))
        #expect(file.metadata == Self.metadata)
        for tensor in Self.mixed {
            #expect(try file.dtype(tensor.name) == tensor.dtype)
            #expect(try file.shape(tensor.name) == tensor.shape)
        }
        #expect(try file.floats("weight") == [1, -2.5, 0.125, 3e-8, -0.0, 65504])
        #expect(try file.int32s("ids") == [0, -1, .max, .min])
        #expect(try file.floats("half") == [1, -2])
        #expect(try file.floats("bfloat") == [1])
        #expect(try file.doubles("scalar") == [1])
        #expect(file.contains("name \"quoted\" é"))
        #expect(!file.contains("__metadata__"))
    }

    @Test func headerIsCompactOrderedAndPadded() throws {
        let path = TestFiles.temporaryDirectory() + "/small.safetensors"
        try SafeTensorsWriter.write([
            SafeTensor("b", shape: [1], floats: [1]),
            SafeTensor("a", shape: [2], int32s: [2, 3]),
        ], metadata: ["z": "1", "y": "2"], to: path)
        let bytes = try #require(TestFiles.read(path))
        let json = #"{"__metadata__":{"y":"2","z":"1"},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""a":{"dtype":"I32","shape":[2],"data_offsets":[4,12]}}"#
        let padded = Array(json.utf8) + [UInt8](repeating: 0x20, count: (8 - json.utf8.count % 8) % 8)
        #expect(padded.count % 8 == 0)
        #expect(bytes == [UInt8(padded.count), 0, 0, 0, 0, 0, 0, 0] + padded + [0, 0, 0x80, 0x3F, 2, 0, 0, 0, 3, 0, 0, 0])
    }

    @Test func sameInputSameBytes() throws {
        let directory = TestFiles.temporaryDirectory()
        try SafeTensorsWriter.write(Self.mixed, metadata: Self.metadata, to: directory + "/one.safetensors")
        try SafeTensorsWriter.write(Self.mixed, metadata: Self.metadata, to: directory + "/two.safetensors")
        #expect(TestFiles.read(directory + "/one.safetensors") == TestFiles.read(directory + "/two.safetensors"))
    }

    @Test func existingFileNeedsOverwrite() throws {
        let path = TestFiles.temporaryDirectory() + "/out.safetensors"
        try SafeTensorsWriter.write([SafeTensor("x", shape: [1], floats: [1])], to: path)
        #expect(throws: BERTKitError.self) {
            try SafeTensorsWriter.write([SafeTensor("x", shape: [1], floats: [2])], to: path)
        }
        #expect(try SafeTensorsFile(path: path).floats("x") == [1])
        try SafeTensorsWriter.write([SafeTensor("x", shape: [1], floats: [2])], to: path, overwrite: true)
        #expect(try SafeTensorsFile(path: path).floats("x") == [2])
    }

    @Test func badTensorsAreRefusedBeforeWriting() {
        #expect(Self.error([SafeTensor("x", shape: [2], floats: [1]), SafeTensor("x", shape: [1], floats: [1])])
                == "FILE: tensor 'x': shape [2] of F32 takes 8 bytes, but 4 were given")
        #expect(Self.error([SafeTensor("x", shape: [1], floats: [1]), SafeTensor("x", shape: [1], floats: [1])])
                == "FILE: tensor 'x': given twice")
        #expect(Self.error([SafeTensor("__metadata__", shape: [1], floats: [1])])
                == "FILE: tensor '__metadata__': the name is reserved for the metadata")
        #expect(Self.error([SafeTensor("x", dtype: .u8, shape: [-1, 1], bytes: [])])
                == "FILE: tensor 'x': shape [-1, 1] has a negative dimension or is too large")
    }

    /// Writes the mixed tensors to $BERTKIT_COMPAT_OUT for tests/compat/test_safetensors_compat.py
    /// to read with the safetensors package; does nothing when the variable is not set.
    @Test func writeCompatFile() throws {
        guard let directory = getenv("BERTKIT_COMPAT_OUT").map({ String(cString: $0) }) else { return }
        try SafeTensorsWriter.write(Self.mixed, metadata: Self.metadata, to: directory + "/mixed.safetensors", overwrite: true)
    }
}
