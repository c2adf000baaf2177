import ArgumentParser

/// `bertkit export`: a checkpoint in another ecosystem's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a checkpoint for other tools: hf (a Hugging Face model directory).",
        subcommands: [ExportHFCommand.self])
}
