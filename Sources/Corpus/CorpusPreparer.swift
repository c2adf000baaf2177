import Support

/// Runs extract → format → shard in one streaming pass: a dump in, shards out, with no
/// intermediate files unless asked for.
///
/// Worker threads clean pages and split their sentences; the calling thread hands every
/// formatted document to the shard writer in dump order, so the shards are the same as those
/// of `corpus extract`, `corpus format` and `corpus shard` run one after the other with the
/// same settings. Without Punkt parameters, a first pass extracts the first
/// `punktSampleBytes` of text and trains Punkt on it, as `corpus format` does.
public struct CorpusPreparer {
    /// The settings of the three stages.
    public struct Options: Sendable {
        public var extraction = DumpExtractor.Options()
        public var formatting = CorpusFormatter.Options()
        public var sharding: CorpusSharder.Options
        /// Punkt parameters; nil trains them on the dump's first `punktSampleBytes` of text.
        public var punkt: PunktParameters?
        public var punktSampleBytes = 50_000_000
        /// Also write the extracted documents (docs.jsonl) and the formatted corpus
        /// (formatted.txt) into the output directory.
        public var keepIntermediate = false

        public init(sharding: CorpusSharder.Options) {
            self.sharding = sharding
        }
    }

    /// What a run did, stage by stage.
    public struct Summary: Sendable {
        public var punktTrainingDocuments = 0
        public var extraction = DumpExtractor.Summary()
        public var sentences = 0
        public var sharding = CorpusSharder.Summary()
        public var seconds = 0.0
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Prepares the corpus of `dumps` as shards in `outputDirectory`.
    /// - Throws: `BERTKitError` as the stages do; also when the system allows fewer open
    ///   files than shards (`corpus shard` can then shard in several passes).
    public func run(dumps: [String], outputDirectory: String, progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        let sharder = CorpusSharder(options: options.sharding)
        try sharder.prepare(outputDirectory)
        let shards = sharder.fileNames.count
        let openFiles = FileSystem.raiseOpenFileLimit(to: shards + 64)
        if openFiles < shards + 16 {
            throw BERTKitError("\(shards) shards need as many open files, and the limit is \(openFiles): raise it (`ulimit -n`) or run `corpus extract`, `corpus format` and `corpus shard` one after the other")
        }
        var summary = Summary()
        let parameters: PunktParameters
        if let given = options.punkt {
            parameters = given
        } else {
            (parameters, summary.punktTrainingDocuments) = try trainPunkt(dumps, progress: progress)
        }
        let formatter = CorpusFormatter(segmenter: PunktSegmenter(parameters: parameters), options: options.formatting,
                                        threads: options.extraction.threads)
        let writer = try ShardWriter(sharder: sharder, directory: outputDirectory, writing: 0..<shards)
        let intermediates = options.keepIntermediate
            ? (try OutputFile(path: outputDirectory + "/docs.jsonl", overwrite: true),
               try OutputFile(path: outputDirectory + "/formatted.txt", overwrite: true))
            : nil
        let keepTitles = options.formatting.keepTitles
        let documentFormat = options.extraction.format

        summary.extraction = try DumpExtractor(options: options.extraction).run(
            inputs: dumps, progress: progress,
            transform: { articles -> (CorpusFormatter.FormattedBatch, [UInt8]) in
                let formatted = formatter.format(articles.map {
                    CorpusFormatter.Document(title: keepTitles ? $0.title : nil, text: String(decoding: $0.text, as: UTF8.self))
                })
                var documents: [UInt8] = []
                if intermediates != nil {
                    for article in articles {
                        documentFormat.append(id: article.id, url: article.url, title: article.title, text: article.text, to: &documents)
                    }
                }
                return (formatted, documents)
            },
            consume: { formatted, documents in
                try formatted.lines.withUnsafeBufferPointer { lines in
                    var documentStart = 0
                    for (end, sentences) in zip(formatted.documentEnds, formatted.documentSentences) {
                        // Each document's lines, without the blank line after them.
                        try writer.add(UnsafeBufferPointer(rebasing: lines[documentStart..<end - 1]), sentences: sentences)
                        documentStart = end
                    }
                }
                summary.sentences += formatted.sentences
                if let (documentsFile, formattedFile) = intermediates {
                    try documentsFile.write(documents)
                    try formattedFile.write(formatted.lines)
                }
            })
        try writer.close(inputs: dumps)
        if let (documentsFile, formattedFile) = intermediates {
            try documentsFile.commit()
            try formattedFile.commit()
        }
        summary.sharding = writer.summary
        summary.sharding.passes = 1
        try sharder.commit([writer], summary: summary.sharding, directory: outputDirectory, inputs: dumps)
        summary.seconds = MonotonicClock.now() - start
        summary.sharding.seconds = summary.seconds
        return summary
    }

    /// Thrown to stop the sampling pass once it has enough text.
    private struct SampleComplete: Error {}

    /// Trains Punkt on the dumps' first articles, up to `punktSampleBytes` of text.
    private func trainPunkt(_ dumps: [String], progress: ProgressReporter) throws -> (PunktParameters, Int) {
        var trainer = PunktTrainer()
        var bytes = 0
        var documents = 0
        var sampling = options.extraction
        sampling.strict = false
        let limit = options.punktSampleBytes
        do {
            _ = try DumpExtractor(options: sampling).run(
                // The main pass reports the dumps' warnings; this one keeps quiet.
                inputs: dumps, progress: ProgressReporter(enabled: false, warningSink: { _ in }),
                transform: { articles in articles.map { String(decoding: $0.text, as: UTF8.self) } },
                consume: { texts in
                    for text in texts {
                        if bytes + text.utf8.count > limit && documents > 0 { throw SampleComplete() }
                        trainer.train(text)
                        bytes += text.utf8.count
                        documents += 1
                    }
                    progress.update("training Punkt: \(documents) articles, \(Formatting.bytes(bytes)) of text")
                })
        } catch is SampleComplete {}
        progress.finish("trained Punkt on \(documents) articles (\(Formatting.bytes(bytes)) of text)")
        return (trainer.finalize(), documents)
    }
}
