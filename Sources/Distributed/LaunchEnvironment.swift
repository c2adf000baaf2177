#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// How this process was started: alone, or as one of the processes of an `mpirun` or `srun`
/// launch, with its rank, the world size and its local rank read from the launcher's
/// environment variables.
///
/// The launchers, in the order they are looked for:
/// - Open MPI's `mpirun`: OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE,
///   OMPI_COMM_WORLD_LOCAL_RANK;
/// - a PMI launcher (MPICH's and Intel MPI's Hydra): PMI_RANK, PMI_SIZE, and MPI_LOCALRANKID
///   when set;
/// - SLURM's `srun`: SLURM_PROCID, SLURM_STEP_NUM_TASKS, SLURM_LOCALID. The step's task count
///   rather than SLURM_NTASKS, which a batch script sees too: `bertkit` run plainly inside
///   `sbatch` is one process, not rank 0 of a launch that never happened.
///
/// A missing local rank is 0.
public struct LaunchEnvironment: Sendable, Equatable {
    /// What started the process.
    public enum Launcher: String, Sendable {
        /// Started plainly: one process, MPI left alone.
        case none = "none"
        /// Open MPI's `mpirun` (or `mpiexec`).
        case openMPI = "mpirun (Open MPI)"
        /// MPICH's or Intel MPI's Hydra launcher.
        case pmi = "a PMI launcher"
        /// SLURM's `srun`.
        case slurm = "srun (SLURM)"
    }

    /// What started the process.
    public var launcher: Launcher
    /// The process's rank.
    public var rank: Int
    /// The processes launched.
    public var worldSize: Int
    /// The process's rank on its machine.
    public var localRank: Int

    /// The variables each launcher sets: rank, world size, local rank.
    private static let variables: [(launcher: Launcher, rank: String, size: String, localRank: String)] = [
        (.openMPI, "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK"),
        (.pmi, "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID"),
        (.slurm, "SLURM_PROCID", "SLURM_STEP_NUM_TASKS", "SLURM_LOCALID"),
    ]

    /// The launch that `environment` (variable names to values) describes.
    /// - Throws: `BERTKitError` naming the variable whose value is not a number in range.
    public init(environment: [String: String]) throws {
        guard let names = Self.variables.first(where: { environment[$0.rank] != nil && environment[$0.size] != nil }) else {
            self.init(launcher: .none, rank: 0, worldSize: 1, localRank: 0)
            return
        }
        func number(_ name: String, in range: PartialRangeFrom<Int>) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw BERTKitError("the launcher's \(name) is '\(text)', not a number from \(range.lowerBound)")
            }
            return value
        }
        let size = try number(names.size, in: 1...)!
        let rank = try number(names.rank, in: 0...)!
        guard rank < size else {
            throw BERTKitError("the launcher's \(names.rank) is \(rank), outside the \(size) processes of \(names.size)")
        }
        self.init(launcher: names.launcher, rank: rank, worldSize: size, localRank: try number(names.localRank, in: 0...) ?? 0)
    }

    /// A launch as given.
    public init(launcher: Launcher, rank: Int, worldSize: Int, localRank: Int) {
        self.launcher = launcher
        self.rank = rank
        self.worldSize = worldSize
        self.localRank = localRank
    }

    /// The launch this process's environment describes.
    /// - Throws: `BERTKitError` as `init(environment:)`.
    public static func current() throws -> LaunchEnvironment {
        var environment: [String: String] = [:]
        for names in variables {
            for name in [names.rank, names.size, names.localRank] {
                if let value = getenv(name) { environment[name] = String(cString: value) }
            }
        }
        return try LaunchEnvironment(environment: environment)
    }

    /// The communicator of this launch: MPI's when a launcher started the process (MPI is
    /// initialised only then), else a single process's.
    /// - Throws: `BERTKitError` when MPI cannot be initialised, or sees another rank or world
    ///   size than the launcher set (an MPI library that cannot talk to this launcher).
    public func communicator() throws -> any Communicator {
        guard launcher != .none else { return SingleProcessCommunicator() }
        let communicator = try MPICommunicator(localRank: localRank)
        guard communicator.rank == rank, communicator.worldSize == worldSize else {
            communicator.finalize()
            throw BERTKitError("\(launcher.rawValue) started rank \(rank) of \(worldSize) processes, but MPI sees rank "
                               + "\(communicator.rank) of \(communicator.worldSize): this MPI library cannot join this "
                               + "launcher's processes (with SLURM, try `srun --mpi=pmix`, or `mpirun` inside the allocation)")
        }
        return communicator
    }
}
