import ArgumentParser
import CUDA
import Corpus
import Distributed
import Support
import Tensor
import Training
#if canImport(Glibc)
import Glibc
#endif

/// `--threads`, shared by every command that works on several cores.
struct ThreadOptions: ParsableArguments {
    @Option(name: .customLong("threads"), help: "Worker threads (default: all cores; under mpirun, the cores shared among the processes on each machine).")
    var requested: Int?

    /// The threads of `--threads`, else all cores.
    var threads: Int { requested ?? WorkerThread.processorCount }

    /// The threads of `--threads`, else the cores of this machine shared among the processes
    /// of `communicator` that run on it.
    func threads(sharedWith communicator: any Communicator) -> Int { requested ?? communicator.threadsPerProcess }

    func validate() throws {
        if let requested, requested < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// `--quiet`, and the progress reporter it configures.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress line or summary (warnings still show).")
    var quiet = false

    /// A reporter that is silent with `--quiet`.
    func reporter() -> ProgressReporter { ProgressReporter(enabled: !quiet) }

    /// The reporter of a process of `communicator`: rank 0's is `reporter()`, the others'
    /// are silent (rank 0 speaks for the run).
    func reporter(for communicator: any Communicator) -> ProgressReporter {
        communicator.rank == 0 ? reporter() : ProgressReporter(enabled: false)
    }
}

/// The shard counts and seed of `corpus shard` and `corpus prepare`.
struct ShardingOptions: ParsableArguments {
    @Option(help: "Number of training shards.")
    var trainingShards: Int

    @Option(help: "Number of validation shards.")
    var validationShards: Int

    @Option(help: "Seed of the shard-id shuffle.")
    var seed: UInt64 = 12345

    func validate() throws {
        if trainingShards < 1 { throw ValidationError("--training-shards must be at least 1") }
        if validationShards < 0 { throw ValidationError("--validation-shards cannot be negative") }
    }

    /// The sharder's options; `force` replaces an earlier run's shards.
    func options(force: Bool) -> CorpusSharder.Options {
        var options = CorpusSharder.Options(trainingShards: trainingShards, validationShards: validationShards)
        options.seed = seed
        options.force = force
        return options
    }
}

/// How `corpus format` and `corpus prepare` write sentences.
struct FormattingOptions: ParsableArguments {
    @Flag(help: "Start each document with its title (JSON lines' \"title\" field).")
    var keepTitles = false

    @Flag(help: "Write sentences as BERT BasicTokenizer words joined by spaces (lowercased, accents stripped, punctuation split), as CharacterBERT does.")
    var preTokenize = false

    @Option(help: "Punkt parameters written by `corpus train-punkt` (default: train on the input).")
    var punkt: String?

    @Option(help: "Without --punkt: train Punkt on at most this many bytes of the input's text.")
    var punktSampleBytes: Int = 50_000_000

    /// The formatter's options.
    var options: CorpusFormatter.Options {
        var options = CorpusFormatter.Options()
        options.keepTitles = keepTitles
        options.preTokenize = preTokenize
        return options
    }

    /// The parameters of `--punkt`, or nil when Punkt is to be trained on the input.
    func loadPunkt() throws -> PunktParameters? {
        try punkt.map { try PunktParameters.load(from: $0) }
    }
}

/// How documents are laid out in the input of `corpus format` and `corpus train-punkt`.
struct DocumentInputOptions: ParsableArguments {
    @Option(help: "jsonl: JSON objects, one per line; lines: one document per line; blocks: documents separated by blank lines.")
    var inputFormat: DocumentReader.Format = .jsonl

    @Option(help: "The field holding the text in JSON lines.")
    var textField: String = "text"

    /// A reader of the documents in `inputs` (files or directories), or of part `part` of
    /// `parts` of them; with `titles`, it also reads JSON lines' "title" field.
    func reader(_ inputs: [String], titles: Bool = false, part: Int = 0, of parts: Int = 1) throws -> DocumentReader {
        try DocumentReader(paths: FileSystem.expandInputs(inputs), format: inputFormat, textField: textField,
                           titleField: titles ? "title" : nil, part: part, of: parts)
    }
}

/// The trained model that `fill-mask`, `evaluate` and `embed` use, and the threads it runs on.
struct ModelOptions: ParsableArguments {
    @Argument(help: "A checkpoint directory, a run directory (its newest checkpoint) or a Hugging Face model directory.")
    var model: String

    @OptionGroup var threadOptions: ThreadOptions

    /// The model, read onto a CPU backend with `--threads` threads.
    func load() throws -> CheckpointModel {
        try CheckpointModel(path: model, backend: CPUBackend(threads: threadOptions.threads))
    }
}

/// `--device`, shared by the commands that train: where the tensors live.
struct DeviceOptions: ParsableArguments {
    @Option(help: "cpu or cuda (default: cuda when a GPU, its driver, cuBLASLt and NVRTC are found, else cpu).")
    var device: ComputeDevice?

    /// The backend of `--device` on `threads` host threads. When CUDA was not asked for and
    /// cannot start although a driver is present, a note on standard error says why.
    func makeBackend(threads: Int, ordinal: Int = 0) throws -> Backend {
        let (backend, fallback) = try ComputeDevice.makeBackend(device, threads: threads, ordinal: ordinal)
        if let fallback, !fallback.hasPrefix("no CUDA driver") {
            var note = "note: running on the CPU: \(fallback)\n"
            note.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
        }
        return backend
    }

    /// The key=value fields that say where a run ran: device, and for a GPU its peak memory
    /// held by BERTKit's tensors in MB (10^6 bytes).
    static func fields(_ backend: Backend) -> [(String, String)] {
        guard let cuda = backend as? CUDABackend else { return [("device", "cpu")] }
        return [("device", "cuda"), ("peak_device_mb", Formatting.fixed(Double(cuda.memory.peak) / 1e6, 1))]
    }
}

extension ComputeDevice: ExpressibleByArgument {}
