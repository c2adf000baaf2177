import ArgumentParser

/// `bertkit bench`: measurements of BERTKit itself, for bench/ to set beside the references.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure BERTKit's own speed: train-step.",
        subcommands: [BenchTrainStepCommand.self])
}
