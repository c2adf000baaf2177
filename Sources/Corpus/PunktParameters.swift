import FoundationEssentials
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

    public init() {}

    /// The `format` value of parameter files.
    static let formatName = "bertkit-punkt-parameters"
    /// The format version written and read.
    static let formatVersion = 1

    /// Writes the parameters as JSON (sorted, so that equal parameters give equal files).
    /// - Throws: `BERTKitError` if the file exists and `overwrite` is false, or cannot be written.
    public func save(to path: String, overwrite: Bool) throws {
        let file = try OutputFile(path: path, overwrite: overwrite)
        try write(to: file)
        try file.commit()
    }

    /// Writes the parameters as JSON to an output file, which the caller commits.
    public func write(to file: OutputFile) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(File(self))
        } catch {
            throw BERTKitError(file: file.path, "cannot encode the parameters: \(error)")
        }
        try file.write(data)
        try file.write("\n")
    }

    /// Reads parameters written by `save`.
    /// - Throws: `BERTKitError` naming the file and the problem if it cannot be read, is not
    ///   JSON, is not a parameter file, or has an unsupported version or bad values.
    public static func load(from path: String) throws -> PunktParameters {
        let bytes = try FileChunkReader.contents(of: path)
        let decoded: File
        do {
            decoded = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch let error as BERTKitError {
            throw BERTKitError(file: path, error.message)
        } catch let error as DecodingError {
            throw BERTKitError(file: path, "not a Punkt parameter file: \(Self.describe(error))")
        } catch {
            throw BERTKitError(file: path, "not a Punkt parameter file: \(error)")
        }
        do {
            return try decoded.parameters()
        } catch let error as BERTKitError {
            throw BERTKitError(file: path, error.message)
        }
    }

    /// A decoding error in a sentence: what is wrong and at which key.
    private static func describe(_ error: DecodingError) -> String {
        func place(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return path.isEmpty ? "" : " at \(path.joined(separator: "."))"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(place(context))"
        case .typeMismatch(_, let context): return "\(context.debugDescription)\(place(context))"
        case .valueNotFound(_, let context): return "missing value\(place(context))"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { ": \($0)" } ?? ""
            return "\(context.debugDescription)\(underlying)\(place(context))"
        @unknown default: return "\(error)"
        }
    }

    /// The file's JSON layout.
    private struct File: Codable {
        var format: String
        var version: Int
        var abbreviationTypes: [String]
        var collocations: [[String]]
        var sentenceStarters: [String]
        var orthographicContext: [String: Int]

        enum CodingKeys: String, CodingKey {
            case format, version, collocations
            case abbreviationTypes = "abbreviation_types"
            case sentenceStarters = "sentence_starters"
            case orthographicContext = "orthographic_context"
        }

        init(_ parameters: PunktParameters) {
            format = PunktParameters.formatName
            version = PunktParameters.formatVersion
            abbreviationTypes = parameters.abbreviationTypes.sorted()
            collocations = parameters.collocations.map { [$0.first, $0.second] }
                .sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
            sentenceStarters = parameters.sentenceStarters.sorted()
            orthographicContext = parameters.orthographicContext.mapValues { Int($0.rawValue) }
        }

        /// The parameters, after checking the header and the values.
        func parameters() throws -> PunktParameters {
            guard format == PunktParameters.formatName else {
                throw BERTKitError("not a Punkt parameter file (format is \"\(format)\", expected \"\(PunktParameters.formatName)\")")
            }
            guard version == PunktParameters.formatVersion else {
                throw BERTKitError("unsupported format version \(version) (this bertkit reads version \(PunktParameters.formatVersion))")
            }
            var parameters = PunktParameters()
            parameters.abbreviationTypes = Set(abbreviationTypes)
            parameters.sentenceStarters = Set(sentenceStarters)
            for (index, pair) in collocations.enumerated() {
                guard pair.count == 2 else {
                    throw BERTKitError("collocation \(index) has \(pair.count) types, expected 2")
                }
                parameters.collocations.insert(Collocation(pair[0], pair[1]))
            }
            for (type, flags) in orthographicContext {
                guard let value = UInt8(exactly: flags),
                      PunktOrthographicContext.all.isSuperset(of: PunktOrthographicContext(rawValue: value)) else {
                    throw BERTKitError("orthographic context of \"\(type)\" is \(flags), not a combination of the flags 2, 4, 8, 16, 32, 64")
                }
                parameters.orthographicContext[type] = PunktOrthographicContext(rawValue: value)
            }
            return parameters
        }
    }
}
