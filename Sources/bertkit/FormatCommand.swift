import ArgumentParser
import Corpus
import Distributed
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
            input of `corpus shard` and of BERT's create_pretraining_data.py. Under `mpirun -np N` \
            (or `srun`) each process formats a contiguous Nth of the input, cut between documents, \
            and rank 0 joins the parts (and alone trains Punkt): the output is the same.

            Examples:
              bertkit corpus format docs.jsonl --output formatted.txt
              bertkit corpus format docs.jsonl --output formatted.txt \\
                  --pre-tokenize --punkt punkt.json
              mpirun -np 4 bertkit corpus format docs.jsonl --output formatted.txt
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
        let communicator = try CommandErrors.communicator()
        let progress = progressOptions.reporter(for: communicator)
        try CommandErrors.report(communicator) {
            let file = try SharedOutputFile(path: output, overwrite: force, communicator: communicator)
            let parameters = try formatting.loadPunkt()
                ?? PunktParameters(json: communicator.broadcastResult(from: 0) { try train(progress: progress).json })
            let reader = try documentInput.reader(inputs, titles: formatting.keepTitles,
                                                  part: communicator.rank, of: communicator.worldSize)
            var summary = try CorpusFormatter(segmenter: PunktSegmenter(parameters: parameters), options: formatting.options,
                                              threads: threadOptions.threads(sharedWith: communicator))
                .run(reader: reader, output: file.part, progress: progress)
            let counts = try communicator.allReduceSum([summary.documents, summary.sentences, summary.textBytes,
                                                        reader.invalidUTF8Replaced])
            (summary.documents, summary.sentences, summary.textBytes) = (counts[0], counts[1], counts[2])
            summary.segmentingSeconds = try communicator.allReduceSum([summary.segmentingSeconds])[0]
            if counts[3] > 0 && communicator.rank == 0 {
                progress.warn("\(counts[3]) invalid UTF-8 sequence(s) in the input replaced by U+FFFD")
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
        communicator.finalize()
    }

    /// Trains Punkt on the input's first `--punkt-sample-bytes` of text (in rank 0 alone
    /// under `mpirun`).
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
