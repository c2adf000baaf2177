import ArgumentParser
import Support
import Tensor
import Training

/// `bertkit export hf`: a checkpoint as a Hugging Face model directory.
struct ExportHFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hf",
        abstract: "Write a checkpoint as a Hugging Face model directory (transformers' BertForPreTraining).",
        discussion: """
            CHECKPOINT is a checkpoint directory (runs/x/checkpoints/step_1000) or a run
            directory, meaning its newest checkpoint. The output directory holds
            config.json, model.safetensors (F32, Hugging Face's parameter names, the tied
            decoder not stored), vocab.txt, tokenizer_config.json and
            special_tokens_map.json: transformers' AutoModelForPreTraining (or
            AutoModelForMaskedLM for a model trained MLM-only) and AutoTokenizer load it.
            A model trained with next-sentence prediction loaded as AutoModelForMaskedLM
            leaves the pooler and next-sentence head unused, as Google's bert-base-uncased
            does.

            The vocabulary and lowercasing come from the checkpoint, which has them from
            the training data; --vocab gives the vocabulary of a checkpoint that has none.

            CharacterBERT checkpoints are written in the same style for
            helboukkouri/character-bert's code (transformers has no CharacterBERT): see the
            README.md written beside the weights.

            The directory is written under a temporary name and renamed when complete.

            Example:
              bertkit export hf runs/tiny --output models/tiny-hf
            """)

    @Argument(help: "A checkpoint directory, or a run directory (its newest checkpoint).")
    var checkpoint: String

    @Option(name: .shortAndLong, help: "The directory to write.")
    var output: String

    @Option(help: "The vocabulary (vocab.txt, or CharacterBERT's MLM vocabulary) when the checkpoint has none.")
    var vocab: String?

    @Flag(help: "Replace the output directory if it exists.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let summary = try HuggingFaceExport.export(checkpoint: checkpoint, to: output, vocabularyFile: vocab,
                                                       overwrite: force, backend: CPUBackend(threads: 1))
            for warning in summary.warnings { progress.warn(warning) }
            let kind = summary.configuration.isCharacterBERT ? "CharacterBERT" : "BERT"
            progress.finish("exported \(kind) \(summary.checkpoint.path) (\(summary.tensors) tensors, "
                            + "\(summary.parameters) parameters) -> \(output): \(summary.files.joined(separator: ", "))")
            for note in summary.notes { progress.finish("note: " + note) }
        }
    }
}
