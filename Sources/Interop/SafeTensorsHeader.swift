import Support

/// The JSON header of a safetensors file: each tensor's dtype, shape and byte range in the
/// data block, in the order the header lists them, and the free-form string metadata.
///
/// Reading checks the header strictly against the data block it describes; writing gives
/// the compact JSON the reference implementation writes, padded with spaces to a multiple of
/// 8 bytes so that the data block starts aligned.
struct SafeTensorsHeader: Sendable {
    /// One tensor's entry.
    struct Entry: Sendable {
        var name: String
        var dtype: SafeTensorsDType
        var shape: [Int]
        /// Where its bytes lie, relative to the start of the data block.
        var byteRange: Range<Int>

        /// The number of elements, the product of the shape.
        var elementCount: Int { byteRange.count / dtype.byteCount }
    }

    /// The key under which the metadata is stored instead of a tensor.
    static let metadataKey = "__metadata__"
    /// The largest header accepted, the reference implementation's limit.
    static let maximumByteCount = 100_000_000

    var entries: [Entry]
    var metadata: [String: String]

    init(entries: [Entry], metadata: [String: String]) {
        self.entries = entries
        self.metadata = metadata
    }

    /// Parses `json` and checks it against a data block of `dataByteCount` bytes.
    /// - Throws: `BERTKitError` naming `file` and the tensor at fault when the header is not
    ///   UTF-8 JSON of the expected shape, lists a name twice, names an unknown dtype, has a
    ///   shape whose size differs from its byte range, or when the byte ranges overlap, leave
    ///   gaps, or do not end exactly at the end of the data block.
    init(parsing json: UnsafeBufferPointer<UInt8>, dataByteCount: Int, file: String) throws {
        var sanitizer = UTF8Sanitizer(detectEncoding: false)
        _ = sanitizer.convert(Array(json), final: true)
        if let offset = sanitizer.firstReplacementOffset {
            throw BERTKitError(file: file, place: "header", "not valid UTF-8 at byte \(offset) of the JSON")
        }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        var seen: Set<String> = []
        var scanner = JSONScanner(json)
        do {
            try scanner.object { scanner, key in
                let name = String(decoding: key, as: UTF8.self)
                guard seen.insert(name).inserted else {
                    throw BERTKitError(file: file, place: Self.place(of: name), "listed twice in the header")
                }
                if name == Self.metadataKey {
                    metadata = try Self.parseMetadata(&scanner, file: file)
                } else {
                    entries.append(try Self.parseEntry(named: name, &scanner, file: file))
                }
            }
            try scanner.end()
        } catch let error as JSONScanner.Malformed {
            throw BERTKitError(file: file, place: "header JSON", error.message)
        }
        try Self.checkCoverage(of: entries, dataByteCount: dataByteCount, file: file)
        self.init(entries: entries, metadata: metadata)
    }

    /// How errors name the place of tensor `name`.
    static func place(of name: String) -> String { "tensor '\(name)'" }

    /// The bytes a tensor of `shape` and `dtype` takes, nil for a negative dimension or a
    /// size that overflows.
    static func byteCount(shape: [Int], dtype: SafeTensorsDType) -> Int? {
        var count = dtype.byteCount
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// The "__metadata__" object: strings to strings.
    private static func parseMetadata(_ scanner: inout JSONScanner, file: String) throws -> [String: String] {
        var metadata: [String: String] = [:]
        do {
            try scanner.object { scanner, key in
                guard scanner.peek() == UInt8(ascii: "\"") else {
                    throw JSONScanner.Malformed("the value of \"\(String(decoding: key, as: UTF8.self))\" is not a string")
                }
                metadata[String(decoding: key, as: UTF8.self)] = String(decoding: try scanner.string(), as: UTF8.self)
            }
        } catch let error as JSONScanner.Malformed {
            throw BERTKitError(file: file, place: "header", "\"\(metadataKey)\" is not a map of strings: \(error.message)")
        }
        return metadata
    }

    /// One tensor's `{"dtype", "shape", "data_offsets"}` object, checked on its own.
    private static func parseEntry(named name: String, _ scanner: inout JSONScanner, file: String) throws -> Entry {
        func failure(_ message: String) -> BERTKitError {
            BERTKitError(file: file, place: place(of: name), message)
        }
        var dtypeName: String?
        var shape: [Int]?
        var offsets: [Int]?
        do {
            try scanner.object { scanner, keyBytes in
                let key = String(decoding: keyBytes, as: UTF8.self)
                switch key {
                case "dtype" where dtypeName == nil: dtypeName = String(decoding: try scanner.string(), as: UTF8.self)
                case "shape" where shape == nil: shape = try scanner.integers()
                case "data_offsets" where offsets == nil: offsets = try scanner.integers()
                case "dtype", "shape", "data_offsets": throw failure("\"\(key)\" given twice")
                default: throw failure("unknown field \"\(key)\" (expected dtype, shape, data_offsets)")
                }
            }
        } catch let error as JSONScanner.Malformed {
            throw failure("in the header JSON: \(error.message)")
        }
        guard let dtypeName, let shape, let offsets else {
            let missing = [("dtype", dtypeName == nil), ("shape", shape == nil), ("data_offsets", offsets == nil)]
            throw failure("missing " + missing.filter(\.1).map { "\"\($0.0)\"" }.joined(separator: ", "))
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw failure("unsupported dtype \"\(dtypeName)\" (supported: \(known))")
        }
        guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw failure("data_offsets \(offsets) is not a range [begin, end) with 0 <= begin <= end")
        }
        guard let byteCount = byteCount(shape: shape, dtype: dtype) else {
            throw failure("shape \(shape) has a negative dimension or is too large")
        }
        guard byteCount == offsets[1] - offsets[0] else {
            throw failure("shape \(shape) of \(dtype.rawValue) takes \(byteCount) bytes, "
                          + "but data_offsets \(offsets) span \(offsets[1] - offsets[0])")
        }
        return Entry(name: name, dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    /// Checks that the byte ranges, taken in order, tile the data block exactly.
    private static func checkCoverage(of entries: [Entry], dataByteCount: Int, file: String) throws {
        let ordered = entries.sorted {
            ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound)
        }
        var covered = 0
        var previous: Entry?
        for entry in ordered {
            let range = entry.byteRange
            func failure(_ message: String) -> BERTKitError {
                BERTKitError(file: file, place: place(of: entry.name),
                             "data_offsets [\(range.lowerBound), \(range.upperBound)) " + message)
            }
            if range.upperBound > dataByteCount {
                throw failure("run past the end of the data block (\(dataByteCount) bytes)")
            }
            if let previous, range.lowerBound < covered {
                let other = previous.byteRange
                throw failure("overlap those of tensor '\(previous.name)' [\(other.lowerBound), \(other.upperBound))")
            }
            if range.lowerBound > covered {
                throw failure("leave bytes [\(covered), \(range.lowerBound)) of the data block unused")
            }
            covered = range.upperBound
            previous = entry
        }
        if covered < dataByteCount {
            throw BERTKitError(file: file, place: "data block",
                               "bytes [\(covered), \(dataByteCount)) after the last tensor belong to no tensor")
        }
    }

    /// The header as written: compact JSON with the metadata first (keys sorted) and the
    /// tensors in order, padded with spaces to a multiple of 8 bytes.
    func encoded() -> [UInt8] {
        var json = Array("{".utf8)
        var members: [[UInt8]] = []
        if !metadata.isEmpty {
            var member: [UInt8] = []
            JSONString.append(Self.metadataKey.utf8, to: &member)
            member += Array(":{".utf8)
            for (index, key) in metadata.keys.sorted().enumerated() {
                if index > 0 { member.append(UInt8(ascii: ",")) }
                JSONString.append(key.utf8, to: &member)
                member.append(UInt8(ascii: ":"))
                JSONString.append(metadata[key]!.utf8, to: &member)
            }
            member.append(UInt8(ascii: "}"))
            members.append(member)
        }
        for entry in entries {
            var member: [UInt8] = []
            JSONString.append(entry.name.utf8, to: &member)
            let shape = entry.shape.map(String.init).joined(separator: ",")
            member += Array((#":{"dtype":"\#(entry.dtype.rawValue)","shape":[\#(shape)],"#
                             + #""data_offsets":[\#(entry.byteRange.lowerBound),\#(entry.byteRange.upperBound)]}"#).utf8)
            members.append(member)
        }
        json += members.joined(separator: [UInt8(ascii: ",")])
        json.append(UInt8(ascii: "}"))
        json += [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
        return json
    }
}
