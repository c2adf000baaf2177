import ArgumentParser

/// `bertkit corpus`: the corpus stage, from a dump to documents and sentences.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Get, extract and split corpora: Wikipedia dumps to plain-text documents and sentences.",
        subcommands: [DownloadCommand.self, ExtractCommand.self, TrainPunktCommand.self, SplitSentencesCommand.self])
}
