import ArgumentParser

/// `bertkit import`: another ecosystem's model as a BERTKit checkpoint.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a checkpoint of another tool's model: hf (a Hugging Face BERT directory).",
        subcommands: [ImportHFCommand.self])
}
