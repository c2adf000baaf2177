import CUDA
import Support
import TestSupport
import Testing

/// The NVRTC the search of this process finds, if any.
private let installedNVRTC = try? NVRTC(search: .current())

/// Compilations with the NVRTC that `LibrarySearch` finds (the .venv wheel that
/// scripts/bootstrap.sh installs, or $BERTKIT_NVRTC); disabled where there is none.
@Suite(.enabled(if: installedNVRTC != nil, "no NVRTC (run scripts/bootstrap.sh or set BERTKIT_NVRTC)"))
struct NVRTCCompilationTests {
    @Test func errorNamesTheRepositoryFileAndLine() throws {
        let source = KernelSource(name: "broken.cu", text: """
            #include "bertkit.cuh"
            extern "C" __global__ void broken(float* x) {
                x[0] = undefinedThing;
                x[1] = alsoUndefined;
            }
            """)
        let compiler = KernelCompiler(nvrtc: try #require(installedNVRTC), cache: nil)
        do {
            _ = try compiler.compile(source, architecture: "sm_80")
            Issue.record("a broken kernel compiled")
        } catch let error as BERTKitError {
            #expect(error.file == "Sources/CCUDAKernels/kernels/broken.cu")
            #expect(error.place == "line 3")
            #expect(error.message.hasPrefix("NVRTC: identifier \"undefinedThing\" is undefined"))
            #expect(error.message.contains("broken.cu:4: error: identifier \"alsoUndefined\" is undefined"))
        }
    }

    @Test func cacheServesTheSecondCompilation() throws {
        let cache = KernelCache(directory: TestFiles.temporaryDirectory())
        let compiler = KernelCompiler(nvrtc: try #require(installedNVRTC), cache: cache)
        let source = try #require(KernelSource.all.first { $0.name == "softmax.cu" })
        let first = try compiler.compile(source, architecture: "sm_90a")
        let second = try compiler.compile(source, architecture: "sm_90a")
        #expect(!first.fromCache && second.fromCache && first.image == second.image)
        #expect(first.missingKernels.isEmpty && first.defines("softmax_forward"))
    }
}
