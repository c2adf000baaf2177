import Testing
import Support

@Suite struct JSONScannerTests {
    /// The value `read` takes from `text`, or the message of the error it throws.
    private static func scan<Value>(_ text: String, _ read: (inout JSONScanner) throws -> Value) -> Result<Value, JSONScanner.Malformed> {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var scanner = JSONScanner(bytes)
            do {
                let value = try read(&scanner)
                try scanner.end()
                return .success(value)
            } catch let error as JSONScanner.Malformed {
                return .failure(error)
            } catch {
                Issue.record("unexpected error \(error)")
                return .failure(JSONScanner.Malformed("\(error)"))
            }
        }
    }

    @Test func integersAndTheirLimits() throws {
        #expect(try Self.scan(" 0 ") { try $0.integer() }.get() == 0)
        #expect(try Self.scan("-42") { try $0.integer() }.get() == -42)
        #expect(try Self.scan("9223372036854775807") { try $0.integer() }.get() == Int.max)
        #expect(try Self.scan(" [1, 2 ,-3] ") { try $0.integers() }.get() == [1, 2, -3])
        #expect(try Self.scan("[]") { try $0.integers() }.get() == [])
    }

    @Test func notIntegers() {
        func message(_ text: String) -> String? {
            if case .failure(let error) = Self.scan(text, { try $0.integers() }) { return error.message }
            return nil
        }
        #expect(message("[9223372036854775808]") == "integer out of range at byte 1")
        #expect(message("[1.5]") == "expected an integer at byte 1, found a fraction or exponent")
        #expect(message("[1e3]") == "expected an integer at byte 1, found a fraction or exponent")
        #expect(message("[-]") == "expected an integer at byte 1")
        #expect(message("[\"1\"]") == "expected an integer at byte 1")
        #expect(message("[1,]") == "expected an integer at byte 3")
        #expect(message("[1 2]") == "expected ',' or ']' at byte 3")
    }

    @Test func numbers() throws {
        #expect(try Self.scan(" 0.001 ") { try $0.number() }.get() == 0.001)
        #expect(try Self.scan("1e-08") { try $0.number() }.get() == 1e-8)
        #expect(try Self.scan("-2.5E+3") { try $0.number() }.get() == -2500)
        #expect(try Self.scan("12") { try $0.number() }.get() == 12)
        for text in ["\"1\"", "+1", ".5", "1e", "inf", "--1"] {
            if case .success(let value) = Self.scan(text, { try $0.number() }) {
                Issue.record("\(text) read as the number \(value)")
            }
        }
    }

    @Test func bools() throws {
        #expect(try Self.scan(" true ") { try $0.bool() }.get() == true)
        #expect(try Self.scan("[false,true]") { scanner in
            var values: [Bool] = []
            try scanner.array { values.append(try $0.bool()) }
            return values
        }.get() == [false, true])
        for text in ["null", "1", "\"true\"", "tru", ""] {
            if case .success(let value) = Self.scan(text, { try $0.bool() }) {
                Issue.record("\(text) read as the bool \(value)")
            }
        }
    }
}
