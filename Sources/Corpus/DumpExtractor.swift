import Support

/// Extracts plain-text documents from MediaWiki XML dumps, on all cores, in dump order.
///
/// A reader thread decompresses and parses the dump (several threads decompress a
/// multistream dump); worker threads clean batches of pages; the caller's thread writes the
/// documents in the order of the dump, whatever the number of threads. Memory holds a few
/// batches, never the dump.
public struct DumpExtractor {
    /// What to extract and how.
    public struct Options: Sendable {
        /// Namespaces to keep (0: articles).
        public var namespaces: Set<Int> = [0]
        /// Keep list items as WikiExtractor's `--lists` does.
        public var keepLists = false
        /// Worker threads for cleaning (and decompressing multistream dumps).
        public var threads = WorkerThread.processorCount
        /// The output format.
        public var format = DocumentFormat.jsonl
        /// Treat damaged input (truncated, malformed, invalid UTF-8) as an error.
        public var strict = false
        /// The part of the inputs to extract, when several processes share them: its
        /// output and summary are that part's (the parts' outputs, joined in order, are the
        /// whole's, and their summaries add up to the whole's).
        public var part = DumpPart.whole
        public init() {}
    }

    /// Counts reported at the end of a run.
    public struct Summary: Sendable {
        public var pagesRead = 0
        public var articlesWritten = 0
        public var redirectsSkipped = 0
        public var otherNamespacesSkipped = 0
        public var emptyArticlesSkipped = 0
        public var xmlBytes = 0
        public var outputBytes = 0
        public var damagedInputs = 0
        public var invalidUTF8Replaced = 0
        public var seconds = 0.0
    }

    /// A batch of pages on its way through the pipeline.
    private struct Batch {
        var pages: [WikiPage] = []
        var urls: [String] = []
        var xmlBytes = 0
        var position: DumpDecoder.Position?
        var redirects = 0
        var otherNamespaces = 0
        /// Damage found at the end of a file: what and where.
        var damage: String?
        /// Invalid UTF-8 sequences replaced in the file, reported with its last batch.
        var replacedSequences = 0
        var replacementWarning: String?
    }

    private struct Cleaned<Output> {
        var output: Output
        var written: Int
        var empty: Int
        var batch: Batch
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// An article as the cleaner leaves it.
    public struct Article: Sendable {
        public var id: String
        public var url: String
        public var title: String
        /// The plain text: paragraphs and headings one per line, UTF-8.
        public var text: [UInt8]
    }

    /// Extracts every dump in `inputs` into `output` in the chosen format.
    /// - Throws: `BERTKitError` for missing or unreadable files, input that is no dump,
    ///   and (with `strict`) damaged input; write errors.
    public func run(inputs: [String], output: OutputFile, progress: ProgressReporter) throws -> Summary {
        let format = options.format
        var summary = try run(inputs: inputs, progress: progress, transform: { articles -> [UInt8] in
            var bytes: [UInt8] = []
            for article in articles {
                format.append(id: article.id, url: article.url, title: article.title, text: article.text, to: &bytes)
            }
            return bytes
        }, consume: { try output.write($0) })
        summary.outputBytes = output.bytesWritten
        return summary
    }

    /// Extracts every dump in `inputs`, handing each batch of cleaned, non-empty articles to
    /// `transform` on a worker thread and its result to `consume` on the calling thread, in
    /// dump order. An error thrown by `consume` stops the extraction and is rethrown.
    public func run<Output>(inputs: [String], progress: ProgressReporter,
                            transform: @escaping ([Article]) -> Output,
                            consume: (Output) throws -> Void) throws -> Summary {
        var summary = Summary()
        let start = MonotonicClock.now()
        let cleaner = WikitextCleaner(keepLists: options.keepLists)
        let options = self.options
        let spans = try options.part.spans(of: inputs)
        let inputCount = spans.count
        var fileIndex = 0

        try OrderedPipeline.run(
            workers: options.threads, maxInFlight: options.threads * 4,
            produce: { emit in
                for span in spans {
                    try Self.read(span, options: options, emit: emit)
                }
            },
            transform: { (batch: Batch) -> Cleaned<Output> in
                var articles: [Article] = []
                var empty = 0
                for (page, url) in zip(batch.pages, batch.urls) {
                    let text = cleaner.clean(page.text)
                    if text.isEmpty { empty += 1; continue }
                    articles.append(Article(id: page.id, url: url, title: page.title, text: text))
                }
                return Cleaned(output: transform(articles), written: articles.count, empty: empty, batch: batch)
            },
            consume: { cleaned in
                try consume(cleaned.output)
                let batch = cleaned.batch
                summary.pagesRead += batch.pages.count + batch.redirects + batch.otherNamespaces
                summary.articlesWritten += cleaned.written
                summary.emptyArticlesSkipped += cleaned.empty
                summary.redirectsSkipped += batch.redirects
                summary.otherNamespacesSkipped += batch.otherNamespaces
                summary.xmlBytes += batch.xmlBytes
                if let warning = batch.replacementWarning {
                    summary.invalidUTF8Replaced += batch.replacedSequences
                    progress.warn(warning)
                }
                if let damage = batch.damage {
                    summary.damagedInputs += 1
                    progress.warn(damage)
                }
                if batch.position == nil { fileIndex += 1 }
                let seconds = MonotonicClock.now() - start
                let rate = Double(summary.xmlBytes) / max(seconds, 1e-9) / 1e6
                var line = "\(summary.pagesRead) pages, \(summary.articlesWritten) articles, \(Formatting.fixed(rate, 1)) MB/s of XML"
                if let position = batch.position, let size = position.fileSize, size > 0 {
                    let fraction = Double(position.fileOffset) / Double(size)
                    if inputCount > 1 { line += ", file \(min(fileIndex + 1, inputCount))/\(inputCount)" }
                    line += ", \(Formatting.fixed(fraction * 100, 1))%"
                    if fraction > 0.01 { line += ", ETA \(Formatting.duration(seconds / fraction * (1 - fraction)))" }
                }
                progress.update(line)
            })
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Decodes and parses one dump, or the span of it that this part reads, emitting batches
    /// of wanted pages.
    private static func read(_ span: DumpSpan, options: Options, emit: (Batch) throws -> Void) throws {
        let path = span.path
        if !FileSystem.exists(path) { throw BERTKitError(file: path, "no such file") }
        let decoder = DumpDecoder(path: path, threads: options.threads, range: span.range)
        var batch = Batch()
        var batchTextBytes = 0
        let parser = MediaWikiParser { page, siteInfo in
            if page.isRedirect {
                batch.redirects += 1
            } else if !options.namespaces.contains(page.namespace) {
                batch.otherNamespaces += 1
            } else {
                batch.pages.append(page)
                batch.urls.append(siteInfo.url(forPageID: page.id))
                batchTextBytes += page.text.count
            }
        }
        // A span from a cut reads UTF-8 (only UTF-8 files have cuts) after the file's head.
        var sanitizer = UTF8Sanitizer(detectEncoding: span.startsFile)
        var parsedBefore = 0
        func flush(_ position: DumpDecoder.Position?) throws {
            batch.xmlBytes = parser.bytesParsed - parsedBefore
            parsedBefore = parser.bytesParsed
            batch.position = position
            try emit(batch)
            batch = Batch()
            batchTextBytes = 0
        }
        var failure: String?
        do {
            if !span.startsFile {
                var headSanitizer = UTF8Sanitizer()
                try parser.parse(headSanitizer.convert(try DumpCutFinder(path: path).head(), final: true))
                parsedBefore = parser.bytesParsed
            }
            let damage = try decoder.forEachChunk { chunk, position in
                try parser.parse(sanitizer.convert(chunk))
                if batchTextBytes >= 1 << 20 || batch.pages.count >= 256 { try flush(position) }
            }
            // Damage to the compressed data is the cause of what the parser sees next.
            if let damage {
                failure = damage
            } else if span.endsFile {
                try parser.parse(sanitizer.convert([], final: true), final: true)
            } else {
                try parser.parse(sanitizer.convert([], final: true))
                try parser.finishBetweenPages()
            }
        } catch let error as MediaWikiParser.Failure {
            switch error {
            case .truncated(let message):
                failure = message
            case .malformed(let message):
                if span.startsFile && parser.pagesSeen == 0 { throw BERTKitError(file: path, message) }
                failure = message
            }
        }
        if sanitizer.replacements > 0 {
            let message = "\(span.name): \(sanitizer.replacements) invalid UTF-8 sequence(s) replaced by U+FFFD, the first at byte \(sanitizer.firstReplacementOffset ?? 0) of the XML"
            if options.strict { throw BERTKitError(file: path, place: span.place, "invalid UTF-8 at byte \(sanitizer.firstReplacementOffset ?? 0) of the XML") }
            batch.replacedSequences = sanitizer.replacements
            batch.replacementWarning = message
        }
        if let failure {
            if options.strict { throw BERTKitError(file: path, place: span.place, failure) }
            batch.damage = "\(span.name): \(failure); kept the \(parser.pagesSeen) complete page(s) before it"
        }
        try flush(nil)
    }
}
