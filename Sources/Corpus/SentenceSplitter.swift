import Support

/// Splits documents into sentences with Punkt on several threads and writes one sentence per
/// line with a blank line after each document, the input format of BERT's
/// `create_pretraining_data.py`.
///
/// Line breaks inside a sentence (any that Python's `splitlines` knows) become spaces, one
/// character for one, so that each line still lines up with its sentence in the text.
/// Documents are written in input order whatever the number of threads.
public struct SentenceSplitter {
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
    public let threads: Int

    /// A splitter with `segmenter` on `threads` threads.
    public init(segmenter: PunktSegmenter, threads: Int = WorkerThread.processorCount) {
        self.segmenter = segmenter
        self.threads = threads
    }

    /// Splits every document of `reader` into `output`: on the calling thread alone when
    /// `threads` is 1, else reading on one thread and splitting on `threads` others.
    public func run(reader: DocumentReader, output: OutputFile, progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        var summary = Summary()
        let segmenter = segmenter
        let produce = { (emit: ([String]) throws -> Void) throws in
            var batch: [String] = []
            var batchBytes = 0
            while let document = try reader.next() {
                batch.append(document)
                batchBytes += document.utf8.count
                if batchBytes >= 1 << 20 {
                    try emit(batch)
                    batch.removeAll()
                    batchBytes = 0
                }
            }
            if !batch.isEmpty { try emit(batch) }
        }
        func consume(_ batch: Batch) throws {
            try output.write(batch.lines)
            summary.documents += batch.documents
            summary.sentences += batch.sentences
            summary.textBytes += batch.textBytes
            summary.segmentingSeconds += batch.segmentingSeconds
            progress.update("split \(Formatting.bytes(summary.textBytes)) of text into \(summary.sentences) sentences")
        }
        if threads == 1 {
            try produce { try consume(Batch($0, segmenter)) }
        } else {
            try OrderedPipeline.run(workers: threads, maxInFlight: threads * 4, produce: produce,
                                    transform: { Batch($0, segmenter) }, consume: consume)
        }
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// The sentence lines of a batch of documents.
    private struct Batch {
        var lines: [UInt8] = []
        var documents = 0
        var sentences = 0
        var textBytes = 0
        var segmentingSeconds = 0.0

        /// Splits the documents.
        init(_ documents: [String], _ segmenter: PunktSegmenter) {
            for document in documents {
                sentences += SentenceSplitter.appendLines(of: document, segmenter, to: &lines, seconds: &segmentingSeconds)
                textBytes += document.utf8.count
            }
            self.documents = documents.count
        }
    }

    /// Appends a document's sentences, one per line, and a blank line (nothing for a document
    /// without sentences); returns the number of sentences and adds the time the segmenter
    /// took to `seconds`.
    static func appendLines(of document: String, _ segmenter: PunktSegmenter, to output: inout [UInt8],
                            seconds: inout Double) -> Int {
        var document = document
        return document.withUTF8 { text in
            let start = MonotonicClock.now()
            let spans = segmenter.spans(utf8: text)
            seconds += MonotonicClock.now() - start
            guard !spans.isEmpty else { return 0 }
            for span in spans {
                appendFoldingLineBreaks(UnsafeBufferPointer(rebasing: text[span]), to: &output)
                output.append(0x0A)
            }
            output.append(0x0A)
            return spans.count
        }
    }

    /// Appends a sentence with every line break Python's `splitlines` knows made a space:
    /// "\n", "\r", VT, FF, FS, GS, RS, NEL, LS and PS.
    private static func appendFoldingLineBreaks(_ sentence: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
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
