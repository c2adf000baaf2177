import ArgumentParser

/// `bertkit corpus`: the corpus stage, from a dump to documents and sentences.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Get and prepare corpora: Wikipedia dumps to documents, sentences and shards.",
        subcommands: [DownloadCommand.self, ExtractCommand.self, FormatCommand.self, TrainPunktCommand.self,
                      ShardCommand.self, PrepareCommand.self])
}
