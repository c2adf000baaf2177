import ArgumentParser
import Corpus
import Support

/// `bertkit corpus format`: documents to one sentence per line, a blank line between documents.
struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Format documents as a pre-training corpus: one sentence per line, a blank line between documents.",
        discussion: """
            Sentences are split with Punkt as NLTK's PunktSentenceTokenizer splits them (closing
            quotes and brackets stay with their sentence); line breaks inside a sentence become
            spaces. Without --punkt, Punkt is first trained on the input (its first
            --punkt-sample-bytes of text). Titles are dropped unless --keep-titles. This is the
            input of `corpus shard` and of BERT's create_pretraining_data.py.

            Examples:
              bertkit corpus format docs.jsonl --output formatted.txt
              bertkit corpus format docs.jsonl --output formatted.txt --pre-tokenize --punkt punkt.json
            """)

    @Argument(help: "Document files or directories of them, read in order.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The output file.")
    var output: String

    @Option(help: "jsonl: JSON objects, one per line; lines: one document per line; blocks: documents separated by blank lines.")
    var inputFormat: DocumentReader.Format = .jsonl

    @Option(help: "The field holding the text in JSON lines.")
    var textField: String = "text"

    @Flag(help: "Start each document with its title (JSON lines' \"title\" field).")
    var keepTitles = false

    @Flag(help: "Write sentences as BERT BasicTokenizer words joined by spaces (lowercased, accents stripped, punctuation split), as CharacterBERT does.")
    var preTokenize = false

    @Option(help: "Punkt parameters written by `corpus train-punkt` (default: train on the input).")
    var punkt: String?

    @Option(help: "Without --punkt: train Punkt on at most this many bytes of the input's text.")
    var punktSampleBytes: Int = 50_000_000

    @Option(help: "Without --punkt: also save the parameters trained on the input here.")
    var savePunkt: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = WorkerThread.processorCount

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "No progress line or summary.")
    var quiet = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if punkt != nil && savePunkt != nil { throw ValidationError("--save-punkt saves parameters trained on the input: leave out --punkt") }
    }

    func run() throws {
        let progress = ProgressReporter(enabled: !quiet)
        try CommandErrors.report {
            let files = try FileSystem.expandInputs(inputs)
            let file = try OutputFile(path: output, overwrite: force)
            let parameters = try punkt.map { try PunktParameters.load(from: $0) } ?? train(files, progress: progress)
            var options = CorpusFormatter.Options()
            options.preTokenize = preTokenize
            options.keepTitles = keepTitles
            let reader = try DocumentReader(paths: files, format: inputFormat, textField: textField,
                                            titleField: keepTitles ? "title" : nil)
            let summary = try CorpusFormatter(segmenter: PunktSegmenter(parameters: parameters), options: options, threads: threads)
                .run(reader: reader, output: file, progress: progress)
            try file.commit()
            var line = "formatted \(summary.documents) documents (\(Formatting.bytes(summary.textBytes)) of text)"
            line += " into \(summary.sentences) sentences in \(Formatting.duration(summary.seconds))"
            line += " (\(rate(summary.textBytes, summary.seconds));"
            line += " segmenting alone \(rate(summary.textBytes, summary.segmentingSeconds)) a thread) -> \(output)"
            progress.finish(line)
        }
    }

    /// Trains Punkt on the input's first `punktSampleBytes` of text.
    private func train(_ files: [String], progress: ProgressReporter) throws -> PunktParameters {
        let reader = try DocumentReader(paths: files, format: inputFormat, textField: textField)
        var trainer = PunktTrainer()
        let summary = try trainer.train(documents: reader, maxBytes: punktSampleBytes, progress: progress)
        let parameters = trainer.finalize()
        progress.finish("trained Punkt on \(summary.documents) documents (\(Formatting.bytes(summary.textBytes)) of text)"
                        + (summary.reachedLimit ? ", the --punkt-sample-bytes limit" : ""))
        if let savePunkt {
            let file = try OutputFile(path: savePunkt, overwrite: force)
            try parameters.write(to: file)
            try file.commit()
        }
        return parameters
    }
}
