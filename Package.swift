// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "BERTKit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bertkit", targets: ["bertkit"]),
        .library(name: "Corpus", targets: ["Corpus"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "PretrainingData", targets: ["PretrainingData"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "CUDA", targets: ["CUDA"]),
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Interop", targets: ["Interop"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Distributed", targets: ["Distributed"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System libraries, each a module map over a shim header.
        .systemLibrary(name: "CBzip2", path: "Sources/CBzip2"),
        .systemLibrary(name: "CExpat", path: "Sources/CExpat", pkgConfig: "expat"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5"),
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate", pkgConfig: "libdeflate"),
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]),
        // The bundled sample dump, embedded in the binary with C23 #embed.
        .target(name: "CSampleCorpus", path: "Sources/CSampleCorpus",
                exclude: ["sample-wiki.xml.bz2"]),
        // The CUDA kernels' sources, embedded the same way; NVRTC compiles them at run time.
        .target(name: "CCUDAKernels", path: "Sources/CCUDAKernels", exclude: ["kernels"]),

        .target(name: "Support", dependencies: ["COpenSSL"]),
        .target(
            name: "Corpus",
            dependencies: [
                "Support", "Tokenizers", "CBzip2", "CExpat", "CCurl", "CSampleCorpus",
            ]),
        .target(name: "Tokenizers", dependencies: ["Support"]),
        .target(name: "PretrainingData", dependencies: ["Distributed", "Support", "Tokenizers", "CHDF5", "CDeflate"]),
        .target(name: "Tensor", dependencies: ["Support", "COpenBLAS"]),
        .target(name: "CUDA", dependencies: ["Support", "Tensor", "CCUDAKernels"]),
        .target(name: "Model", dependencies: ["Support", "Tensor"]),
        .target(name: "Interop", dependencies: ["Support"]),
        .target(name: "Distributed", dependencies: ["Support", "CMPI"]),
        .target(
            name: "Training",
            dependencies: ["CUDA", "Distributed", "Interop", "Model", "PretrainingData", "Tensor", "Tokenizers", "Support",
                           .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "bertkit",
            dependencies: [
                "Corpus", "CUDA", "Distributed", "Model", "PretrainingData", "Support", "Tokenizers", "Training",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Helpers shared by every test target (temporary files).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SupportTests", dependencies: ["TestSupport", "Support"]),
        .testTarget(name: "CorpusTests", dependencies: ["TestSupport", "Corpus", "Support"]),
        .testTarget(name: "TokenizersTests", dependencies: ["TestSupport", "Tokenizers", "Support"]),
        .testTarget(name: "PretrainingDataTests", dependencies: ["TestSupport", "PretrainingData", "Tokenizers", "Support"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Support"]),
        .testTarget(name: "CUDATests", dependencies: ["TestSupport", "CUDA", "Tensor", "Support"]),
        .testTarget(name: "ModelTests", dependencies: ["TestSupport", "Model", "Tensor", "Interop", "Support", "Training"]),
        .testTarget(name: "DistributedTests", dependencies: ["Distributed", "Support", "TestSupport"]),
        .testTarget(name: "InteropTests", dependencies: ["TestSupport", "Interop", "Support"]),
        .testTarget(name: "TrainingTests", dependencies: ["TestSupport", "Training", "Model", "PretrainingData", "Tensor", "Interop",
                                                       "Tokenizers", "Support"]),
    ]
)

// The CPU kernels are written with SIMD types; on x86-64 they are compiled for AVX2 and FMA
// (Haswell's instruction set: every x86 server CPU since 2013), which the SSE2 baseline would emulate lane by
// lane for integer multiplies, blends and fused multiply-adds.
#if arch(x86_64)
for target in package.targets where target.name == "Tensor" {
    target.swiftSettings = [.unsafeFlags(["-target-cpu", "haswell"])]
}
#endif

// The kernels, the layers and the generators they draw from are optimised in debug builds
// too: unoptimised, a training step of the tiny model takes thirty times longer, too slow for
// the unit tests that train one.
for target in package.targets where ["Tensor", "Model", "Support"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"], .when(configuration: .debug))]
}

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.swiftLanguageMode(.v5)]
}
