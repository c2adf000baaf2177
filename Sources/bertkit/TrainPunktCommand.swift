import ArgumentParser
import Corpus
import Support

/// `bertkit corpus train-punkt`: Punkt sentence-splitting parameters learned from documents.
struct TrainPunktCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-punkt",
        abstract: "Learn Punkt sentence-splitting parameters (abbreviations, collocations, sentence starters) from documents.",
        discussion: """
            Unsupervised, as NLTK's PunktTrainer (Kiss & Strunk 2006), with the same decisions: \
            each document is one training chunk. Documents are read in order until the next one \
            would pass --max-bytes of text. The parameters are written as JSON, for `corpus format \
            --punkt`.

            Example:
              bertkit corpus train-punkt docs.jsonl --output punkt.json
            """)

    @Argument(help: "Document files or directories of them, read in order.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The parameter file to write (JSON).")
    var output: String

    @OptionGroup var documentInput: DocumentInputOptions

    @Option(help: "Train on at most this many bytes of text (UTF-8), whole documents only.")
    var maxBytes: Int = 50_000_000

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if maxBytes < 1 { throw ValidationError("--max-bytes must be at least 1") }
    }

    func run() throws {
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let file = try OutputFile(path: output, overwrite: force)
            let reader = try documentInput.reader(inputs)
            var trainer = PunktTrainer()
            let start = MonotonicClock.now()
            let summary = try trainer.train(documents: reader, maxBytes: maxBytes, progress: progress)
            let finalizeStart = MonotonicClock.now()
            let parameters = trainer.finalize()
            let end = MonotonicClock.now()
            let seconds = end - start
            let trainingSeconds = summary.trainingSeconds + end - finalizeStart
            try parameters.write(to: file)
            try file.commit()
            var line = "trained Punkt on \(summary.documents) documents (\(Formatting.bytes(summary.textBytes)) of text)"
            line += " in \(Formatting.duration(seconds))"
            line += " (\(rate(summary.textBytes, seconds)); training alone \(rate(summary.textBytes, trainingSeconds)))"
            if summary.reachedLimit { line += ", stopped at --max-bytes" }
            line += ": \(parameters.abbreviationTypes.count) abbreviations, \(parameters.collocations.count) collocations,"
            line += " \(parameters.sentenceStarters.count) sentence starters -> \(output)"
            progress.finish(line)
        }
    }
}

extension DocumentReader.Format: ExpressibleByArgument {}

/// "12.3 MB/s": bytes in a time as the summary lines give rates.
func rate(_ bytes: Int, _ seconds: Double) -> String {
    "\(Formatting.fixed(Double(bytes) / max(seconds, 1e-9) / 1e6, 1)) MB/s"
}
