#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Where the CUDA libraries are looked for, in order: the paths `dlopen` is handed, one after
/// the other, until one opens.
///
/// For each library: its sonames as they are, which the dynamic loader looks up itself
/// (LD_LIBRARY_PATH, the ldconfig cache, the default directories); then the toolkit's
/// directories $CUDA_HOME/lib64, /usr/local/cuda/lib64 and
/// /usr/local/cuda/targets/x86_64-linux/lib. NVRTC is also taken from $BERTKIT_NVRTC first
/// (a libnvrtc file, a directory holding one, or a Python site-packages directory holding
/// the NVRTC wheel) and, last, from the wheel in the project's `.venv` (`nvidia/cu13/lib` of
/// `nvidia-cuda-nvrtc`, `nvidia/cuda_nvrtc/lib` of `nvidia-cuda-nvrtc-cu12`).
public struct LibrarySearch: Sendable {
    /// The environment variables the search reads: CUDA_HOME and BERTKIT_NVRTC.
    public var environment: [String: String]
    /// The directory whose `.venv` is searched for the NVRTC wheel (the working directory).
    public var projectDirectory: String

    /// The variables of the process's environment that the search and the kernel cache read.
    public static let variables = ["CUDA_HOME", "BERTKIT_NVRTC", "XDG_CACHE_HOME", "HOME"]

    public init(environment: [String: String], projectDirectory: String) {
        self.environment = environment
        self.projectDirectory = projectDirectory
    }

    /// The search of this process: its environment and working directory.
    public static func current() -> LibrarySearch {
        var environment: [String: String] = [:]
        for name in variables {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        var buffer = [CChar](repeating: 0, count: 4096)
        let directory = getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "."
        return LibrarySearch(environment: environment, projectDirectory: directory)
    }

    /// The directories of the CUDA toolkit, in the order they are tried.
    public var toolkitDirectories: [String] {
        var directories: [String] = []
        if let home = environment["CUDA_HOME"], !home.isEmpty { directories.append(home + "/lib64") }
        directories += ["/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"]
        return directories
    }

    /// The paths to try for `library`, in order, without repeats.
    public func candidates(for library: CUDALibrary) -> [String] {
        var paths: [String] = []
        if library == .nvrtc, let given = environment["BERTKIT_NVRTC"], !given.isEmpty {
            if FileSystem.isDirectory(given) {
                paths += ([given] + Self.wheelDirectories(in: given)).flatMap { directory in
                    library.sonames.map { directory + "/" + $0 }
                }
            } else {
                paths.append(given)
            }
        }
        paths += library.sonames
        paths += toolkitDirectories.flatMap { directory in library.sonames.map { directory + "/" + $0 } }
        if library == .nvrtc {
            for sitePackages in virtualEnvironmentSitePackages() {
                paths += Self.wheelDirectories(in: sitePackages).flatMap { directory in
                    library.sonames.map { directory + "/" + $0 }
                }
            }
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// The library directories of the NVRTC wheels below a site-packages directory, CUDA 13's first.
    static func wheelDirectories(in sitePackages: String) -> [String] {
        [sitePackages + "/nvidia/cu13/lib", sitePackages + "/nvidia/cuda_nvrtc/lib"]
    }

    /// The site-packages directories of `.venv` in the project directory (one per Python
    /// version there), in name order.
    func virtualEnvironmentSitePackages() -> [String] {
        let lib = projectDirectory + "/.venv/lib"
        guard FileSystem.isDirectory(lib), let names = try? FileSystem.contents(of: lib) else { return [] }
        return names.filter { $0.hasPrefix("python") }.sorted().map { lib + "/" + $0 + "/site-packages" }
    }
}
