import ArgumentParser
import Corpus
import Distributed
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
            memory does not grow with the corpus. Under `mpirun -np N` (or `srun`) every process \
            reads the input and rank r writes the r-th, (r+N)-th, … shard files; rank 0 prepares \
            the directory and writes the manifest: the files are the same.

            Examples:
              bertkit corpus shard formatted.txt --output shards/ \\
                  --training-shards 4096 --validation-shards 16
              mpirun -np 4 bertkit corpus shard formatted.txt --output shards/ \\
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
        let communicator = try CommandErrors.communicator()
        let progress = progressOptions.reporter(for: communicator)
        try CommandErrors.report(communicator) {
            let start = MonotonicClock.now()
            let sharder = CorpusSharder(options: sharding.options(force: force))
            let files = try FileSystem.expandInputs(inputs)
            // Rank 0 prepares the directory before any process writes into it, and completes
            // it once every process's shards are in place.
            _ = try communicator.broadcastResult(from: 0) {
                try sharder.prepare(output)
                return []
            }
            var summary = try sharder.writeShards(files: files, outputDirectory: output, part: communicator.rank,
                                                  of: communicator.worldSize, progress: progress)
            try communicator.barrier()
            if communicator.rank == 0 {
                try sharder.finish(summary, directory: output, inputs: files)
                summary.seconds = MonotonicClock.now() - start
                progress.finish(summary.report(output: output))
            }
        }
        communicator.finalize()
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
