import ArgumentParser
import Distributed
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Turns library errors into the CLI's `error: …` line and a non-zero exit.
enum CommandErrors {
    /// Runs `body`; a `BERTKitError` is printed as `error: FILE: PLACE: MESSAGE` and exits 1.
    ///
    /// Among the processes of an `mpirun` or `srun` launch (`communicator`), the line reads
    /// `error: rank R: …` and the error ends every process (`Communicator.abort`): the others
    /// may be waiting for this one in a collective operation.
    static func report(_ communicator: (any Communicator)? = nil, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as BERTKitError {
            let distributed = communicator.flatMap { $0.isDistributed ? $0 : nil }
            var message = "error: \(distributed.map { "rank \($0.rank): " } ?? "")\(error.description)\n"
            message.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
            distributed?.abort(errorCode: 1)
            throw ExitCode.failure
        }
    }

    /// The communicator of this process's launch (`LaunchEnvironment`): MPI's under `mpirun`
    /// or `srun`, a single process's otherwise; a launch that cannot start is reported as
    /// `report` does.
    static func communicator() throws -> any Communicator {
        var communicator: any Communicator = SingleProcessCommunicator()
        try report { communicator = try LaunchEnvironment.current().communicator() }
        return communicator
    }
}
