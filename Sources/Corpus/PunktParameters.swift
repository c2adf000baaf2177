import Support

/// What Punkt learns from a corpus and needs to split sentences, as NLTK's `PunktParameters`.
///
/// Types are case-folded words as Punkt's tokenizer sees them; numbers are `##number##`.
/// Saved as a JSON file with a format version:
///
///     {"format": "bertkit-punkt-parameters", "version": 1,
///      "abbreviation_types": ["dr", "e.g", …], "collocations": [["j", "bach"], …],
///      "sentence_starters": ["however", …], "orthographic_context": {"the": 126, …}}
///
/// The orthographic flags are NLTK's numbers (see `PunktOrthographicContext`).
public struct PunktParameters: Equatable, Sendable {
    /// A pair of types that often follow each other across a period, as in "S. Bach": the
    /// period after the first is not a sentence break.
    public struct Collocation: Hashable, Sendable {
        public var first: String
        public var second: String
        public init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }
    }

    /// Abbreviations, without their final period ("dr", "e.g").
    public var abbreviationTypes: Set<String> = []
    /// Collocations; the first type is without its period.
    public var collocations: Set<Collocation> = []
    /// Types that often start sentences.
    public var sentenceStarters: Set<String> = []
    /// The orthographic contexts of each type seen with a cased first letter.
    public var orthographicContext: [String: PunktOrthographicContext] = [:]

    /// Empty parameters: no abbreviations, collocations, sentence starters or orthography.
    public init() {}

    /// The `format` value of parameter files.
    static let formatName = "bertkit-punkt-parameters"
    /// The format version written and read.
    static let formatVersion = 1

    /// Writes the parameters as a JSON file (sorted, so that equal parameters give equal files).
    /// - Throws: `BERTKitError` if the file exists and `overwrite` is false, or cannot be written.
    public func save(to path: String, overwrite: Bool) throws {
        let file = try OutputFile(path: path, overwrite: overwrite)
        try write(to: file)
        try file.commit()
    }

    /// Writes the parameters as JSON (`json`) to an output file, which the caller commits.
    public func write(to file: OutputFile) throws {
        try file.write(json)
    }

    /// The parameters as the JSON of a parameter file: one entry per line, sorted.
    public var json: [UInt8] {
        var json: [UInt8] = []
        func line(_ text: String) { json.append(contentsOf: text.utf8) }
        func strings(_ values: [String]) {
            for (index, value) in values.enumerated() {
                line(index == 0 ? "\n    " : ",\n    ")
                JSONString.append(value.utf8, to: &json)
            }
            line(values.isEmpty ? "]" : "\n  ]")
        }
        line("{\n  \"format\": \"\(Self.formatName)\",\n  \"version\": \(Self.formatVersion),\n  \"abbreviation_types\": [")
        strings(abbreviationTypes.sorted())
        line(",\n  \"collocations\": [")
        for (index, pair) in collocations.sorted(by: { ($0.first, $0.second) < ($1.first, $1.second) }).enumerated() {
            line(index == 0 ? "\n    [" : ",\n    [")
            JSONString.append(pair.first.utf8, to: &json)
            line(", ")
            JSONString.append(pair.second.utf8, to: &json)
            line("]")
        }
        line(collocations.isEmpty ? "]" : "\n  ]")
        line(",\n  \"sentence_starters\": [")
        strings(sentenceStarters.sorted())
        line(",\n  \"orthographic_context\": {")
        for (index, (type, context)) in orthographicContext.sorted(by: { $0.key < $1.key }).enumerated() {
            line(index == 0 ? "\n    " : ",\n    ")
            JSONString.append(type.utf8, to: &json)
            line(": \(context.rawValue)")
        }
        line(orthographicContext.isEmpty ? "}\n}\n" : "\n  }\n}\n")
        return json
    }

    /// Reads parameters written by `save`.
    /// - Throws: `BERTKitError` naming the file and the problem if it cannot be read, is not
    ///   JSON, is not a parameter file, or has an unsupported version or bad values.
    public static func load(from path: String) throws -> PunktParameters {
        try PunktParameters(json: FileChunkReader.contents(of: path), file: path)
    }

    /// Reads parameters from the JSON of a parameter file (`json`), which came from `file`
    /// when it is given.
    /// - Throws: `BERTKitError` naming `file` and the problem if it is not JSON, is not a
    ///   parameter file, or has an unsupported version or bad values.
    public init(json: [UInt8], file: String? = nil) throws {
        do {
            self = try json.withUnsafeBufferPointer { try Self.parse($0) }
        } catch let error as JSONScanner.Malformed {
            throw BERTKitError(file: file, "not a Punkt parameter file: \(error.message)")
        }
    }

    /// The parameters in a file's JSON, checked.
    private static func parse(_ json: UnsafeBufferPointer<UInt8>) throws -> PunktParameters {
        var scanner = JSONScanner(json)
        var format: String?
        var version: Int?
        var found: Set<String> = []
        var parameters = PunktParameters()
        try scanner.object { scanner, keyBytes in
            let key = String(decoding: keyBytes, as: UTF8.self)
            found.insert(key)
            do {
                switch key {
                case "format": format = String(decoding: try scanner.string(), as: UTF8.self)
                case "version": version = try scanner.integer()
                case "abbreviation_types": parameters.abbreviationTypes = Set(try scanner.strings())
                case "sentence_starters": parameters.sentenceStarters = Set(try scanner.strings())
                case "collocations": parameters.collocations = try collocations(&scanner)
                case "orthographic_context": parameters.orthographicContext = try orthographicContext(&scanner)
                default: try scanner.skipValue()
                }
            } catch let error as JSONScanner.Malformed {
                throw JSONScanner.Malformed("\"\(key)\": \(error.message)")
            }
        }
        try scanner.end()
        guard let format else { throw JSONScanner.Malformed("missing \"format\"") }
        guard format == formatName else {
            throw JSONScanner.Malformed("format is \"\(format)\", expected \"\(formatName)\"")
        }
        guard let version else { throw JSONScanner.Malformed("missing \"version\"") }
        guard version == formatVersion else {
            throw JSONScanner.Malformed("unsupported format version \(version) (this bertkit reads version \(formatVersion))")
        }
        for key in ["abbreviation_types", "collocations", "sentence_starters", "orthographic_context"]
        where !found.contains(key) {
            throw JSONScanner.Malformed("missing \"\(key)\"")
        }
        return parameters
    }

    /// Reads the array of collocations, each an array of two types.
    private static func collocations(_ scanner: inout JSONScanner) throws -> Set<Collocation> {
        var collocations: Set<Collocation> = []
        try scanner.array { scanner in
            let pair = try scanner.strings()
            guard pair.count == 2 else {
                throw JSONScanner.Malformed("collocation \(collocations.count) has \(pair.count) types, expected 2")
            }
            collocations.insert(Collocation(pair[0], pair[1]))
        }
        return collocations
    }

    /// Reads the object of orthographic contexts, type to flags.
    private static func orthographicContext(_ scanner: inout JSONScanner) throws -> [String: PunktOrthographicContext] {
        var contexts: [String: PunktOrthographicContext] = [:]
        try scanner.object { scanner, type in
            let flags = try scanner.integer()
            guard let value = UInt8(exactly: flags),
                  PunktOrthographicContext.all.isSuperset(of: PunktOrthographicContext(rawValue: value)) else {
                throw JSONScanner.Malformed("orthographic context of \"\(String(decoding: type, as: UTF8.self))\" is \(flags), "
                                            + "not a combination of the flags 2, 4, 8, 16, 32, 64")
            }
            contexts[String(decoding: type, as: UTF8.self)] = PunktOrthographicContext(rawValue: value)
        }
        return contexts
    }
}
