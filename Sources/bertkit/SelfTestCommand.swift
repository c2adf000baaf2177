import ArgumentParser
import CUDA
import Support
import Tensor
import Training

/// `bertkit selftest`: checks that a compute device works, against the CPU backend.
struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check the CUDA backend: compile every kernel, then hold every operation and a training step against the CPU.",
        discussion: """
            Compiles every CUDA kernel file with NVRTC (libnvrtc from the CUDA toolkit,
            $BERTKIT_NVRTC or .venv's nvidia-cuda-nvrtc wheel) and prints one line per file
            and architecture: `compiled ARCH FILE: KERNEL …`. Cubins are cached in
            $XDG_CACHE_HOME/bertkit/kernels (else ~/.cache/bertkit/kernels).

            With --compile-only that is all (no driver or GPU needed), for each --arch
            (default sm_80, sm_90, sm_90a). Otherwise, on the first GPU: every backend
            operation on random inputs against the CPU backend, then one training step of
            tiny BERT and of tiny CharacterBERT (loss and gradients), one `ok`/`FAIL` line
            per check with its error and tolerance. Exits non-zero when a kernel is missing or
            a check fails, or when there is no CUDA driver. With BERTKIT_CUDA_SYNC set, every
            kernel launch waits for the kernel, so that a failing one is named.

            Example:
              bertkit selftest --device cuda --compile-only
            """)

    @Option(help: "The device to check: cuda.")
    var device: ComputeDevice = .cuda

    @Flag(help: "Only compile the kernels (needs NVRTC, no driver or GPU).")
    var compileOnly = false

    @Option(name: .customLong("arch"), help: "With --compile-only: a GPU architecture to compile for (repeatable).")
    var architectures: [String] = KernelCompiler.checkedArchitectures

    func validate() throws {
        if device != .cuda { throw ValidationError("selftest checks the CUDA backend against the CPU: use --device cuda") }
    }

    func run() throws {
        try CommandErrors.report {
            let search = LibrarySearch.current()
            if compileOnly {
                let compiler = KernelCompiler(nvrtc: try NVRTC(search: search), cache: KernelCache(environment: search.environment))
                print("nvrtc \(compiler.nvrtc.version) \(compiler.nvrtc.path)")
                guard try CUDASelfTest.compileKernels(architectures: architectures, compiler: compiler, report: { print($0) }) else {
                    throw ExitCode.failure
                }
                return
            }
            let backend = try CUDABackend(search: search)
            print("device \(backend.summary)")
            var passed = CUDASelfTest.checkKernels(backend) { print($0) }
            let cpu = CPUBackend()
            for characterBERT in [false, true] {
                let configuration = try ModelConfigurationFile.resolve(model: "tiny", characterBERT: characterBERT)
                let checks = try TrainingStepComparison.compare(configuration, name: characterBERT ? "tiny CharacterBERT" : "tiny BERT",
                                                                reference: cpu, candidate: backend)
                for check in checks { print(check.description) }
                passed = passed && checks.allSatisfy(\.passed)
            }
            print(passed ? "selftest passed" : "selftest FAILED")
            if !passed { throw ExitCode.failure }
        }
    }
}
