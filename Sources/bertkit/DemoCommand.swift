import ArgumentParser
import Corpus
import Support

/// `bertkit demo`: the whole pipeline on the sample corpus bundled in the binary.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the pipeline on the bundled sample corpus and show what each stage did.",
        discussion: """
            Runs the stages of this version one after the other, as the commands a user would type: \
            extract the bundled MediaWiki dump, format it into sentences (training Punkt on it), shard \
            it, learn a WordPiece vocabulary from the shards, tokenize a few validation sentences \
            with it, and make phase-1 pre-training data (128 tokens, 20 predictions) from the \
            shards, inspecting one file. Everything is written under the output directory.
            """)

    @Option(name: .shortAndLong, help: "Directory for the demo's files.")
    var output: String = "runs/demo"

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Reuse a non-empty output directory, overwriting the demo's files.")
    var force = false

    func run() throws {
        try CommandErrors.report {
            if FileSystem.isDirectory(output) && !force && !FileSystem.isEmptyDirectory(output) {
                throw BERTKitError(file: output, "is not empty (use --force to overwrite the demo's files)")
            }
            try FileSystem.createDirectory(output)
            let path = { (name: String) in output + "/" + name }
            let threads = ["--threads", String(threadOptions.threads)]
            let dump = path(SampleCorpus.fileName)
            try SampleCorpus.write(to: dump, overwrite: true)
            let start = MonotonicClock.now()
            // Stage headers go where the stages' summaries go (standard error), so the two interleave.
            let say = ProgressReporter().finish
            let stages: [(String, () throws -> Void)] = [
                ("extract \(SampleCorpus.fileName) (bundled, \(Formatting.bytes(SampleCorpus.dump.count))) -> docs.jsonl", {
                    try ExtractCommand.parse([dump, "--output", path("docs.jsonl"), "--force"] + threads).run()
                }),
                ("format docs.jsonl into sentences, Punkt trained on them -> formatted.txt", {
                    try FormatCommand.parse([path("docs.jsonl"), "--output", path("formatted.txt"), "--force",
                                             "--save-punkt", path("punkt.json")] + threads).run()
                }),
                ("shard formatted.txt -> shards/ (8 training, 2 validation)", {
                    try ShardCommand.parse([path("formatted.txt"), "--output", path("shards"), "--training-shards", "8",
                                            "--validation-shards", "2", "--force"]).run()
                }),
                ("learn a 4,000-token WordPiece vocabulary from shards/ -> vocab.txt", {
                    try VocabWordPieceCommand.parse([path("shards"), "--output", path("vocab.txt"), "--vocab-size", "4000",
                                                     "--force"] + threads).run()
                }),
                ("tokenize the first sentences of shards/validation.0.txt with it", {
                    try FileSystem.writeFirstLines(of: path("shards/validation.0.txt"), count: 3, to: path("sample-sentences.txt"))
                    try TokenizeCommand.parse(["--vocab", path("vocab.txt"), "--tokens", "--quiet", path("sample-sentences.txt")]).run()
                }),
                ("make phase-1 pre-training data (128/20, NVIDIA's HDF5 layout) from shards/ -> hdf5/128_20/", {
                    try DataCreateCommand.parse([path("shards"), "--vocab", path("vocab.txt"), "--phase", "1",
                                                 "--output", path("hdf5/128_20"), "--force"] + threads).run()
                }),
                ("inspect hdf5/128_20/validation.0.hdf5 and check every invariant", {
                    try DataInspectCommand.parse([path("hdf5/128_20/validation.0.hdf5"), "--vocab", path("vocab.txt"),
                                                  "--show", "1", "--check"]).run()
                }),
            ]
            for (index, (title, stage)) in stages.enumerated() {
                let stageStart = MonotonicClock.now()
                say("\n[\(index + 1)/\(stages.count)] \(title)")
                try stage()
                say("      (\(Formatting.duration(MonotonicClock.now() - stageStart)))")
            }
            say("\nThe demo ran in \(Formatting.duration(MonotonicClock.now() - start)); its files are in \(output)/.")
        }
    }
}
