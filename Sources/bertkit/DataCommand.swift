import ArgumentParser
import Corpus
import Distributed
import PretrainingData
import Support
import Tokenizers
#if canImport(Glibc)
import Glibc
#endif

/// `bertkit data`: pre-training data, from formatted shards to HDF5 and back.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Make and inspect pre-training data (MLM + NSP instances in HDF5).",
        subcommands: [DataCreateCommand.self, DataInspectCommand.self])
}

/// `bertkit data create`: Google's instance algorithm, NVIDIA's and CharacterBERT's HDF5.
struct DataCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make MLM + NSP pre-training instances from formatted shards, one HDF5 file per shard.",
        discussion: """
            Google's create_pretraining_data.py algorithm: documents shuffled, --dupe-factor
            passes, sentence pairs with a random next sentence half of the time (NVIDIA's
            same-document fix, unused sentences given back), truncation from the longer
            side, [CLS] A [SEP] B [SEP], 15% masking (80% [MASK], 10% kept, 10% random),
            sorted positions, shuffled instances. BERT: WordPiece ids of --vocab, NVIDIA's
            layout (next_sentence_labels 1 = random next). CharacterBERT (--character-bert
            --mlm-vocab F): BasicTokenizer words as 50 character ids, MLM-vocabulary labels,
            only MLM words masked, labels 1 = B follows A. Every dataset is gzip-compressed;
            root attributes record the layout, label meaning, lengths, seed and vocabulary.
            A shard's generator comes from --seed and the shard's name: the output is the
            same for any --threads. Each shard is one task; memory holds a few shards.
            Under `mpirun -np N` (or `srun`) the N processes share the shards,
            rank r making the r-th, (r+N)-th, … of the inputs in order; the files
            are the same.

            Examples:
              bertkit data create shards/ --vocab vocab.txt --output hdf5/128_20
              bertkit data create shards/ --vocab vocab.txt --phase 2 --output hdf5/512_80
              bertkit data create shards/ --character-bert --mlm-vocab mlm_vocab.txt --output hdf5/cb
              mpirun -np 4 bertkit data create shards/ --vocab vocab.txt \\
                  --threads 1 --output hdf5/128_20
            """)

    @Argument(help: "Formatted shard files, or directories of them (their .txt files).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The output directory (one NAME.hdf5 per NAME.txt).")
    var output: String

    @Option(help: "The WordPiece vocabulary (vocab.txt); not used with --character-bert.")
    var vocab: String?

    @Flag(help: "Keep case and accents (an uncased vocabulary is the default).")
    var cased = false

    @Option(help: "Tokens per instance (default: 128, or 512 with --phase 2).")
    var maxSeqLength: Int?

    @Option(help: "Masked positions per instance at most (default: 20, or 80 with --phase 2).")
    var maxPredictionsPerSeq: Int?

    @Option(help: "The share of tokens to mask.")
    var maskedLMProb = 0.15

    @Option(help: "The probability of a shorter target length for a document.")
    var shortSeqProb = 0.1

    @Option(help: "Passes over the documents.")
    var dupeFactor = 5

    @Option(help: "The random seed.")
    var seed: UInt64 = 12345

    @Flag(help: "Mask whole words: a word's '##' pieces together.")
    var wholeWordMask = false

    @Flag(help: "No next-sentence prediction: single segments of whole sentences (MLM only).")
    var noNSP = false

    @Option(help: "BERT's phase presets: 1 is 128 tokens and 20 predictions, 2 is 512 and 80.")
    var phase: Int?

    @Flag(help: "CharacterBERT data: character ids as input, MLM-vocabulary ids as labels.")
    var characterBert = false

    @Option(help: "CharacterBERT's MLM vocabulary (`vocab mlm`'s \"{count} {token}\" lines).")
    var mlmVocab: String?

    @Option(help: "gzip level of every dataset, 1-9; 0 stores them uncompressed.")
    var compressionLevel = 4

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Overwrite output files that exist.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if let phase, InstanceOptions.phase(phase) == nil { throw ValidationError("--phase must be 1 or 2") }
        if characterBert {
            if mlmVocab == nil { throw ValidationError("--character-bert needs --mlm-vocab") }
            if vocab != nil { throw ValidationError("--vocab is for BERT; CharacterBERT reads --mlm-vocab only") }
        } else {
            if vocab == nil { throw ValidationError("--vocab is required (or --character-bert with --mlm-vocab)") }
            if mlmVocab != nil { throw ValidationError("--mlm-vocab is for --character-bert") }
        }
        if !(0...9).contains(compressionLevel) { throw ValidationError("--compression-level must be 0 to 9") }
    }

    /// The instance options the flags give.
    var options: InstanceOptions {
        var options = InstanceOptions.phase(phase ?? 1)!
        if let maxSeqLength { options.maxSeqLength = maxSeqLength }
        if let maxPredictionsPerSeq { options.maxPredictionsPerSeq = maxPredictionsPerSeq }
        options.maskedLMProb = maskedLMProb
        options.shortSeqProb = shortSeqProb
        options.dupeFactor = dupeFactor
        options.seed = seed
        options.wholeWordMask = wholeWordMask
        options.nextSentencePrediction = !noNSP
        return options
    }

    func run() throws {
        let communicator = try CommandErrors.communicator()
        let progress = progressOptions.reporter(for: communicator)
        try CommandErrors.report(communicator) {
            let vocabularyFile = characterBert ? mlmVocab! : vocab!
            let vocabulary = characterBert
                ? TokenVocabulary(words: BasicTokenizer(lowercase: !cased),
                                  mlmVocabulary: try Vocabulary(contentsOfFile: vocabularyFile, format: .countAndToken))
                : try TokenVocabulary(wordPiece: BertWordPieceTokenizer(vocabularyFile: vocabularyFile, lowercase: !cased))
            let source = PretrainingDataCreator.VocabularySource(
                file: vocabularyFile, sha256: try Digest.hexDigest(ofFile: vocabularyFile, algorithm: .sha256))
            var creator = PretrainingDataCreator(options: options, vocabulary: vocabulary, vocabularySource: source,
                                                 lowercase: !cased)
            creator.compressionLevel = compressionLevel
            creator.threads = threadOptions.threads(sharedWith: communicator)
            creator.overwrite = force
            creator.communicator = communicator
            let summary = try creator.run(inputs: inputs, outputDirectory: output, progress: progress)
            let instances = summary.total(\.instances)
            let files = summary.shards.filter { $0.output != nil }.count
            guard files > 0 else { throw BERTKitError(file: inputs.joined(separator: ", "), "no documents in any shard: nothing written") }
            func share(_ count: Int, _ total: Int) -> String { Formatting.fixed(Double(count) / Double(max(1, total)), 3) }
            var line = "\(instances) instances from \(summary.total(\.documents)) documents in \(files) file(s)"
            line += "; mean length \(Formatting.fixed(Double(summary.total(\.tokens)) / Double(max(1, instances)), 1))"
            line += ", \(Formatting.fixed(Double(summary.total(\.predictions)) / Double(max(1, instances)), 2)) predictions"
            if options.nextSentencePrediction { line += ", random next \(share(summary.total(\.randomNext), instances))" }
            let unknown = summary.total(\.unknownTokens)
            if unknown > 0 { line += "; \(characterBert ? "words outside the MLM vocabulary" : "[UNK]") \(share(unknown, summary.total(\.tokens)))" }
            let bytes = summary.total(\.textBytes)
            line += "; \(Formatting.bytes(bytes)) of text -> \(Formatting.bytes(summary.total(\.fileBytes))) in \(Formatting.duration(summary.seconds))"
            line += " (\(Formatting.fixed(Double(bytes) / max(summary.seconds, 1e-9) / 1e6, 2)) MB/s) -> \(output)"
            progress.finish(line)
        }
        communicator.finalize()
    }
}

/// `bertkit data inspect`: what a pre-training file holds, and whether it is well-formed.
struct DataInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a pre-training HDF5 file: layout, counts, lengths, masking, NSP balance, instances.",
        discussion: """
            Reads NVIDIA's, CharacterBERT's and the dense layout. Decoding to text needs the
            vocabulary: --vocab, else the file's vocab_file attribute when that file exists.
            --check exits non-zero when any invariant is broken: input mask, [CLS] and [SEP]
            placement, segment ids, padding, masked positions ascending inside the sequence
            and off [CLS]/[SEP], unused slots 0, ids inside their vocabularies, character
            framing, NSP labels.

            Example:
              bertkit data inspect hdf5/128_20/training.0.hdf5 --check
            """)

    @Argument(help: "The HDF5 file.")
    var file: String

    @Option(help: "The vocabulary: vocab.txt, or CharacterBERT's MLM vocabulary.")
    var vocab: String?

    @Option(help: "Instances to show decoded.")
    var show = 3

    @Flag(help: "Exit non-zero when an invariant is broken.")
    var check = false

    @Flag(help: "Print the numbers as one JSON object instead of the report.")
    var json = false

    func run() throws {
        try CommandErrors.report {
            let data = try PretrainingFile(path: file)
            var vocabularyFile = vocab
            if vocabularyFile == nil, case .string(let recorded)? = data.attribute("vocab_file"), FileSystem.exists(recorded) {
                vocabularyFile = recorded
            }
            let format: Vocabulary.FileFormat = data.layout == .characterBERT ? .countAndToken : .tokenPerLine
            let vocabulary = try vocabularyFile.map { try Vocabulary(contentsOfFile: $0, format: format) }
            let report = try PretrainingFileReport(file: data, vocabulary: vocabulary, examples: json ? 0 : show)
            print(json ? report.json : report.text)
            if fflush(stdout) != 0 { throw BERTKitError("cannot write the output: \(FileSystem.lastErrorMessage())") }
            if check && report.violationCount > 0 {
                throw BERTKitError(file: file, "\(report.violationCount) invariant(s) broken, the first: \(report.violations[0])")
            }
        }
    }
}
