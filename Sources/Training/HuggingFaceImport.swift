import Interop
import Model
import Support
import Tensor
import Tokenizers

/// `bertkit import hf`: a Hugging Face BERT directory (config.json, model.safetensors,
/// vocab.txt) as a BERTKit checkpoint that `pretrain --init-checkpoint` continues from, on a
/// new domain's data as BioBERT was.
///
/// The weights are checked against config.json name by name and shape by shape and stored
/// F32 (F16, BF16 and F64 files are converted). What transformers files may hold besides
/// BERTKit's parameters:
/// - `cls.predictions.decoder.weight` and `cls.predictions.decoder.bias`, the tied decoder:
///   they must equal the word embeddings and `cls.predictions.bias`, and are dropped;
/// - `bert.embeddings.position_ids` and `token_type_ids`, buffers: dropped;
/// - a BertForMaskedLM has neither pooler nor next-sentence head: the checkpoint is then
///   MLM-only (a run with next-sentence prediction that starts from it starts that head from
///   fresh values); a pooler without the head is dropped;
/// - a bare BertModel (names without `bert.`) has no MLM head either: the head is initialised
///   as a fresh model's (seed 0);
/// - TensorFlow-era names `LayerNorm.gamma`/`beta` are read as `weight`/`bias`;
/// - other tensors (a fine-tuned task head) are left out.
///
/// The checkpoint holds model.safetensors, optimizer.safetensors with zero Adam moments (a
/// fresh optimizer's, so that every way of starting from a checkpoint works), a phase-1
/// state.json at step 0, and the `ModelDescription` files: model.json (a `--model` file),
/// vocab.txt and tokenizer_config.json (`do_lower_case` from the directory's).
public enum HuggingFaceImport {
    /// What an import wrote.
    public struct Summary: Sendable {
        /// The checkpoint written.
        public var checkpoint: Checkpoint
        /// The model imported.
        public var configuration: BertConfiguration
        /// What was converted, dropped or initialised, in words.
        public var notes: [String]
    }

    /// Imports the Hugging Face directory `directory` into `output`: a checkpoint directory
    /// (`…/step_<n>`), or a run directory whose `checkpoints/step_0` it becomes; an existing
    /// checkpoint there is replaced only with `overwrite`. The model is built on `backend`.
    /// - Throws: `BERTKitError` naming the file for a directory that is not a BERT model in
    ///   safetensors, weights that do not fit config.json, a decoder that is not tied, a
    ///   vocabulary larger than the model's, an existing checkpoint without `overwrite`, or a
    ///   failed write.
    public static func importDirectory(_ directory: String, to output: String, overwrite: Bool,
                                       backend: Backend) throws -> Summary {
        let (model, description, notes) = try load(directory, backend: backend)
        let (store, step) = try target(output, backend: backend)
        let checkpointPath = store.directory + "/step_\(step)"
        if FileSystem.exists(checkpointPath) && !overwrite {
            throw BERTKitError(file: checkpointPath, "already exists (use --force to replace it)")
        }
        let state = TrainingState(phase: 1, step: 0, globalStep: step, optimizerSteps: 0, skippedSteps: 0,
                                  consecutiveSkippedSteps: 0, dropoutGenerators: [model.dropoutGenerator.state],
                                  dataPositions: [DataPosition()], configuration: "# imported by bertkit import hf from \(directory)\n")
        let checkpoint = try store.write(
            step: step, model: model.parameters.namedValues,
            optimizer: OptimizerState(bufferNames: AdamHyperparameters.bufferNames).tensors(for: model.parameters),
            state: state.json(schedule: JSONObjectWriter()), files: description.files)
        return Summary(checkpoint: checkpoint, configuration: model.configuration, notes: notes)
    }

    /// Reads the Hugging Face directory `directory` into a model on `backend`, checked and
    /// converted as the type's summary says, writing nothing: what `importDirectory` writes,
    /// and what `fill-mask`, `evaluate` and `embed` use directly. Returns the model, its
    /// description (vocab.txt's tokens, `do_lower_case`, true when there is no
    /// tokenizer_config.json) and what was converted, dropped or initialised, in words.
    /// - Throws: `BERTKitError` naming the file for a directory that is not a BERT model in
    ///   safetensors, weights that do not fit config.json, a decoder that is not tied, or a
    ///   vocabulary larger than the model's.
    public static func load(_ directory: String, backend: Backend) throws
        -> (model: BertForPreTraining, description: ModelDescription, notes: [String]) {
        let configurationPath = directory + "/config.json"
        guard FileSystem.isRegularFile(configurationPath) else {
            throw BERTKitError(file: directory, FileSystem.isDirectory(directory)
                               ? "has no config.json: not a Hugging Face model directory" : "no such directory")
        }
        try checkModelType(configurationPath)
        var configuration = try ModelConfigurationFile.load(path: configurationPath)
        let weightsPath = directory + "/model.safetensors"
        guard FileSystem.isRegularFile(weightsPath) else {
            let hint = FileSystem.exists(directory + "/model.safetensors.index.json")
                ? "its weights are sharded (model.safetensors.index.json); save them as one file"
                : FileSystem.exists(directory + "/pytorch_model.bin")
                ? "it holds pytorch_model.bin only; convert it with transformers' save_pretrained(safe_serialization=True)"
                : "import hf reads the weights from model.safetensors"
            throw BERTKitError(file: weightsPath, "is missing: \(hint)")
        }
        let file = try SafeTensorsFile(path: weightsPath)
        var (names, notes) = try parameterNames(file)
        configuration.nextSentencePrediction = names["cls.seq_relationship.weight"] != nil
        if configuration.nextSentencePrediction && names["bert.pooler.dense.weight"] == nil {
            throw BERTKitError(file: weightsPath, "has a next-sentence head (cls.seq_relationship) but no pooler (bert.pooler)")
        }
        if !configuration.nextSentencePrediction {
            let pooler = names.keys.filter { $0.hasPrefix("bert.pooler.") }
            for name in pooler { names[name] = nil }
            notes.append("no next-sentence head (a BertForMaskedLM): the checkpoint is MLM-only"
                         + (pooler.isEmpty ? "" : ", its pooler dropped")
                         + "; a run with next-sentence prediction starts the pooler and head from fresh values")
        }

        let vocabularyPath = directory + "/vocab.txt"
        guard FileSystem.isRegularFile(vocabularyPath) else {
            throw BERTKitError(file: vocabularyPath, "is missing: import hf takes the WordPiece vocabulary from vocab.txt")
        }
        let vocabulary = try Vocabulary(contentsOfFile: vocabularyPath).tokens
        guard vocabulary.count <= configuration.vocabularySize else {
            throw BERTKitError(file: vocabularyPath, "has \(vocabulary.count) tokens, more than vocab_size "
                               + "\(configuration.vocabularySize) in config.json")
        }
        let lowercase = try ModelDescription.lowercase(tokenizerConfiguration: directory + "/tokenizer_config.json")
        if lowercase == nil { notes.append("no tokenizer_config.json: do_lower_case is true, Hugging Face's default") }

        let model = try BertForPreTraining(configuration: configuration, backend: backend, seed: 0)
        var used: Set<String> = []
        var fresh: [String] = []
        for (name, tensor) in model.parameters.namedValues {
            guard let stored = names[name] else {
                guard name.hasPrefix("cls.predictions.") else {
                    throw BERTKitError(file: weightsPath, place: "tensor '\(name)'", "is missing")
                }
                fresh.append(name)
                continue
            }
            used.insert(name)
            let shape = try file.shape(stored)
            guard shape == tensor.shape.dimensions else {
                throw BERTKitError(file: weightsPath, place: "tensor '\(stored)'",
                                   "has shape \(shape), but config.json makes it \(tensor.shape.dimensions)")
            }
            let values = try file.floats(stored)
            guard values.allSatisfy(\.isFinite) else {
                throw BERTKitError(file: weightsPath, place: "tensor '\(stored)'", "holds NaN or infinite values")
            }
            backend.write(values, to: tensor)
        }
        if !fresh.isEmpty { notes.append("no MLM head (a BertModel): it starts from fresh values") }
        let left = names.keys.filter { !used.contains($0) }.sorted()
        if !left.isEmpty {
            notes.append("left out \(left.count) tensor(s) BertForPreTraining does not have: "
                         + left.prefix(5).joined(separator: ", ") + (left.count > 5 ? ", …" : ""))
        }
        let dtypes = Set(try file.names.map { try file.dtype($0) }).filter { $0 != .f32 && $0 != .i64 && $0 != .i32 }
        if !dtypes.isEmpty {
            notes.append("converted \(dtypes.map(\.rawValue).sorted().joined(separator: ", ")) weights to F32")
        }

        return (model, ModelDescription(configuration: configuration, vocabulary: vocabulary, lowercase: lowercase ?? true),
                notes)
    }

    /// Checks that config.json describes BERT: `model_type` bert, or none (older files).
    private static func checkModelType(_ path: String) throws {
        var modelType: String?
        let bytes = try FileChunkReader.contents(of: path)
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(buffer)
                try scanner.object { scanner, key in
                    if String(decoding: key, as: UTF8.self) == "model_type", scanner.peek() == UInt8(ascii: "\"") {
                        modelType = String(decoding: try scanner.string(), as: UTF8.self)
                    } else {
                        try scanner.skipValue()
                    }
                }
            }
        } catch let malformed as JSONScanner.Malformed {
            throw BERTKitError(file: path, "not a JSON object: \(malformed.message)")
        }
        switch modelType {
        case nil, "bert": return
        case "character_bert":
            throw BERTKitError(file: path, "is a CharacterBERT (model_type character_bert): import hf reads BERT "
                               + "directories; continue from the BERTKit checkpoint it was exported from")
        case let other?:
            throw BERTKitError(file: path, "is a '\(other)' model (model_type): import hf reads BERT (model_type bert)")
        }
    }

    /// The file's parameters under BERTKit's names (each mapped to its name in the file),
    /// without the buffers and the tied decoder, which are checked; and what was dropped.
    private static func parameterNames(_ file: SafeTensorsFile) throws -> (names: [String: String], notes: [String]) {
        let bare = !file.names.contains { $0.hasPrefix("bert.") }
        var names: [String: String] = [:]
        for stored in file.names {
            var name = stored
            if bare && ["embeddings.", "encoder.", "pooler."].contains(where: name.hasPrefix) { name = "bert." + name }
            if name.contains("LayerNorm.") {
                if name.hasSuffix(".gamma") { name = name.dropLast(6) + ".weight" }
                if name.hasSuffix(".beta") { name = name.dropLast(5) + ".bias" }
            }
            guard names.updateValue(stored, forKey: name) == nil else {
                throw BERTKitError(file: file.path, place: "tensor '\(stored)'", "is stored twice under different names")
            }
        }
        var notes: [String] = []
        let buffers = ["bert.embeddings.position_ids", "bert.embeddings.token_type_ids"].filter { names[$0] != nil }
        for buffer in buffers { names[buffer] = nil }
        if !buffers.isEmpty { notes.append("dropped the buffers \(buffers.joined(separator: ", "))") }
        for (decoder, tied) in [("cls.predictions.decoder.weight", "bert.embeddings.word_embeddings.weight"),
                                ("cls.predictions.decoder.bias", "cls.predictions.bias")] {
            guard let stored = names.removeValue(forKey: decoder) else { continue }
            guard let target = names[tied] else {
                names[tied] = stored
                continue
            }
            let (values, expected) = (try file.floats(stored), try file.floats(target))
            guard values == expected else {
                throw BERTKitError(file: file.path, place: "tensor '\(stored)'",
                                   "differs from '\(target)': BERTKit ties the MLM decoder to it, this model does not")
            }
            notes.append("dropped \(stored), equal to \(target) (tied)")
        }
        return (names, notes)
    }

    /// The store (of tensors on `backend`) and step of the checkpoint `output` names:
    /// `…/step_<n>` itself, or a run directory's `checkpoints/step_0`. Nothing older is removed.
    private static func target(_ output: String, backend: Backend) throws -> (CheckpointStore, step: Int) {
        var output = output
        while output.count > 1 && output.hasSuffix("/") { output.removeLast() }
        if Checkpoint.step(named: FileSystem.split(output).name) != nil {
            let checkpoint = try Checkpoint(path: output)
            let parent = FileSystem.split(checkpoint.path).directory
            return (CheckpointStore(directory: parent, backend: backend, keep: Int.max), checkpoint.step)
        }
        return (CheckpointStore(runDirectory: output, backend: backend, keep: Int.max), 0)
    }
}
