import ArgumentParser
import Corpus
import Support

/// `bertkit corpus download`: a Wikipedia dump from Wikimedia, checksum-verified.
struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a Wikipedia pages-articles dump and verify its published checksum.",
        discussion: """
            Reads the dump's checksum list first, downloads the file to NAME.part (resuming a \
            partial download left by an earlier run), and renames it to NAME once its SHA-1 (or, \
            for old dumps, MD5) matches the list. A file already downloaded is verified and kept. \
            Prints the path of the file.

            Examples:
              bertkit corpus download --language en --output data/
              bertkit corpus download --language en --date 20210101 --sample \\
                  --output data/
            """)

    @Option(help: "The Wikipedia language code: en, de, simple, zh-yue, …")
    var language: String

    @Option(help: "The dump date, YYYYMMDD, or latest. Wikimedia keeps only recent dumps.")
    var date: String = "latest"

    @Flag(help: "Download only the first articles part (pages-articles1.xml-p…p….bz2), as CharacterBERT's --debug does.")
    var sample = false

    @Option(name: .shortAndLong, help: "The directory to download into (created if missing).")
    var output: String

    @Option(help: "The dump server, or a mirror laid out like it.")
    var baseURL: String = "https://dumps.wikimedia.org"

    @Flag(help: "Download again even if the file is already there.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        var options = DumpDownloader.Options(language: language)
        options.date = date
        options.sample = sample
        options.baseURL = baseURL
        options.force = force
        options.userAgent = "bertkit/\(BERTKitVersion.string) (BERT pre-training data tool; libcurl)"
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let summary = try DumpDownloader(options: options).run(into: output, progress: progress)
            progress.finish(summary.report)
            print(summary.path)
        }
    }
}

extension DumpDownloader.Summary {
    /// The closing summary line.
    var report: String {
        let digest = "\(target.algorithm.displayName) \(target.digest)"
        if alreadyPresent {
            return "\(target.name) is already downloaded (\(Formatting.bytes(bytes)), \(digest) verified); use --force to download it again"
        }
        var line = "downloaded \(target.name): \(Formatting.bytes(bytesDownloaded)) in \(Formatting.duration(seconds))"
        line += " (\(Formatting.fixed(Double(bytesDownloaded) / max(seconds, 1e-9) / 1e6, 1)) MB/s)"
        if bytesResumed > 0 { line += " after \(Formatting.bytes(bytesResumed)) resumed" }
        return line + "; \(digest) verified"
    }
}
