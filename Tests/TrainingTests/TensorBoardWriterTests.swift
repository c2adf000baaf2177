#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support
import TestSupport
import Testing
import Training

extension TrainingTests {
    /// Event files decoded here record by record and field by field: the framing, both CRCs of
    /// each record, and the `Event` protobuf's fields.
    @Suite struct TensorBoardWriterTests {
        /// A protobuf field's value as the wire gives it.
        enum Field: Equatable {
            case varint(UInt64)
            case fixed64(UInt64)
            case bytes([UInt8])
            case fixed32(UInt32)
        }

        /// The fields of a protobuf message, in order, by field number.
        static func fields(_ message: [UInt8]) throws -> [(number: Int, value: Field)] {
            var index = 0
            func varint() throws -> UInt64 {
                var value: UInt64 = 0
                for shift in stride(from: UInt64(0), to: 64, by: 7) {
                    let byte = try #require(index < message.count ? message[index] : nil)
                    index += 1
                    value |= UInt64(byte & 0x7F) << shift
                    if byte < 0x80 { return value }
                }
                throw BERTKitError("varint longer than ten bytes")
            }
            func littleEndian(_ count: Int) throws -> UInt64 {
                try #require(index + count <= message.count)
                defer { index += count }
                return (0..<count).reduce(0) { $0 | UInt64(message[index + $1]) << (8 * $1) }
            }
            var fields: [(number: Int, value: Field)] = []
            while index < message.count {
                let key = try varint()
                let value: Field
                switch key & 7 {
                case 0: value = .varint(try varint())
                case 1: value = .fixed64(try littleEndian(8))
                case 2:
                    let count = Int(try varint())
                    try #require(index + count <= message.count)
                    value = .bytes(Array(message[index..<index + count]))
                    index += count
                case 5: value = .fixed32(UInt32(try littleEndian(4)))
                default: throw BERTKitError("wire type \(key & 7)")
                }
                fields.append((Int(key >> 3), value))
            }
            return fields
        }

        /// The data of each TFRecord in `file`, checking the framing and both masked CRCs.
        static func records(_ file: [UInt8]) throws -> [[UInt8]] {
            func word(_ start: Int, _ count: Int) -> UInt64 {
                (0..<count).reduce(0) { $0 | UInt64(file[start + $1]) << (8 * $1) }
            }
            var records: [[UInt8]] = []
            var start = 0
            while start < file.count {
                try #require(start + 12 <= file.count, "a record header runs past the end")
                let length = Int(word(start, 8))
                #expect(UInt32(word(start + 8, 4)) == CRC32C.masked(Array(file[start..<start + 8])), "length CRC")
                try #require(start + 16 + length <= file.count, "a record runs past the end")
                let data = Array(file[start + 12..<start + 12 + length])
                #expect(UInt32(word(start + 12 + length, 4)) == CRC32C.masked(data), "data CRC")
                records.append(data)
                start += 16 + length
            }
            return records
        }

        /// An `Event`'s wall time, step, file version and scalars, each field checked to occur
        /// at most once with the expected wire type.
        struct Event {
            var wallTime: Double?
            var step: Int64?
            var fileVersion: String?
            var scalars: [(tag: String, value: Float)] = []

            init(_ data: [UInt8]) throws {
                for (number, value) in try fields(data) {
                    switch (number, value) {
                    case (1, .fixed64(let bits)) where wallTime == nil: wallTime = Double(bitPattern: bits)
                    case (2, .varint(let bits)) where step == nil: step = Int64(bitPattern: bits)
                    case (3, .bytes(let text)) where fileVersion == nil: fileVersion = String(decoding: text, as: UTF8.self)
                    case (5, .bytes(let summary)):
                        for (valueNumber, entry) in try fields(summary) {
                            guard valueNumber == 1, case .bytes(let bytes) = entry else { throw BERTKitError("Summary field \(valueNumber)") }
                            let valueFields = try fields(bytes)
                            guard valueFields.count == 2, valueFields[0].number == 1, case .bytes(let tag) = valueFields[0].value,
                                  valueFields[1].number == 2, case .fixed32(let bits) = valueFields[1].value
                            else { throw BERTKitError("Value fields \(valueFields)") }
                            scalars.append((String(decoding: tag, as: UTF8.self), Float(bitPattern: bits)))
                        }
                    default: throw BERTKitError("Event field \(number): \(value)")
                    }
                }
            }
        }

        static func wallTime() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_REALTIME, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        }

        static func hostName() -> String {
            var name = [CChar](repeating: 0, count: 256)
            gethostname(&name, 255)
            return String(cString: name)
        }

        @Test func eventsHoldTheFileVersionThenOneEventPerAddWithAllItsScalars() throws {
            let directory = TestFiles.temporaryDirectory() + "/run/tensorboard"
            let before = Self.wallTime()
            let writer = try TensorBoardWriter(directory: directory)
            writer.add([(tag: "train/loss", value: 7.25), (tag: "train/learning_rate", value: 1e-4)], step: 10)
            writer.add([(tag: "train/loss", value: 0)], step: 3_000_000_000)
            try writer.close()
            let after = Self.wallTime()

            let (folder, name) = FileSystem.split(writer.path)
            #expect(folder == directory)
            let seconds = try #require(Int(name.split(separator: ".")[3]))
            #expect(name == "events.out.tfevents.\(seconds).\(Self.hostName())")
            #expect(Int(before) <= seconds && seconds <= Int(after))

            let events = try Self.records(try #require(TestFiles.read(writer.path))).map(Event.init)
            try #require(events.count == 3)
            #expect(events[0].fileVersion == "brain.Event:2" && events[0].step == nil && events[0].scalars.isEmpty)
            #expect(events[1].fileVersion == nil && events[1].step == 10)
            #expect(events[1].scalars.map(\.tag) == ["train/loss", "train/learning_rate"])
            #expect(events[1].scalars.map(\.value) == [7.25, 1e-4])
            #expect(events[2].step == 3_000_000_000 && events[2].scalars.map(\.value) == [0])
            let times = events.compactMap(\.wallTime)
            #expect(times.count == 3 && times == times.sorted())
            #expect(before <= times[0] && times[2] <= after && times[0] != times[0].rounded())
        }

        @Test func eventsReachTheFileAtFlush() throws {
            let writer = try TensorBoardWriter(directory: TestFiles.temporaryDirectory())
            #expect(FileSystem.size(writer.path) == 0)
            try writer.flush()
            let header = try #require(FileSystem.size(writer.path))
            writer.add([(tag: "loss", value: 1)], step: 1)
            #expect(FileSystem.size(writer.path) == header)
            try writer.flush()
            let events = try Self.records(try #require(TestFiles.read(writer.path))).map(Event.init)
            #expect(events.count == 2 && events[1].scalars.map(\.tag) == ["loss"])
            try writer.close()
        }

        /// Files named for this second and the next two exist already, as a resumed run's
        /// directory may hold: the writer picks another name and leaves them alone.
        @Test func anExistingEventFileIsNeverOverwritten() throws {
            let directory = TestFiles.temporaryDirectory()
            let now = Int(Self.wallTime())
            let existing = (now...now + 2).map { directory + "/events.out.tfevents.\($0).\(Self.hostName())" }
            for path in existing { TestFiles.write(Array(path.utf8), to: path) }
            let writer = try TensorBoardWriter(directory: directory)
            try writer.close()
            #expect(!existing.contains(writer.path))
            #expect(existing.allSatisfy { TestFiles.read($0) == Array($0.utf8) })
            #expect(try Self.records(try #require(TestFiles.read(writer.path))).count == 1)
        }

        @Test func aDirectoryThatCannotBeCreatedIsNamed() throws {
            let file = TestFiles.temporaryFile([1], name: "not-a-directory")
            let error = try #require(throws: BERTKitError.self) { try TensorBoardWriter(directory: file + "/tensorboard") }
            #expect(error.file == file + "/tensorboard")
            #expect(error.message.hasPrefix("cannot create directory"))
        }
    }
}
