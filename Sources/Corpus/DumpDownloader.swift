import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Downloads a Wikipedia "pages-articles" dump from Wikimedia and verifies its published checksum.
///
/// The dump directory `{base}/{lang}wiki/{date}/` holds `{lang}wiki-{date}-sha1sums.txt` (and
/// `-md5sums.txt`, the only list of old dumps) naming every file of the dump. The downloader
/// reads that list first and finds the wanted file in it: the whole dump
/// `{lang}wiki-{date}-pages-articles.xml.bz2`, or with `sample` the first articles part
/// `{lang}wiki-{date}-pages-articles1.xml-p{first}p{last}.bz2` (the file the CharacterBERT
/// pre-training repository fetches with `--debug`), whose page range varies from dump to dump.
/// The `latest` directory's list names the files by their real date, so `latest` resolves
/// to a dated file, fetched from its dated directory: a file that never changes under a resumed
/// download, saved under a name that says which dump it is.
///
/// The file is written to `{name}.part`, resumed with an HTTP Range request when a partial
/// file is there (and restarted when the server ignores the range), hashed while it arrives,
/// and renamed to its final name only once its digest matches the list.
public struct DumpDownloader {
    /// Which dump to fetch and from where.
    public struct Options: Sendable {
        /// The Wikipedia language code: "en", "de", "simple", "zh-yue", …
        public var language: String
        /// The dump date, `YYYYMMDD`, or "latest".
        public var date = "latest"
        /// Fetch the first articles part instead of the whole dump.
        public var sample = false
        /// The dump server or a mirror laid out like it.
        public var baseURL = "https://dumps.wikimedia.org"
        /// Download again even if a verified file is already there.
        public var force = false
        /// The User-Agent header; Wikimedia asks clients to name themselves.
        public var userAgent = "bertkit"

        public init(language: String) {
            self.language = language
        }
    }

    /// The file to download, as found in the checksum list.
    public struct Target: Sendable, Equatable {
        /// The file name, which is also the name it is saved under.
        public var name: String
        /// The dump date the name carries (the real date when "latest" was asked for).
        public var date: String
        /// Where to download it from.
        public var url: String
        /// The expected digest, lowercase hexadecimal.
        public var digest: String
        /// The hash function of `digest`.
        public var algorithm: Digest.Algorithm
    }

    /// What a run did.
    public struct Summary: Sendable {
        /// The path of the verified file.
        public var path: String
        /// The file as the checksum list named it.
        public var target: Target
        /// The size of the file in bytes.
        public var bytes = 0
        /// Bytes received in this run.
        public var bytesDownloaded = 0
        /// Bytes of an earlier partial download that were kept.
        public var bytesResumed = 0
        /// The file was already there, verified, and kept.
        public var alreadyPresent = false
        /// Seconds the run took, checksum list and verification included.
        public var seconds = 0.0
    }

    public let options: Options
    /// The wiki's database name, the first component of its dump paths: "enwiki", "zh_yuewiki".
    public let wiki: String
    private let baseURL: String

    /// Checks the language code and date and derives the wiki's name from them.
    /// - Throws: `BERTKitError` for a language code or date that cannot name a dump.
    public init(options: Options) throws {
        let language = options.language
        guard !language.isEmpty, language.utf8.allSatisfy({ isLowercaseLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else {
            throw BERTKitError("'\(language)' is not a Wikipedia language code (lowercase letters, digits and '-', e.g. en, de, simple, zh-yue)")
        }
        guard options.date == "latest" || DumpDownloader.isDumpDate(options.date) else {
            throw BERTKitError("'\(options.date)' is not a dump date: give YYYYMMDD (e.g. 20210101) or latest")
        }
        self.options = options
        // Wikimedia's database names write a language code's hyphens as underscores.
        wiki = String(language.map { $0 == "-" ? "_" : $0 }) + "wiki"
        baseURL = options.baseURL.hasSuffix("/") ? String(options.baseURL.dropLast()) : options.baseURL
    }

    // MARK: Names and addresses

    /// The URL of the dump's checksum list made with `algorithm`.
    public func checksumListURL(_ algorithm: Digest.Algorithm) -> String {
        "\(baseURL)/\(wiki)/\(options.date)/\(wiki)-\(options.date)-\(algorithm.rawValue)sums.txt"
    }

    /// The URL of a file of the dump dated `date`.
    public func fileURL(name: String, date: String) -> String {
        "\(baseURL)/\(wiki)/\(date)/\(name)"
    }

    /// The name pattern of the wanted file, for messages.
    public var wantedName: String {
        let date = options.date == "latest" ? "YYYYMMDD" : options.date
        return options.sample
            ? "\(wiki)-\(date)-pages-articles1.xml-p<first>p<last>.bz2"
            : "\(wiki)-\(date)-pages-articles.xml.bz2"
    }

    /// The date in `name` if it is the wanted file, nil if it is another one.
    public func wantedFileDate(_ name: String) -> String? {
        let prefix = wiki + "-"
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-") else { return nil }
        let date = String(rest[..<dash])
        let dateMatches = options.date == "latest"
            ? date == "latest" || DumpDownloader.isDumpDate(date) : date == options.date
        guard dateMatches else { return nil }
        let kind = rest[rest.index(after: dash)...]
        guard options.sample else { return kind == "pages-articles.xml.bz2" ? date : nil }
        let partPrefix = "pages-articles1.xml-p", partSuffix = ".bz2"
        guard kind.hasPrefix(partPrefix), kind.hasSuffix(partSuffix) else { return nil }
        let pages = kind.dropFirst(partPrefix.count).dropLast(partSuffix.count)
            .split(separator: "p", omittingEmptySubsequences: false)
        let isPageRange = pages.count == 2 && pages.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isDigit) }
        return isPageRange ? date : nil
    }

    /// Finds the wanted file in a checksum list fetched from `listURL`.
    /// - Throws: `BERTKitError` when the list does not name it.
    public func target(in list: ChecksumList, listURL: String) throws -> Target {
        for entry in list.entries {
            if let date = wantedFileDate(entry.name) {
                return Target(name: entry.name, date: date, url: fileURL(name: entry.name, date: date),
                              digest: entry.digest, algorithm: list.algorithm)
            }
        }
        let hint = options.sample
            ? "small wikis are not split into parts: drop --sample to download the whole dump"
            : options.date == "latest"
                ? "the newest dump may still be in progress: try again later, or give an earlier --date"
                : "the dump may still be in progress: try an earlier --date, or --date latest"
        throw BERTKitError(file: listURL, "lists no \(wantedName): \(hint)")
    }

    // MARK: Downloading

    /// Downloads and verifies the wanted file into `directory`, or verifies the copy already there.
    /// - Throws: `BERTKitError` for a dump that does not exist, network and HTTP failures
    ///   (a partial download is kept for the next run to resume), a checksum mismatch (the
    ///   download is removed) and file-system errors.
    public func run(into directory: String, progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        let client = HTTPClient(userAgent: options.userAgent)
        let target = try fetchTarget(client)
        try FileSystem.createDirectory(directory)
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + target.name
        var summary = Summary(path: path, target: target)

        if !options.force, FileSystem.exists(path) {
            let digest = Digest(target.algorithm)
            try hash(path, into: digest, progress: progress)
            let actual = digest.finish()
            guard actual == target.digest else {
                throw BERTKitError(file: path, "already exists but is not the listed file: its \(target.algorithm.displayName) is \(actual), the list says \(target.digest); use --force to download it again")
            }
            summary.alreadyPresent = true
        } else {
            (summary.bytesResumed, summary.bytesDownloaded) = try download(target, to: path, client: client, progress: progress)
        }
        summary.bytes = FileSystem.size(path) ?? 0
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Fetches the checksum list (SHA-1, else MD5) and finds the wanted file in it.
    private func fetchTarget(_ client: HTTPClient) throws -> Target {
        for algorithm in Digest.Algorithm.wikimediaChecksums {
            let url = checksumListURL(algorithm)
            let (status, body) = try client.get(url)
            if status == 404 { continue }
            try check(status, url: url)
            let list = ChecksumList(text: String(decoding: body, as: UTF8.self), algorithm: algorithm)
            return try target(in: list, listURL: url)
        }
        throw notFound(checksumListURL(.sha1))
    }

    /// Fails for any status but 2xx, explaining a 404.
    private func check(_ status: Int, url: String) throws {
        if status == 404 { throw notFound(url) }
        guard (200..<300).contains(status) else {
            throw BERTKitError(file: url, "the server answered HTTP \(status)\(status >= 500 ? ": try again later" : "")")
        }
    }

    /// The error for a 404: the dump, its date or its language does not exist.
    private func notFound(_ url: String) -> BERTKitError {
        let what = options.date == "latest"
            ? "there is no '\(options.language)' Wikipedia dump: check the language code (e.g. en, de, simple)"
            : "no \(wiki) dump is dated \(options.date) (Wikimedia keeps only the last few months), or '\(options.language)' is not a Wikipedia language code: try --date latest, or check the language code (e.g. en, de, simple)"
        return BERTKitError(file: url, "not found (HTTP 404): \(what)")
    }

    /// Downloads `target` to `path` through `path.part`, resuming a partial file.
    /// - Returns: the bytes kept from an earlier run and the bytes received in this one.
    private func download(_ target: Target, to path: String, client: HTTPClient,
                          progress: ProgressReporter) throws -> (resumed: Int, received: Int) {
        let partPath = path + ".part"
        let digest = Digest(target.algorithm)
        var resumed = 0
        if let size = FileSystem.size(partPath), size > 0 {
            try hash(partPath, into: digest, progress: progress)
            resumed = size
            progress.finish("resuming \(target.name) after \(Formatting.bytes(size)) already downloaded")
        }
        guard let file = fopen(partPath, "ab") else {
            throw BERTKitError(file: partPath, "cannot create: \(FileSystem.lastErrorMessage())")
        }
        var isOpen = true
        defer { if isOpen { fclose(file) } }

        let start = MonotonicClock.now()
        var received = 0
        var total: Int?
        var complete = false
        do {
            try client.stream(target.url, from: resumed, head: { head in
                switch head.status {
                case 206:
                    total = head.contentLength.map { resumed + $0 }
                case 200:
                    if resumed > 0 {
                        progress.warn("the server ignored the request to resume \(target.name): starting over")
                        guard ftruncate(fileno(file), 0) == 0 else {
                            throw BERTKitError(file: partPath, "cannot truncate: \(FileSystem.lastErrorMessage())")
                        }
                        digest.reset()
                        resumed = 0
                    }
                    total = head.contentLength
                case 416 where resumed > 0:
                    // Nothing lies past the partial file's end: it is complete (or too long,
                    // which the checksum tells).
                    complete = true
                default:
                    try check(head.status, url: target.url)
                }
            }, body: { bytes in
                guard !complete else { return }
                guard fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else {
                    throw BERTKitError(file: partPath, "write failed: \(FileSystem.lastErrorMessage())")
                }
                digest.update(bytes)
                received += bytes.count
                progress.update(progressLine(target.name, done: resumed + received, total: total,
                                             rate: Double(received) / max(MonotonicClock.now() - start, 1e-9)))
            })
        } catch var error as BERTKitError where received > 0 {
            error.message += "; the \(Formatting.bytes(resumed + received)) downloaded so far are kept in \(partPath): run the same command again to resume"
            throw error
        }
        isOpen = false
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        let message = FileSystem.lastErrorMessage()
        fclose(file)
        guard flushed else { throw BERTKitError(file: partPath, "write failed: \(message)") }

        let actual = digest.finish()
        guard actual == target.digest else {
            unlink(partPath)
            throw BERTKitError(file: path, "\(target.algorithm.displayName) mismatch: expected \(target.digest), got \(actual); the download was removed, run the command again to retry")
        }
        guard rename(partPath, path) == 0 else {
            throw BERTKitError(file: path, "cannot rename \(partPath) into place: \(FileSystem.lastErrorMessage())")
        }
        return (resumed, received)
    }

    /// Feeds the bytes of the file at `path` to `digest`, showing progress.
    private func hash(_ path: String, into digest: Digest, progress: ProgressReporter) throws {
        let total = FileSystem.size(path)
        let start = MonotonicClock.now()
        try digest.update(file: path) { done in
            progress.update(progressLine("checking \(path)", done: done, total: total,
                                         rate: Double(done) / max(MonotonicClock.now() - start, 1e-9)))
        }
    }

    /// "NAME: 1.2 GB of 19.3 GB (6.2%), 12.3 MB/s, ETA 24m31s"; `rate` in bytes a second.
    private func progressLine(_ what: String, done: Int, total: Int?, rate: Double) -> String {
        var line = "\(what): \(Formatting.bytes(done))"
        if let total, total > 0 {
            line += " of \(Formatting.bytes(total)) (\(Formatting.fixed(Double(done) / Double(total) * 100, 1))%)"
        }
        line += ", \(Formatting.fixed(rate / 1e6, 1)) MB/s"
        if let total, total > done, rate > 0 {
            line += ", ETA \(Formatting.duration(Double(total - done) / rate))"
        }
        return line
    }

    private static func isDumpDate<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count == 8 && text.utf8.allSatisfy(isDigit)
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

private func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
}
