import CCurl

/// HTTP over libcurl's multi interface, every transfer driven by one dedicated thread.
///
/// Connections are kept and reused between requests; HTTP/2 is used when a TLS server offers it.
/// Call `shutdown()` (or drop the last reference) to fail outstanding requests and stop the thread.
public final class CurlTransport: HTTPTransport {
    /// Limits on the connections the transport opens.
    public struct Configuration: Sendable {
        /// Most connections open to one host at once; further requests wait for a free one.
        /// 0 means no limit. Default 8. (`CURLMOPT_MAX_HOST_CONNECTIONS`; HTTP/2 multiplexes on one.)
        public var maxConnectionsPerHost: Int
        /// A PEM file of certificate authorities to trust instead of the system's. Default `nil`:
        /// the system bundle. (`CURLOPT_CAINFO`)
        public var caBundlePath: String?
        /// The largest response body taken, in bytes, both as received (compressed) and as decoded: a
        /// transfer past it is aborted with ``TransportError/Code/responseTooLarge``. Default 64 MiB.
        public var maxResponseBytes: Int64

        /// The default of ``maxResponseBytes``: 64 MiB, far above any answer the Gemini API gives.
        public static let defaultMaxResponseBytes: Int64 = 64 << 20

        public init(maxConnectionsPerHost: Int = 8, caBundlePath: String? = nil, maxResponseBytes: Int64 = defaultMaxResponseBytes) {
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.caBundlePath = caBundlePath
            self.maxResponseBytes = maxResponseBytes
        }
    }

    private let inbox: CurlInbox
    private let thread: LoopThread

    /// Initialises libcurl once per process, makes the multi handle and starts the loop thread.
    public init(configuration: Configuration = Configuration()) throws(TransportError) {
        guard CurlGlobal.initResult == Int(CURLE_OK.rawValue) else {
            throw TransportError(code: .other, curlCode: CurlGlobal.initResult, message: "curl_global_init failed", url: "")
        }
        guard let pointer = curl_multi_init() else {
            throw TransportError(code: .other, message: "curl_multi_init failed (out of memory?)", url: "")
        }
        _ = ds_curl_multi_setopt_long(pointer, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, configuration.maxConnectionsPerHost))
        _ = ds_curl_multi_setopt_long(pointer, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        let multi = MultiHandle(pointer: pointer)
        let inbox = CurlInbox(multi: multi)
        do {
            thread = try LoopThread {
                CurlMultiLoop(multi: multi, inbox: inbox, configuration: configuration).run()
            }
        } catch {
            curl_multi_cleanup(pointer)
            throw TransportError(code: .other, message: "cannot start the curl thread: \(error)", url: "")
        }
        self.inbox = inbox
    }

    deinit {
        shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let inbox = self.inbox
        let id = inbox.makeID()
        let ticket = RequestTicket()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let submission = CurlInbox.Submission(id: id, request: request, continuation: continuation)
                switch ticket.submit({ inbox.submit(submission) }) {
                case .submitted:
                    break
                case .cancelled:
                    continuation.resume(throwing: TransportError(code: .cancelled, message: "the task was cancelled", url: request.url))
                case .refused:
                    continuation.resume(
                        throwing: TransportError(code: .cancelled, message: "the transport was shut down", url: request.url))
                }
            }
        } onCancel: {
            ticket.cancel { inbox.cancel(id) }
        }
    }

    /// Fails outstanding and later requests with `.cancelled` and waits for the loop thread to end.
    ///
    /// Safe to call more than once; blocks only while the loop finishes its current step.
    public func shutdown() {
        inbox.close()
        thread.join()
    }
}
