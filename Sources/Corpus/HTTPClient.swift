import CCurl
import Support

/// A blocking HTTP(S) client over one libcurl handle that streams response bodies to the caller.
///
/// It follows redirects and hands every final status to the caller (an HTTP error is not a
/// transport error here: the caller knows what a 404 means). Transport failures (no
/// connection, a stalled or cut transfer) throw `BERTKitError` naming the URL.
public final class HTTPClient {
    /// The status line and body length of the final response, once its headers are in.
    public struct ResponseHead: Sendable {
        /// The HTTP status code: 200, 206, 404, …
        public var status: Int
        /// The length of the body from Content-Length, or nil when the server did not say.
        public var contentLength: Int?
    }

    private let handle: UnsafeMutableRawPointer
    private let userAgent: String
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    private static let globalInit: Void = { bertkit_curl_global_init() }()

    /// Makes a client that sends `userAgent` with every request (Wikimedia asks for one that names the tool).
    public init(userAgent: String) {
        _ = HTTPClient.globalInit
        guard let handle = curl_easy_init() else { fatalError("libcurl cannot make a handle") }
        self.handle = handle
        self.userAgent = userAgent
    }

    deinit { curl_easy_cleanup(handle) }

    /// Fetches a small resource (a checksum list) into memory.
    /// - Returns: the final status and, for a 2xx status, the body (empty otherwise).
    public func get(_ url: String) throws -> (status: Int, body: [UInt8]) {
        var body: [UInt8] = []
        var status = 0
        try stream(url, from: 0, head: { status = $0.status }, body: { bytes in
            if (200..<300).contains(status) { body.append(contentsOf: bytes) }
        })
        return (status, body)
    }

    /// Streams `url` from byte `offset` on (an HTTP Range request when it is not 0).
    ///
    /// `head` is called once with the final response's status and length before any of its
    /// body is passed to `body`. A server may ignore the range and answer 200 with the whole
    /// resource; `head` sees that status and must handle it. An error thrown by either
    /// closure stops the transfer and is rethrown.
    /// - Throws: `BERTKitError` naming `url` when the transfer fails below HTTP.
    public func stream(
        _ url: String, from offset: Int,
        head: (ResponseHead) throws -> Void,
        body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try withoutActuallyEscaping(head) { head in
            try withoutActuallyEscaping(body) { body in
                let transfer = Transfer(handle: handle, head: head, body: body)
                try perform(url, from: offset, transfer: transfer)
            }
        }
    }

    private func perform(_ url: String, from offset: Int, transfer: Transfer) throws {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorText in
            bertkit_curl_setopt_string(handle, CURLOPT_URL, url)
            bertkit_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
            bertkit_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
            bertkit_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10)
            bertkit_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            bertkit_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 30)
            // Give up on a transfer that moves less than 1 byte a second for two minutes.
            bertkit_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
            bertkit_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, 120)
            bertkit_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorText.baseAddress)
            if offset > 0 { bertkit_curl_setopt_string(handle, CURLOPT_RANGE, "\(offset)-") }
            bertkit_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            bertkit_curl_setopt_write_function(handle) { data, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
            }
            return curl_easy_perform(handle)
        }
        if let error = transfer.error { throw error }
        guard code == CURLE_OK else {
            let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
            throw BERTKitError(file: url, "download failed: \(detail)")
        }
        // A response with an empty body never reached the write callback.
        try transfer.start()
    }
}

/// One request's callbacks and state, reached from libcurl's C callbacks through a context pointer.
private final class Transfer {
    private let handle: UnsafeMutableRawPointer
    private let head: (HTTPClient.ResponseHead) throws -> Void
    private let body: (UnsafeRawBufferPointer) throws -> Void
    private var started = false
    /// The first error thrown by a callback; the transfer stops there.
    private(set) var error: Error?

    init(handle: UnsafeMutableRawPointer,
         head: @escaping (HTTPClient.ResponseHead) throws -> Void,
         body: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.handle = handle
        self.head = head
        self.body = body
    }

    /// Calls `head` with the final response's status and length, once.
    func start() throws {
        guard !started else { return }
        started = true
        var status = 0
        var length: curl_off_t = -1
        bertkit_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        bertkit_curl_getinfo_off(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
        try head(HTTPClient.ResponseHead(status: status, contentLength: length >= 0 ? Int(length) : nil))
    }

    /// Passes a piece of the body on; returns the count taken, which libcurl reads as "go on"
    /// when it equals the piece's size and as "stop" otherwise.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        do {
            try start()
            try body(bytes)
            return bytes.count
        } catch {
            self.error = error
            return 0
        }
    }
}
