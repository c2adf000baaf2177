import CUDA
import Support
import TestSupport
import Testing

@Suite struct LibrarySearchTests {
    @Test func driverIsLookedUpByTheLoaderThenInTheToolkitDirectories() {
        let search = LibrarySearch(environment: ["CUDA_HOME": "/opt/cuda-13.0"], projectDirectory: "/nonexistent")
        #expect(search.candidates(for: .driver) == [
            "libcuda.so.1", "/opt/cuda-13.0/lib64/libcuda.so.1", "/usr/local/cuda/lib64/libcuda.so.1",
            "/usr/local/cuda/targets/x86_64-linux/lib/libcuda.so.1",
        ])
    }

    @Test func cuda13IsTriedBeforeCuda12InEachPlace() {
        let search = LibrarySearch(environment: [:], projectDirectory: "/nonexistent")
        #expect(search.candidates(for: .cublasLt) == [
            "libcublasLt.so.13", "libcublasLt.so.12",
            "/usr/local/cuda/lib64/libcublasLt.so.13", "/usr/local/cuda/lib64/libcublasLt.so.12",
            "/usr/local/cuda/targets/x86_64-linux/lib/libcublasLt.so.13", "/usr/local/cuda/targets/x86_64-linux/lib/libcublasLt.so.12",
        ])
    }

    @Test func nvrtcFileGivenByTheEnvironmentComesFirst() {
        let search = LibrarySearch(environment: ["BERTKIT_NVRTC": "/wheels/libnvrtc.so.13"], projectDirectory: "/nonexistent")
        let candidates = search.candidates(for: .nvrtc)
        #expect(candidates.first == "/wheels/libnvrtc.so.13")
        #expect(candidates.dropFirst().prefix(2) == ["libnvrtc.so.13", "libnvrtc.so.12"])
    }

    @Test func nvrtcDirectoryGivenByTheEnvironmentIsSearchedWithItsWheelLayouts() {
        let directory = TestFiles.temporaryDirectory()
        let search = LibrarySearch(environment: ["BERTKIT_NVRTC": directory], projectDirectory: "/nonexistent")
        #expect(Array(search.candidates(for: .nvrtc).prefix(6)) == [
            "\(directory)/libnvrtc.so.13", "\(directory)/libnvrtc.so.12",
            "\(directory)/nvidia/cu13/lib/libnvrtc.so.13", "\(directory)/nvidia/cu13/lib/libnvrtc.so.12",
            "\(directory)/nvidia/cuda_nvrtc/lib/libnvrtc.so.13", "\(directory)/nvidia/cuda_nvrtc/lib/libnvrtc.so.12",
        ])
    }

    @Test func projectVirtualEnvironmentWheelIsTheLastResort() throws {
        let project = TestFiles.temporaryDirectory()
        try FileSystem.createDirectory(project + "/.venv/lib/python3.11/site-packages")
        let search = LibrarySearch(environment: [:], projectDirectory: project)
        let sitePackages = project + "/.venv/lib/python3.11/site-packages"
        #expect(Array(search.candidates(for: .nvrtc).suffix(4)) == [
            "\(sitePackages)/nvidia/cu13/lib/libnvrtc.so.13", "\(sitePackages)/nvidia/cu13/lib/libnvrtc.so.12",
            "\(sitePackages)/nvidia/cuda_nvrtc/lib/libnvrtc.so.13", "\(sitePackages)/nvidia/cuda_nvrtc/lib/libnvrtc.so.12",
        ])
        #expect(!search.candidates(for: .cublasLt).contains { $0.hasPrefix(project) })
    }
}
