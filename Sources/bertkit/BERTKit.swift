import ArgumentParser

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
              demo     run the whole pipeline on the bundled sample corpus
            """,
        version: BERTKitVersion.string,
        subcommands: [CorpusCommand.self, TokenizeCommand.self, VocabCommand.self, DemoCommand.self])
}

/// The version printed by `--version` and written into outputs that record their maker.
enum BERTKitVersion {
    static let string = "0.1.0"
}
