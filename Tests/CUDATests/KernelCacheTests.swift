import CUDA
import TestSupport
import Testing

@Suite struct KernelCacheTests {
    private let source = KernelSource(name: "k.cu", text: "extern \"C\" __global__ void k(float* x) {}")
    private let header = KernelSource(name: "bertkit.cuh", text: "#pragma once")

    @Test func directoryFollowsXDGThenHome() {
        #expect(KernelCache(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"])?.directory == "/c/bertkit/kernels")
        #expect(KernelCache(environment: ["HOME": "/h"])?.directory == "/h/.cache/bertkit/kernels")
        #expect(KernelCache(environment: [:]) == nil)
    }

    @Test func fileIsNamedByTheKeyAndTheArchitecture() {
        let key = KernelCache.key(source: source, header: header, compilerVersion: "13.0", options: ["--std=c++17"])
        #expect(key.count == 64 && key.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(KernelCache(directory: "/c").path(key: key, architecture: "sm_90a") == "/c/\(key)-sm_90a.cubin")
    }

    @Test func keyChangesWithEverythingTheCubinDependsOn() {
        let key = KernelCache.key(source: source, header: header, compilerVersion: "13.0", options: ["-a"])
        let edited = KernelSource(name: "k.cu", text: source.text + " ")
        let others = [
            KernelCache.key(source: edited, header: header, compilerVersion: "13.0", options: ["-a"]),
            KernelCache.key(source: source, header: KernelSource(name: "bertkit.cuh", text: ""), compilerVersion: "13.0", options: ["-a"]),
            KernelCache.key(source: source, header: header, compilerVersion: "12.9", options: ["-a"]),
            KernelCache.key(source: source, header: header, compilerVersion: "13.0", options: ["-b"]),
            KernelCache.key(source: source, header: header, compilerVersion: "13.0", options: ["-a", ""]),
        ]
        #expect(Set(others + [key]).count == others.count + 1)
        #expect(KernelCache.key(source: source, header: header, compilerVersion: "13.0", options: ["-a"]) == key)
    }

    @Test func storedCubinLoadsBackAndNothingElseDoes() throws {
        let cache = KernelCache(directory: TestFiles.temporaryDirectory() + "/nested/kernels")
        #expect(cache.load(key: "abc", architecture: "sm_80") == nil)
        try cache.store([1, 2, 3], key: "abc", architecture: "sm_80")
        #expect(cache.load(key: "abc", architecture: "sm_80") == [1, 2, 3])
        #expect(cache.load(key: "abc", architecture: "sm_90") == nil)
    }
}
