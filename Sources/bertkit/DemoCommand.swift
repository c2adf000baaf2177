import ArgumentParser
import Corpus
import Support

/// `bertkit demo`: the whole pipeline on the sample corpus bundled in the binary.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the pipeline on the bundled sample corpus and show what each stage did.",
        discussion: """
            Stages available in this version: extract (the bundled MediaWiki dump to JSON-lines \
            documents). Everything is written under the output directory.
            """)

    @Option(name: .shortAndLong, help: "Directory for the demo's files.")
    var output: String = "runs/demo"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = WorkerThread.processorCount

    @Flag(help: "Reuse a non-empty output directory, overwriting its files.")
    var force = false

    func run() throws {
        try CommandErrors.report {
            if FileSystem.isDirectory(output) && !force && !FileSystem.isEmptyDirectory(output) {
                throw BERTKitError(file: output, "is not empty (use --force to overwrite the demo's files)")
            }
            try FileSystem.createDirectory(output)
            let progress = ProgressReporter()
            let dumpPath = output + "/" + SampleCorpus.fileName
            try SampleCorpus.write(to: dumpPath, overwrite: true)
            progress.finish("[1/1] extract: \(SampleCorpus.fileName) (\(Formatting.bytes(SampleCorpus.dump.count)), bundled) -> docs.jsonl")
            var options = DumpExtractor.Options()
            options.threads = threads
            let documentsPath = output + "/docs.jsonl"
            let file = try OutputFile(path: documentsPath, overwrite: true)
            let summary = try DumpExtractor(options: options).run(inputs: [dumpPath], output: file, progress: progress)
            try file.commit()
            progress.finish("      " + summary.report(output: documentsPath))
            progress.finish("The demo's files are in \(output)/.")
        }
    }
}
