import ArgumentParser
import Corpus
import Distributed
import Support

/// `bertkit corpus prepare`: extract → format → shard in one streaming run.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Extract, format and shard MediaWiki dumps in one streaming run.",
        discussion: """
            The same shards as `corpus extract`, `corpus format` and `corpus shard` one after the \
            other, without their intermediate files (--keep-intermediate writes docs.jsonl and \
            formatted.txt into the output directory too). It runs as one process: under \
            mpirun, run `corpus extract`, `corpus format` and `corpus shard`, which split their \
            work among the processes.

            Example:
              bertkit corpus prepare enwiki-latest-pages-articles.xml.bz2 \\
                  --output shards/ \\
                  --training-shards 4096 --validation-shards 16
            """)

    @Argument(help: "MediaWiki dumps: .xml or .xml.bz2.")
    var dumps: [String]

    @Option(name: .shortAndLong, help: "The output directory (created if missing; must be empty unless --force).")
    var output: String

    @OptionGroup var sharding: ShardingOptions

    @OptionGroup var formatting: FormattingOptions

    @Flag(help: "Keep list items (WikiExtractor drops them).")
    var keepLists = false

    @Flag(help: "Also write docs.jsonl and formatted.txt into the output directory.")
    var keepIntermediate = false

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Write into a non-empty output directory, replacing its shards.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        let communicator = try CommandErrors.communicator()
        let progress = progressOptions.reporter()
        try CommandErrors.report(communicator) {
            if communicator.isDistributed {
                throw BERTKitError("corpus prepare runs as one process, not as \(communicator.worldSize) under mpirun or srun: "
                    + "run `corpus extract`, `corpus format` and `corpus shard` under it, which split their work across the processes")
            }
            var options = CorpusPreparer.Options(sharding: sharding.options(force: force))
            options.extraction.threads = threadOptions.threads
            options.extraction.keepLists = keepLists
            options.formatting = formatting.options
            options.punkt = try formatting.loadPunkt()
            options.punktSampleBytes = formatting.punktSampleBytes
            options.keepIntermediate = keepIntermediate
            let summary = try CorpusPreparer(options: options).run(dumps: dumps, outputDirectory: output, progress: progress)
            progress.finish(summary.extraction.report(output: nil))
            progress.finish("formatted \(summary.sharding.documents) documents into \(summary.sentences) sentences")
            progress.finish(summary.sharding.report(output: output))
        }
        communicator.finalize()
    }
}
