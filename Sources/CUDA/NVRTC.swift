#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// NVRTC, CUDA's run-time compiler, opened with dlopen: CUDA C++ source in, a cubin for one
/// GPU architecture out. It needs no driver and no GPU.
public final class NVRTC: @unchecked Sendable {
    private typealias Program = UnsafeMutableRawPointer?
    private typealias CStrings = UnsafePointer<UnsafePointer<CChar>?>?
    private typealias VersionFunction = @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) -> Int32
    private typealias CreateFunction = @convention(c) (UnsafeMutablePointer<Program>, UnsafePointer<CChar>,
                                                       UnsafePointer<CChar>, Int32, CStrings, CStrings) -> Int32
    private typealias CompileFunction = @convention(c) (Program, Int32, CStrings) -> Int32
    private typealias SizeFunction = @convention(c) (Program, UnsafeMutablePointer<Int>) -> Int32
    private typealias BytesFunction = @convention(c) (Program, UnsafeMutablePointer<CChar>) -> Int32
    private typealias DestroyFunction = @convention(c) (UnsafeMutablePointer<Program>) -> Int32
    private typealias ErrorStringFunction = @convention(c) (Int32) -> UnsafePointer<CChar>?

    /// The path the library was opened by.
    public let path: String
    /// The library's version, "MAJOR.MINOR".
    public let version: String
    private let create: CreateFunction, compileProgram: CompileFunction, destroy: DestroyFunction
    private let logSize: SizeFunction, log: BytesFunction, cubinSize: SizeFunction, cubin: BytesFunction
    private let errorString: ErrorStringFunction

    /// Opens libnvrtc where `search` finds it.
    /// - Throws: `BERTKitError` when it is not found or lacks a function.
    public init(search: LibrarySearch) throws {
        let library = try DynamicLibrary.open(.nvrtc, search: search)
        path = library.path
        create = try library.function("nvrtcCreateProgram", as: CreateFunction.self)
        compileProgram = try library.function("nvrtcCompileProgram", as: CompileFunction.self)
        destroy = try library.function("nvrtcDestroyProgram", as: DestroyFunction.self)
        logSize = try library.function("nvrtcGetProgramLogSize", as: SizeFunction.self)
        log = try library.function("nvrtcGetProgramLog", as: BytesFunction.self)
        cubinSize = try library.function("nvrtcGetCUBINSize", as: SizeFunction.self)
        cubin = try library.function("nvrtcGetCUBIN", as: BytesFunction.self)
        errorString = try library.function("nvrtcGetErrorString", as: ErrorStringFunction.self)
        var (major, minor): (Int32, Int32) = (0, 0)
        _ = try library.function("nvrtcVersion", as: VersionFunction.self)(&major, &minor)
        version = "\(major).\(minor)"
    }

    /// Compiles `source`, which may include `header`, with `options`, into a cubin.
    /// - Throws: `BERTKitError` naming the repository file and line of the first error, the
    ///   other errors following in the message.
    public func compile(_ source: KernelSource, header: KernelSource, options: [String]) throws -> [UInt8] {
        var program: Program = nil
        let created = Self.withCStrings([header.text]) { headers in
            Self.withCStrings([header.name]) { names in create(&program, source.text, source.name, 1, headers, names) }
        }
        try check(created, "cannot create a program of \(source.name)")
        defer { _ = destroy(&program) }
        let compiled = Self.withCStrings(options) { compileProgram(program, Int32(options.count), $0) }
        guard compiled == 0 else {
            throw Self.compilationError(log: programLog(program), source: source, result: message(compiled))
        }
        var size = 0
        try check(cubinSize(program, &size), "no cubin for \(source.name)")
        var image = [UInt8](repeating: 0, count: size)
        try image.withUnsafeMutableBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try check(cubin(program, $0.baseAddress!), "no cubin for \(source.name)") }
        }
        return image
    }

    /// The error of a failed compilation: the first error's file and line, every error's text.
    static func compilationError(log: String, source: KernelSource, result: String) -> BERTKitError {
        let errors = NVRTCDiagnostic.parse(log: log).filter(\.isError)
        guard let first = errors.first else {
            return BERTKitError(file: source.repositoryPath, "NVRTC: \(result)\n\(log)")
        }
        let more = errors.dropFirst().map { "\n  " + $0.description }.joined()
        return BERTKitError(file: KernelSource.repositoryDirectory + "/" + first.file, place: "line \(first.line)",
                            "NVRTC: \(first.message)" + more)
    }

    private func programLog(_ program: Program) -> String {
        var size = 0
        guard logSize(program, &size) == 0, size > 1 else { return "" }
        var text = [CChar](repeating: 0, count: size)
        guard log(program, &text) == 0 else { return "" }
        return String(cString: text)
    }

    private func message(_ result: Int32) -> String {
        errorString(result).map { String(cString: $0) } ?? "NVRTC error \(result)"
    }

    private func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw BERTKitError("\(what): \(message(result))") }
    }

    /// Calls `body` with a C array of C strings holding `strings`, valid during the call.
    private static func withCStrings<R>(_ strings: [String], _ body: (CStrings) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
