import Tokenizers
import Support

/// Formats documents as a pre-training corpus: one sentence per line (split with Punkt), a
/// blank line after each document — the input of BERT's `create_pretraining_data.py` —
/// on several threads, in input order whatever the number of threads.
///
/// Line breaks inside a sentence (any that Python's `splitlines` knows) become spaces, one
/// character for one, so that each line still lines up with its sentence in the text.
/// Optionally each sentence is written as BERT BasicTokenizer words joined by spaces (as
/// CharacterBERT's formatting does), and each document starts with its title. Documents
/// left without sentences are dropped.
public struct CorpusFormatter {
    /// What to write besides the sentences.
    public struct Options: Sendable {
        /// Write sentences as lowercased BasicTokenizer words joined by spaces.
        public var preTokenize = false
        /// Start each document with its title as a line of its own (JSON lines' "title").
        public var keepTitles = false
        public init() {}
    }

    /// Counts reported at the end of a run.
    public struct Summary: Sendable {
        public var documents = 0
        public var sentences = 0
        /// UTF-8 bytes of document text split.
        public var textBytes = 0
        public var seconds = 0.0
        /// Seconds spent in the segmenter, summed over threads.
        public var segmentingSeconds = 0.0
    }

    public let segmenter: PunktSegmenter
    public let options: Options
    public let threads: Int
    private let basicTokenizer: BasicTokenizer?

    /// A formatter splitting with `segmenter` on `threads` threads.
    public init(segmenter: PunktSegmenter, options: Options = Options(), threads: Int = WorkerThread.processorCount) {
        self.segmenter = segmenter
        self.options = options
        self.threads = threads
        self.basicTokenizer = options.preTokenize ? BasicTokenizer() : nil
    }

    /// Splits every document of `reader` into `output`: on the calling thread alone when
    /// `threads` is 1, else reading on one thread and splitting on `threads` others.
    public func run(reader: DocumentReader, output: OutputFile, progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        var summary = Summary()
        let options = options
        let produce = { (emit: ([Document]) throws -> Void) throws in
            var batch: [Document] = []
            var batchBytes = 0
            while let text = try reader.next() {
                batch.append(Document(title: options.keepTitles ? reader.title : nil, text: text))
                batchBytes += text.utf8.count
                if batchBytes >= 1 << 20 {
                    try emit(batch)
                    batch.removeAll()
                    batchBytes = 0
                }
            }
            if !batch.isEmpty { try emit(batch) }
        }
        func consume(_ batch: FormattedBatch) throws {
            try output.write(batch.lines)
            summary.documents += batch.documents
            summary.sentences += batch.sentences
            summary.textBytes += batch.textBytes
            summary.segmentingSeconds += batch.segmentingSeconds
            progress.update("split \(Formatting.bytes(summary.textBytes)) of text into \(summary.sentences) sentences")
        }
        let format = { (documents: [Document]) in self.format(documents) }
        if threads == 1 {
            try produce { try consume(format($0)) }
        } else {
            try OrderedPipeline.run(workers: threads, maxInFlight: threads * 4, produce: produce,
                                    transform: format, consume: consume)
        }
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// A document and, when titles are kept, its title.
    public struct Document: Sendable {
        public var title: String?
        public var text: String

        public init(title: String?, text: String) {
            self.title = title
            self.text = text
        }
    }

    /// Formats a batch of documents (thread-safe: workers call it in parallel).
    public func format(_ documents: [Document]) -> FormattedBatch {
        FormattedBatch(documents, segmenter, basicTokenizer)
    }

    /// The formatted lines of a batch of documents.
    public struct FormattedBatch: Sendable {
        /// Each document's lines followed by a blank line.
        public var lines: [UInt8] = []
        /// Where each formatted document ends in `lines` (after its blank line).
        public var documentEnds: [Int] = []
        /// The sentences of each formatted document.
        public var documentSentences: [Int] = []
        public var documents: Int { documentEnds.count }
        public var sentences = 0
        public var textBytes = 0
        public var segmentingSeconds = 0.0

        /// Formats the documents.
        init(_ documents: [Document], _ segmenter: PunktSegmenter, _ basicTokenizer: BasicTokenizer?) {
            var line = Line(basicTokenizer: basicTokenizer)
            for var document in documents {
                textBytes += document.text.utf8.count
                let documentStart = lines.count
                if var title = document.title {
                    title.withUTF8 { _ = line.append($0, to: &lines) }
                }
                let titleEnd = lines.count
                let sentencesBefore = sentences
                document.text.withUTF8 { text in
                    let start = MonotonicClock.now()
                    let spans = segmenter.spans(utf8: text)
                    segmentingSeconds += MonotonicClock.now() - start
                    for span in spans where line.append(UnsafeBufferPointer(rebasing: text[span]), to: &lines) {
                        sentences += 1
                    }
                }
                if sentences == sentencesBefore {
                    lines.removeSubrange(documentStart..<titleEnd)  // a title alone is no document
                } else {
                    lines.append(0x0A)
                    documentEnds.append(lines.count)
                    documentSentences.append(sentences - sentencesBefore)
                }
            }
        }
    }

    /// Writes one sentence as a line, pre-tokenized or not.
    private struct Line {
        let basicTokenizer: BasicTokenizer?
        var workspace = BasicTokenizer.Workspace()
        var folded: [UInt8] = []

        init(basicTokenizer: BasicTokenizer?) {
            self.basicTokenizer = basicTokenizer
        }

        /// Appends `sentence` and a line feed; returns false (appending nothing) when no word
        /// is left of it.
        mutating func append(_ sentence: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
            let start = output.count
            if let basicTokenizer {
                // The normalizer turns every line break into a space already.
                guard basicTokenizer.appendWords(of: sentence, to: &output, workspace: &workspace) > 0 else { return false }
            } else {
                CorpusFormatter.appendFoldingLineBreaks(sentence, to: &output)
                guard output[start...].contains(where: { $0 != 0x20 }) else {
                    output.removeSubrange(start...)
                    return false
                }
            }
            output.append(0x0A)
            return true
        }
    }

    /// Appends a sentence with every line break Python's `splitlines` knows made a space:
    /// "\n", "\r", VT, FF, FS, GS, RS, NEL, LS and PS.
    fileprivate static func appendFoldingLineBreaks(_ sentence: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        var index = 0
        while index < sentence.count {
            if index + 8 <= sentence.count && !mayHoldLineBreak(sentence, at: index) {
                index += 8
                continue
            }
            let byte = sentence[index]
            // Only these bytes can start a line break; the rest are copied in runs.
            guard byte < 0x20 || byte == 0xC2 || byte == 0xE2 else {
                index += 1
                continue
            }
            let length: Int
            switch byte {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E: length = 1
            case 0xC2 where sentence[index + 1] == 0x85: length = 2
            case 0xE2 where sentence[index + 1] == 0x80 && (sentence[index + 2] == 0xA8 || sentence[index + 2] == 0xA9):
                length = 3
            default:
                index += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: sentence[runStart..<index]))
            output.append(0x20)
            index += length
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: sentence[runStart...]))
    }

    /// Whether the eight bytes at `index` hold a byte below 0x20, 0xC2 or 0xE2: the bytes
    /// that may start a line break.
    @inline(__always)
    private static func mayHoldLineBreak(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & high != 0 }
        // Below 0x20: exact for ASCII bytes, and bytes from 0x80 up are never reported.
        let control = (word &- ones &* 0x20) & ~word & high != 0
        return control || hasZeroByte(word ^ (ones &* 0xC2)) || hasZeroByte(word ^ (ones &* 0xE2))
    }
}
