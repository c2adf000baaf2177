import ArgumentParser
import Corpus
import Distributed
import Support

/// `bertkit corpus extract`: MediaWiki dumps to plain-text documents.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract plain-text articles from MediaWiki XML dumps (.xml or .xml.bz2).",
        discussion: """
            Keeps namespace-0 pages (articles), skips redirects, and cleans wikitext the way \
            WikiExtractor does. Output is in dump order whatever the thread count.
            Under `mpirun -np N` (or `srun`) the N processes split the dumps' bytes into N \
            ranges, each cut before a page (plain XML) or at a bzip2 stream that begins with \
            one (multistream dumps; a single-stream .bz2 goes whole to one process), and each \
            decompresses and extracts its own; the output is the same file.

            Examples:
              bertkit corpus extract enwiki-latest-pages-articles.xml.bz2 --output docs.jsonl
              mpirun -np 4 bertkit corpus extract enwiki-latest-pages-articles-multistream.xml.bz2 \\
                  --output docs.jsonl
            """)

    @Argument(help: "MediaWiki dumps: .xml or .xml.bz2, multistream included; UTF-8 or UTF-16 with a byte-order mark.")
    var dumps: [String]

    @Option(name: .shortAndLong, help: "The output file.")
    var output: String

    @Option(help: "jsonl: one {\"id\",\"url\",\"title\",\"text\"} object per line; doc: WikiExtractor's <doc> blocks.")
    var format: DocumentFormatArgument = .jsonl

    @Option(help: "Comma-separated namespace numbers to keep.")
    var namespaces: String = "0"

    @Flag(help: "Keep list items (WikiExtractor drops them).")
    var keepLists = false

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @Flag(help: "Fail on damaged input (truncated, malformed, invalid UTF-8) instead of warning.")
    var strict = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if parsedNamespaces == nil { throw ValidationError("--namespaces takes numbers separated by commas, e.g. 0,14") }
    }

    private var parsedNamespaces: Set<Int>? {
        let numbers = namespaces.split(separator: ",").map { Int(String($0.filter { $0 != " " })) }
        return numbers.isEmpty || numbers.contains(nil) ? nil : Set(numbers.compactMap { $0 })
    }

    func run() throws {
        let communicator = try CommandErrors.communicator()
        var options = DumpExtractor.Options()
        options.namespaces = parsedNamespaces ?? [0]
        options.keepLists = keepLists
        options.threads = threadOptions.threads(sharedWith: communicator)
        options.format = format.value
        options.strict = strict
        options.part = DumpPart(index: communicator.rank, count: communicator.worldSize)
        let progress = progressOptions.reporter(for: communicator)
        try CommandErrors.report(communicator) {
            let file = try SharedOutputFile(path: output, overwrite: force, communicator: communicator)
            let summary = try DumpExtractor(options: options).run(inputs: dumps, output: file.part, progress: progress)
            try file.commit()
            progress.finish(try summary.summed(over: communicator).report(output: output))
        }
        communicator.finalize()
    }
}

/// The `--format` values of `extract`.
enum DocumentFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case jsonl, doc
    var value: DocumentFormat { DocumentFormat(rawValue: rawValue)! }
}

extension DumpExtractor.Summary {
    /// The counts summed over every process's part (the seconds are this process's).
    /// Called by every process.
    /// - Throws: `BERTKitError` when the transport fails.
    func summed(over communicator: any Communicator) throws -> Self {
        guard communicator.isDistributed else { return self }
        let counts: [WritableKeyPath<Self, Int>] = [
            \.pagesRead, \.articlesWritten, \.redirectsSkipped, \.otherNamespacesSkipped, \.emptyArticlesSkipped,
            \.xmlBytes, \.outputBytes, \.damagedInputs, \.invalidUTF8Replaced]
        var summed = self
        for (count, sum) in zip(counts, try communicator.allReduceSum(counts.map { self[keyPath: $0] })) {
            summed[keyPath: count] = sum
        }
        return summed
    }

    /// The closing summary line; `output` names the file written, if any.
    func report(output: String?) -> String {
        var line = "extracted \(articlesWritten) articles from \(pagesRead) pages"
        line += " (skipped \(redirectsSkipped) redirects, \(otherNamespacesSkipped) in other namespaces, \(emptyArticlesSkipped) empty)"
        line += "; \(Formatting.bytes(xmlBytes)) of XML in \(Formatting.duration(seconds))"
        line += " (\(Formatting.fixed(Double(xmlBytes) / max(seconds, 1e-9) / 1e6, 1)) MB/s)"
        if let output { line += " -> \(output) (\(Formatting.bytes(outputBytes)))" }
        if damagedInputs > 0 { line += "; \(damagedInputs) damaged input(s), see the warnings above" }
        if invalidUTF8Replaced > 0 { line += "; \(invalidUTF8Replaced) invalid UTF-8 sequence(s) replaced" }
        return line
    }
}
