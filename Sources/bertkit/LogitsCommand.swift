import ArgumentParser
import Support
import Tensor
import Training

/// `bertkit logits` (hidden): a checkpoint's raw logits for given token ids, as JSON, for
/// scripts/check_hf_roundtrip.py to hold against transformers'.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Print a checkpoint's MLM and NSP logits for given token ids as JSON (a diagnostic).",
        discussion: """
            INPUT is a JSON object: "input_ids", B rows of S WordPiece ids (or, for
            CharacterBERT, of S lists of character ids); optional "token_type_ids" and
            "attention_mask", B rows of S (default 0 and 1). Prints
            {"mlm_logits": [B][S][V], "nsp_logits": [B][2] or null}, dropout off.
            """,
        shouldDisplay: false)

    @Argument(help: "A checkpoint directory, a run directory (its newest checkpoint) or a Hugging Face model directory.")
    var checkpoint: String

    @Option(help: "The JSON file of token ids.")
    var input: String

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try CommandErrors.report {
            let text = try FileChunkReader.contents(of: input)
            var arrays: [String: (values: [Int32], shape: [Int])] = [:]
            do {
                try text.withUnsafeBufferPointer { buffer in
                    var scanner = JSONScanner(buffer)
                    try scanner.object { scanner, key in arrays[String(decoding: key, as: UTF8.self)] = try Self.integers(&scanner) }
                    try scanner.end()
                }
            } catch let malformed as JSONScanner.Malformed {
                throw BERTKitError(file: input, malformed.message)
            }
            guard let ids = arrays["input_ids"], ids.shape.count >= 2 else {
                throw BERTKitError(file: input, "needs \"input_ids\": rows of token ids")
            }
            let (batch, length) = (ids.shape[0], ids.shape[1])
            let loaded = try CheckpointModel(path: checkpoint, backend: CPUBackend(threads: threadOptions.threads))
            let logits = try loaded.logits(
                tokenIDs: ids.values,
                tokenTypeIDs: arrays["token_type_ids"]?.values ?? [Int32](repeating: 0, count: batch * length),
                attentionMask: arrays["attention_mask"]?.values ?? [Int32](repeating: 1, count: batch * length),
                batchSize: batch, sequenceLength: length)
            let vocabulary = loaded.description.configuration.vocabularySize
            var json = JSONObjectWriter()
            json.add("mlm_logits", json: Self.nested(logits.maskedLanguageModel, shape: [batch, length, vocabulary]))
            json.add("nsp_logits", json: logits.nextSentence.map { Self.nested($0, shape: [batch, 2]) } ?? "null")
            print(json.text, terminator: "")
        }
    }

    /// A nested array of integers, flattened, with its shape (the first row's lengths).
    private static func integers(_ scanner: inout JSONScanner) throws -> (values: [Int32], shape: [Int]) {
        guard scanner.peek() == UInt8(ascii: "[") else {
            let value = try scanner.integer()
            guard let narrow = Int32(exactly: value) else { throw JSONScanner.Malformed("\(value) is out of range") }
            return ([narrow], [])
        }
        var values: [Int32] = []
        var inner: [Int]?
        var count = 0
        try scanner.array { element in
            let (elementValues, elementShape) = try integers(&element)
            guard inner == nil || inner == elementShape else { throw JSONScanner.Malformed("rows of different lengths") }
            inner = elementShape
            values += elementValues
            count += 1
        }
        return (values, [count] + (inner ?? []))
    }

    /// `values` as nested JSON arrays of `shape`.
    private static func nested(_ values: [Float], shape: [Int]) -> String {
        guard let first = shape.first else { return values.map { "\($0)" }.joined() }
        let size = values.count / max(first, 1)
        return "[" + (0..<first).map { nested(Array(values[$0 * size ..< ($0 + 1) * size]), shape: Array(shape.dropFirst())) }
            .joined(separator: ",") + "]"
    }
}
