import ArgumentParser
import Corpus
import Support

/// `bertkit corpus split-sentences`: documents to one sentence per line with Punkt.
struct SplitSentencesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split-sentences",
        abstract: "Split documents into sentences with Punkt parameters: one sentence per line, a blank line after each document.",
        discussion: """
            Splits as NLTK's PunktSentenceTokenizer does with the same parameters (closing
            quotes and brackets stay with their sentence). Line breaks inside a sentence become
            spaces. This is the input format of BERT's create_pretraining_data.py.

            Example:
              bertkit corpus train-punkt docs.jsonl --output punkt.json
              bertkit corpus split-sentences docs.jsonl --punkt punkt.json --output sentences.txt
            """)

    @Argument(help: "Document files, read in order.")
    var inputs: [String]

    @Option(help: "Punkt parameters written by `corpus train-punkt`.")
    var punkt: String

    @Option(name: .shortAndLong, help: "The output file.")
    var output: String

    @Option(help: "jsonl: JSON objects, one per line; lines: one document per line; blocks: documents separated by blank lines.")
    var inputFormat: DocumentReader.Format = .jsonl

    @Option(help: "The field holding the text in JSON lines.")
    var textField: String = "text"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = WorkerThread.processorCount

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "No progress line or summary.")
    var quiet = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let progress = ProgressReporter(enabled: !quiet)
        try CommandErrors.report {
            let file = try OutputFile(path: output, overwrite: force)
            let segmenter = PunktSegmenter(parameters: try PunktParameters.load(from: punkt))
            let reader = try DocumentReader(paths: inputs, format: inputFormat, textField: textField)
            let summary = try SentenceSplitter(segmenter: segmenter, threads: threads)
                .run(reader: reader, output: file, progress: progress)
            try file.commit()
            var line = "split \(summary.documents) documents (\(Formatting.bytes(summary.textBytes)) of text)"
            line += " into \(summary.sentences) sentences in \(Formatting.duration(summary.seconds))"
            line += " (\(rate(summary.textBytes, summary.seconds));"
            line += " segmenting alone \(rate(summary.textBytes, summary.segmentingSeconds)) a thread) -> \(output)"
            progress.finish(line)
        }
    }
}
