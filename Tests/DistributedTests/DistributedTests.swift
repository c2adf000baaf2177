import Testing

/// The parent of every suite here. MPI itself is tested under `mpirun` by the command-line
/// tests (tests/cli/test_mpi_cli.py): a test process is not launched by it.
@Suite struct DistributedTests {}
