import CUDA
import Testing

@Suite struct KernelSourceTests {
    @Test func everyKernelFileIsEmbeddedWithItsKernels() {
        #expect(KernelSource.all.map(\.name) == ["dropout.cu", "elementwise.cu", "layernorm.cu", "loss.cu", "optimizer.cu",
                                                 "reductions.cu", "rows.cu", "softmax.cu", "windows.cu"])
        #expect(KernelSource.header.name == "bertkit.cuh")
        #expect(KernelSource.defining("softmax_backward")?.name == "softmax.cu")
        #expect(KernelSource.defining("layer_norm_forward")?.kernelNames == ["layer_norm_forward", "layer_norm_backward"])
    }

    @Test func kernelsIncludeNoCUDAHeader() {
        for source in KernelSource.all + [KernelSource.header] {
            let includes = source.text.split(separator: "\n").filter { $0.hasPrefix("#include") }
            #expect(includes.allSatisfy { $0 == "#include \"bertkit.cuh\"" }, "\(source.name)")
        }
    }

    @Test func kernelNamesAreUniqueAcrossFiles() {
        let names = KernelSource.all.flatMap(\.kernelNames)
        #expect(Set(names).count == names.count && names.count >= 25)
    }

    @Test func compiledFileKnowsWhichKernelsItHolds() {
        let source = KernelSource(name: "k.cu", text: "extern \"C\" __global__ void first(int* x) {}\nextern \"C\" __global__ void second() {}")
        let image = Array("\u{7F}ELF....text.first\0.text.secondary\0".utf8)
        let file = CompiledKernelFile(source: source, architecture: "sm_90a", image: image, fromCache: false)
        #expect(file.defines("first"))
        #expect(!file.defines("second"))
        #expect(file.missingKernels == ["second"])
    }

    @Test func architecturesAreValidated() throws {
        for architecture in ["sm_80", "sm_90", "sm_90a", "sm_100a"] { try KernelCompiler.validate(architecture: architecture) }
        for architecture in ["sm_", "sm_9x", "compute_90", "sm_90ab", "90"] {
            #expect(throws: (any Error).self) { try KernelCompiler.validate(architecture: architecture) }
        }
    }
}
