import ArgumentParser

/// `bertkit corpus`: the corpus stage, from a dump to documents.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Get and extract corpora: Wikipedia dumps to plain-text documents.",
        subcommands: [DownloadCommand.self, ExtractCommand.self, TrainPunktCommand.self, SplitSentencesCommand.self])
}
