import ArgumentParser
import Corpus
import Support

/// `bertkit corpus format`: documents to one sentence per line, a blank line between documents.
struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Format documents as a pre-training corpus: one sentence per line, a blank line between documents.",
        discussion: """
            Sentences are split with Punkt as NLTK's PunktSentenceTokenizer splits them (closing \
            quotes and brackets stay with their sentence); line breaks inside a sentence become \
            spaces. Without --punkt, Punkt is first trained on the input (its first \
            --punkt-sample-bytes of text). Titles are dropped unless --keep-titles. This is the \
            input of `corpus shard` and of BERT's create_pretraining_data.py.

            Examples:
              bertkit corpus format docs.jsonl --output formatted.txt
              bertkit corpus format docs.jsonl --output formatted.txt \\
                  --pre-tokenize --punkt punkt.json
            """)

    @Argument(help: "Document files or directories of them, read in order.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The output file.")
    var output: String

    @OptionGroup var documentInput: DocumentInputOptions

    @OptionGroup var formatting: FormattingOptions

    @Option(help: "Without --punkt: also save the parameters trained on the input here.")
    var savePunkt: String?

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if formatting.punkt != nil && savePunkt != nil { throw ValidationError("--save-punkt saves parameters trained on the input: leave out --punkt") }
    }

    func run() throws {
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let file = try OutputFile(path: output, overwrite: force)
            let parameters = try formatting.loadPunkt() ?? train(progress: progress)
            let reader = try documentInput.reader(inputs, titles: formatting.keepTitles)
            let summary = try CorpusFormatter(segmenter: PunktSegmenter(parameters: parameters), options: formatting.options,
                                              threads: threadOptions.threads)
                .run(reader: reader, output: file, progress: progress)
            if reader.invalidUTF8Replaced > 0 {
                progress.warn("\(reader.invalidUTF8Replaced) invalid UTF-8 sequence(s) in the input replaced by U+FFFD")
            }
            if summary.documents == 0 {
                throw BERTKitError(file: inputs.joined(separator: ", "), "no document with a sentence in it")
            }
            try file.commit()
            var line = "formatted \(summary.documents) documents (\(Formatting.bytes(summary.textBytes)) of text)"
            line += " into \(summary.sentences) sentences in \(Formatting.duration(summary.seconds))"
            line += " (\(rate(summary.textBytes, summary.seconds));"
            line += " segmenting alone \(rate(summary.textBytes, summary.segmentingSeconds)) a thread) -> \(output)"
            progress.finish(line)
        }
    }

    /// Trains Punkt on the input's first `--punkt-sample-bytes` of text.
    private func train(progress: ProgressReporter) throws -> PunktParameters {
        let reader = try documentInput.reader(inputs)
        var trainer = PunktTrainer()
        let summary = try trainer.train(documents: reader, maxBytes: formatting.punktSampleBytes, progress: progress)
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
