import ArgumentParser
import Support

/// The `bertkit` command: from a raw corpus to a pre-trained BERT.
@main
struct BERTKit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bertkit",
        abstract: "From a raw corpus to a pre-trained BERT or CharacterBERT.",
        discussion: """
            The pipeline, one subcommand per stage:
              corpus    get and prepare a corpus: download, extract, format, shard,
                        prepare, train-punkt
              tokenize  BERT WordPiece tokenization of text, line by line
              vocab     learn vocabularies: wordpiece (BERT), mlm (CharacterBERT)
              data      make and inspect pre-training data: create, inspect
              demo      run the whole pipeline on the bundled sample corpus
              pretrain  pre-train BERT or CharacterBERT on HDF5 data, with checkpoints
              export    write a checkpoint for other tools: hf (Hugging Face)
              import    make a checkpoint of another tool's model: hf (Hugging Face)
              fill-mask a model's most likely tokens at each [MASK] of sentences
              evaluate  a model's MLM and NSP loss and accuracy on HDF5 data
              embed     a vector per line of text from a model's last hidden states
              bench     measure BERTKit's own speed: train-step
              selftest  check the CUDA backend against the CPU (or compile its kernels)
            """,
        version: BERTKitVersion.string,
        subcommands: [CorpusCommand.self, TokenizeCommand.self, VocabCommand.self, DataCommand.self, PretrainCommand.self,
                      ExportCommand.self, ImportCommand.self, FillMaskCommand.self, EvaluateCommand.self,
                      EmbedCommand.self, DemoCommand.self, LogitsCommand.self,
                      BenchCommand.self, SelfTestCommand.self])
}

