import ArgumentParser
import Corpus
import Support

/// `bertkit corpus shard`: a formatted corpus into training and validation shards.
struct ShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard",
        abstract: "Split a formatted corpus into training and validation shards.",
        discussion: """
            Input: one sentence per line, a blank line between documents (`corpus format`'s \
            output). Documents go to the shard with the fewest sentences so far; the shard ids are \
            shuffled with the seed; files training.{i}.txt and validation.{i}.txt and a \
            manifest.json (documents, sentences and bytes of each shard) are written. Streams: \
            memory does not grow with the corpus.

            Example:
              bertkit corpus shard formatted.txt --output shards/ \\
                  --training-shards 4096 --validation-shards 16
            """)

    @Argument(help: "Formatted corpus files, or directories of them.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The output directory (created if missing; must be empty unless --force).")
    var output: String

    @OptionGroup var sharding: ShardingOptions

    @Flag(help: "Write into a non-empty output directory, replacing its shards.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions


    func run() throws {
        let options = sharding.options(force: force)
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let summary = try CorpusSharder(options: options).run(inputs: inputs, outputDirectory: output, progress: progress)
            progress.finish(summary.report(output: output))
        }
    }
}

extension CorpusSharder.Summary {
    /// The closing summary line.
    func report(output: String) -> String {
        let sizes = shards.map(\.sentences)
        return "sharded \(documents) documents (\(sentences) sentences, \(Formatting.bytes(bytes))) into \(shards.count) shards"
            + " in \(Formatting.duration(seconds)) (\(Formatting.fixed(Double(bytes) / max(seconds, 1e-9) / 1e6, 1)) MB/s"
            + (passes > 1 ? ", \(passes) passes" : "") + "); sentences per shard \(sizes.min() ?? 0)–\(sizes.max() ?? 0) -> \(output)/"
    }
}
