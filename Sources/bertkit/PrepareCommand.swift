import ArgumentParser
import Corpus
import Support

/// `bertkit corpus prepare`: extract → format → shard in one streaming run.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Extract, format and shard MediaWiki dumps in one streaming run.",
        discussion: """
            The same shards as `corpus extract`, `corpus format` and `corpus shard` one after the
            other, without their intermediate files (--keep-intermediate writes docs.jsonl and
            formatted.txt into the output directory too).

            Example:
              bertkit corpus prepare enwiki-latest-pages-articles.xml.bz2 --output shards/ \\
                  --training-shards 4096 --validation-shards 16
            """)

    @Argument(help: "MediaWiki dumps: .xml or .xml.bz2.")
    var dumps: [String]

    @Option(name: .shortAndLong, help: "The output directory (created if missing; must be empty unless --force).")
    var output: String

    @Option(help: "Number of training shards.")
    var trainingShards: Int

    @Option(help: "Number of validation shards.")
    var validationShards: Int

    @Option(help: "Seed of the shard-id shuffle.")
    var seed: UInt64 = 12345

    @Option(help: "Punkt parameters (default: train on the dump's first --punkt-sample-bytes of text).")
    var punkt: String?

    @Option(help: "Without --punkt: train Punkt on at most this many bytes of text.")
    var punktSampleBytes: Int = 50_000_000

    @Flag(help: "Start each document with its title.")
    var keepTitles = false

    @Flag(help: "Write sentences as BERT BasicTokenizer words joined by spaces, as CharacterBERT does.")
    var preTokenize = false

    @Flag(help: "Keep list items (WikiExtractor drops them).")
    var keepLists = false

    @Flag(help: "Also write docs.jsonl and formatted.txt into the output directory.")
    var keepIntermediate = false

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = WorkerThread.processorCount

    @Flag(help: "Write into a non-empty output directory, replacing its shards.")
    var force = false

    @Flag(name: .shortAndLong, help: "No progress line or summary.")
    var quiet = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if trainingShards < 1 { throw ValidationError("--training-shards must be at least 1") }
        if validationShards < 0 { throw ValidationError("--validation-shards cannot be negative") }
    }

    func run() throws {
        let progress = ProgressReporter(enabled: !quiet)
        try CommandErrors.report {
            var sharding = CorpusSharder.Options(trainingShards: trainingShards, validationShards: validationShards)
            sharding.seed = seed
            sharding.force = force
            var options = CorpusPreparer.Options(sharding: sharding)
            options.extraction.threads = threads
            options.extraction.keepLists = keepLists
            options.formatting.keepTitles = keepTitles
            options.formatting.preTokenize = preTokenize
            options.punkt = try punkt.map { try PunktParameters.load(from: $0) }
            options.punktSampleBytes = punktSampleBytes
            options.keepIntermediate = keepIntermediate
            let summary = try CorpusPreparer(options: options).run(dumps: dumps, outputDirectory: output, progress: progress)
            progress.finish(summary.extraction.report(output: keepIntermediate ? output + "/docs.jsonl" : "(not kept)"))
            progress.finish("formatted \(summary.sharding.documents) documents into \(summary.sentences) sentences")
            progress.finish(summary.sharding.report(output: output))
        }
    }
}
