import Distributed
import Support
import Testing

extension DistributedTests {
    /// Rank, world size and local rank from each launcher's variables, and the errors of
    /// values that are not.
    @Suite struct LaunchEnvironmentTests {
        @Test func noLauncherIsOneProcess() throws {
            let launch = try LaunchEnvironment(environment: ["HOME": "/root", "SLURM_PROCID": "0", "SLURM_NTASKS": "4"])
            #expect(launch == LaunchEnvironment(launcher: .none, rank: 0, worldSize: 1, localRank: 0))
            #expect(try launch.communicator() is SingleProcessCommunicator)
        }

        @Test func eachLauncherVariablesAreRead() throws {
            let openMPI = ["OMPI_COMM_WORLD_RANK": "3", "OMPI_COMM_WORLD_SIZE": "8", "OMPI_COMM_WORLD_LOCAL_RANK": "1"]
            #expect(try LaunchEnvironment(environment: openMPI)
                    == LaunchEnvironment(launcher: .openMPI, rank: 3, worldSize: 8, localRank: 1))
            let pmi = ["PMI_RANK": "2", "PMI_SIZE": "4", "MPI_LOCALRANKID": "0"]
            #expect(try LaunchEnvironment(environment: pmi) == LaunchEnvironment(launcher: .pmi, rank: 2, worldSize: 4, localRank: 0))
            let slurm = ["SLURM_PROCID": "5", "SLURM_STEP_NUM_TASKS": "16", "SLURM_LOCALID": "1", "SLURM_NTASKS": "16"]
            #expect(try LaunchEnvironment(environment: slurm)
                    == LaunchEnvironment(launcher: .slurm, rank: 5, worldSize: 16, localRank: 1))
        }

        @Test func mpirunWinsOverTheSlurmStepItRunsIn() throws {
            let both = ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2",
                        "SLURM_PROCID": "0", "SLURM_STEP_NUM_TASKS": "1", "SLURM_LOCALID": "0"]
            #expect(try LaunchEnvironment(environment: both)
                    == LaunchEnvironment(launcher: .openMPI, rank: 1, worldSize: 2, localRank: 0))
        }

        @Test func badValuesNameTheVariable() {
            for (environment, variable) in [(["PMI_RANK": "one", "PMI_SIZE": "2"], "PMI_RANK"),
                                            (["PMI_RANK": "0", "PMI_SIZE": "0"], "PMI_SIZE"),
                                            (["PMI_RANK": "2", "PMI_SIZE": "2"], "PMI_RANK"),
                                            (["PMI_RANK": "0", "PMI_SIZE": "2", "MPI_LOCALRANKID": "-1"], "MPI_LOCALRANKID")] {
                do {
                    let launch = try LaunchEnvironment(environment: environment)
                    Issue.record("\(environment) read as \(launch)")
                } catch {
                    #expect("\(error)".contains(variable), "\(error)")
                }
            }
        }
    }
}
