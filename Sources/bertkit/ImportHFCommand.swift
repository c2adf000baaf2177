import ArgumentParser
import Support
import Tensor
import Training

/// `bertkit import hf`: a Hugging Face BERT directory as a checkpoint to continue from.
struct ImportHFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hf",
        abstract: "Make a checkpoint of a Hugging Face BERT directory, to continue pre-training from it.",
        discussion: """
            DIR holds config.json (model_type bert), model.safetensors (F32, F16 or BF16)
            and vocab.txt, as transformers' save_pretrained writes them for
            BertForPreTraining or BertForMaskedLM. The output is a checkpoint directory
            (…/step_<n>) or a run directory, whose checkpoints/step_0 it becomes: weights in
            BERTKit's names and F32 (the tied decoder, equal to the word embeddings,
            dropped), zero Adam moments, a phase-1 state at step 0, model.json, vocab.txt
            and tokenizer_config.json (do_lower_case from the directory's).

            A model without a next-sentence head (BertForMaskedLM) becomes an MLM-only
            checkpoint; a run with next-sentence prediction started from it initialises
            the pooler and the head afresh.

            Continue pre-training from it (BioBERT's path), on data made with its
            vocab.txt, or with a new vocabulary whose shared tokens keep their rows:
              bertkit import hf bert-base-uncased/ --output runs/bert-base
              bertkit pretrain --init-checkpoint runs/bert-base \\
                  --model runs/bert-base/checkpoints/step_0/model.json \\
                  --data hdf5/biomed_128_20 --run-dir runs/biomed
            """)

    @Argument(help: "A Hugging Face model directory: config.json, model.safetensors, vocab.txt.")
    var directory: String

    @Option(name: .shortAndLong, help: "A checkpoint directory (…/step_<n>) or a run directory to write.")
    var output: String

    @Flag(help: "Replace the checkpoint if it exists.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let summary = try HuggingFaceImport.importDirectory(directory, to: output, overwrite: force,
                                                                backend: CPUBackend(threads: 1))
            let configuration = summary.configuration
            progress.finish("imported \(directory) (BERT, \(configuration.layers) layers, hidden \(configuration.hiddenSize), "
                            + "vocabulary \(configuration.vocabularySize)\(configuration.nextSentencePrediction ? "" : ", MLM-only")) "
                            + "-> \(summary.checkpoint.path)")
            for note in summary.notes { progress.finish("note: " + note) }
        }
    }
}
