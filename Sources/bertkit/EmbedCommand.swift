import ArgumentParser
import Interop
import Support
import Training

/// `bertkit embed`: a vector per line of text from a model's last hidden states.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write a vector per line of text: a model's last hidden states, [CLS] or mean-pooled.",
        discussion: """
            MODEL is a checkpoint directory, a run directory (its newest checkpoint) or a
            Hugging Face model directory. Each line of --input is tokenized as [CLS] line
            [SEP] with the model's vocabulary and lowercasing and run through the encoder
            (dropout off, in batches padded to their longest line); its vector is the final
            hidden state of [CLS] (--pooling cls) or the mean over the line's tokens, [CLS]
            and [SEP] included (--pooling mean, sentence-transformers' mean pooling).

            Output (--output, else standard output): JSON lines, one array of hidden-size
            numbers per input line; or, for a name ending in .npy, a NumPy array of
            float32, lines × hidden size (numpy.load reads it). A file is written under a
            temporary name and renamed when complete; an existing one needs --force.

            Examples:
              bertkit embed runs/tiny --input sentences.txt --output vectors.npy
              bertkit embed models/tiny-hf --input lines.txt --pooling cls > vectors.jsonl
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The text, one input per line.")
    var input: String

    @Option(help: "cls: the [CLS] token's hidden state; mean: the mean over the line's tokens.")
    var pooling: TextEmbedder.Pooling = .mean

    @Option(name: .shortAndLong, help: "The file to write: NAME.npy (NumPy) or JSON lines (default: standard output).")
    var output: String?

    @Option(help: "Lines per batch.")
    var batchSize = 32

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let start = MonotonicClock.now()
            let texts = try InputText.read(arguments: [], file: input)
            let embedder = try TextEmbedder(modelOptions.load(), pooling: pooling)
            if let output, output.hasSuffix(".npy") {
                let writer = try NumPyWriter(path: output, shape: [texts.count, embedder.dimension], overwrite: force)
                try embedder.embed(texts, batchSize: batchSize) { vectors in
                    for vector in vectors { try writer.append(vector) }
                }
                try writer.commit()
            } else {
                let file = try output.map { try OutputFile(path: $0, overwrite: force) }
                try embedder.embed(texts, batchSize: batchSize) { vectors in
                    for vector in vectors {
                        let line = "[" + vector.map { "\($0)" }.joined(separator: ", ") + "]"
                        if let file { try file.write(line + "\n") } else { print(line) }
                    }
                }
                try file?.commit()
            }
            progress.finish("embedded \(texts.count) lines of \(input) (\(pooling.rawValue) pooling, \(embedder.dimension) "
                            + "dimensions) -> \(output ?? "standard output") in "
                            + Formatting.duration(MonotonicClock.now() - start))
        }
    }
}

extension TextEmbedder.Pooling: ExpressibleByArgument {}
