import ArgumentParser
import Support
import Training

/// `bertkit fill-mask`: the most likely tokens at each `[MASK]` of sentences.
struct FillMaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill-mask",
        abstract: "Print a model's most likely tokens, with their probabilities, at each [MASK] of sentences.",
        discussion: """
            MODEL is a checkpoint directory, a run directory (its newest checkpoint) or a
            Hugging Face model directory (config.json, model.safetensors, vocab.txt, as
            `export hf` writes it). Each sentence is tokenized with the model's vocabulary
            and lowercasing as [CLS] sentence [SEP], the literal [MASK] kept as the mask
            token (CharacterBERT: BasicTokenizer words as character ids, predictions from
            the MLM vocabulary); the MLM head runs at the [MASK] positions and a softmax
            over the vocabulary gives each token's probability. Sentences run together in
            batches.

            Output: for each [MASK], a block naming the sentence and the mask, then the
            --top-k tokens with their probabilities; with --json, one line per sentence: a
            JSON array holding, for each [MASK], an array of {"token", "id", "score"},
            most likely first.

            Examples:
              bertkit fill-mask runs/tiny "The capital of France is [MASK]."
              bertkit fill-mask models/tiny-hf --input sentences.txt --top-k 3 --json
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Sentences, each with at least one [MASK].")
    var sentences: [String] = []

    @Option(help: "A file of sentences, one per line (after those given as arguments).")
    var input: String?

    @Option(help: "Tokens to show per [MASK].")
    var topK = 5

    @Flag(help: "Print JSON, one line per sentence.")
    var json = false

    @Option(help: "Sentences per batch.")
    var batchSize = 32

    func validate() throws {
        if sentences.isEmpty && input == nil { throw ValidationError("give sentences with [MASK], or --input FILE") }
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        try CommandErrors.report {
            let texts = try InputText.read(arguments: sentences, file: input)
            let predictions = try FillMask(modelOptions.load()).predict(texts, topK: topK, batchSize: batchSize)
            for prediction in predictions {
                if json {
                    print("[" + prediction.candidates.map { candidates in
                        "[" + candidates.map { candidate in
                            var object = JSONObjectWriter()
                            object.add("token", candidate.token)
                            object.add("id", candidate.id)
                            object.add("score", candidate.score)
                            return object.compact
                        }.joined(separator: ", ") + "]"
                    }.joined(separator: ", ") + "]")
                    continue
                }
                for (index, candidates) in prediction.candidates.enumerated() {
                    let place = [prediction.input.file, prediction.input.place].compactMap { $0 }.joined(separator: ": ")
                    print("\(place), [MASK] \(index + 1) of \(prediction.candidates.count): \(prediction.input.text)")
                    let width = candidates.map(\.token.count).max() ?? 0
                    for candidate in candidates {
                        let padding = String(repeating: " ", count: width - candidate.token.count)
                        print("  \(candidate.token)\(padding)  \(Formatting.fixed(Double(candidate.score), 4))")
                    }
                    print()
                }
            }
        }
    }
}
