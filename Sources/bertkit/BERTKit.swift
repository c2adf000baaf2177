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
              corpus   get and prepare a corpus: download, extract, format, shard, prepare,
                       train-punkt
              tokenize BERT WordPiece tokenization of text, line by line
              vocab    learn vocabularies: wordpiece (BERT), mlm (CharacterBERT)
              data     make and inspect pre-training data: create, inspect
              demo     run the whole pipeline on the bundled sample corpus
              pretrain pre-train BERT or CharacterBERT on HDF5 data, with checkpoints
              export   write a checkpoint for other tools: hf (Hugging Face)
              import   make a checkpoint of another tool's model: hf (Hugging Face)
              bench    measure BERTKit's own speed: train-step
            """,
        version: BERTKitVersion.string,
        subcommands: [CorpusCommand.self, TokenizeCommand.self, VocabCommand.self, DataCommand.self, PretrainCommand.self,
                      ExportCommand.self, ImportCommand.self, DemoCommand.self, LogitsCommand.self,
                      BenchCommand.self])
}

