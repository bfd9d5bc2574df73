/// Why no complete HTTP response arrived.
///
/// Never carries header values (the API key travels in `x-goog-api-key`) nor the URL's query, which may
/// hold credentials (a `key` parameter, an upload session's `upload_id`): errors reach logs, the state
/// database and sidecars.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this was; compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String

        private init(_ description: String) { self.description = description }

        /// The name did not resolve or the TCP connection was refused or unreachable.
        public static let connectFailed = Code("connectFailed")
        /// The connect timeout or the total timeout ran out.
        public static let timedOut = Code("timedOut")
        /// The connection failed while the request was being sent.
        public static let sendFailed = Code("sendFailed")
        /// The connection failed or closed before the whole response arrived.
        public static let receiveFailed = Code("receiveFailed")
        /// The TLS handshake or certificate check failed.
        public static let tls = Code("tls")
        /// The calling task was cancelled, or the transport was shut down.
        public static let cancelled = Code("cancelled")
        /// The request cannot be sent as given (bad URL, method, header or body file).
        public static let invalidRequest = Code("invalidRequest")
        /// The response body went past the transport's limit (`maxResponseBytes`), compressed or decoded;
        /// the transfer was aborted.
        public static let responseTooLarge = Code("responseTooLarge")
        /// Anything else libcurl reported.
        public static let other = Code("other")
    }

    public var code: Code
    /// libcurl's `CURLcode` number, when libcurl reported the failure.
    public var curlCode: Int?
    /// What went wrong, in words (libcurl's detailed message when it gave one).
    public var message: String
    /// The request's URL without its query or fragment.
    public var url: String

    public init(code: Code, curlCode: Int? = nil, message: String, url: String) {
        self.code = code
        self.curlCode = curlCode
        let bare = withoutQuery(url)
        self.message = bare == url ? message : message.replacing(url, with: bare)
        self.url = bare
    }

    /// Whether sending the same request again may succeed: connection and timeout failures.
    public var isRetryable: Bool {
        [.connectFailed, .timedOut, .sendFailed, .receiveFailed].contains(code)
    }

    public var description: String {
        let curl = curlCode.map { ", curl error \($0)" } ?? ""
        return "HTTP transport error (\(code)\(curl)) for \(url): \(message)"
    }
}

/// The URL up to its query: a query may hold credentials (`key=`, an upload session's `upload_id=`).
private func withoutQuery(_ url: String) -> String {
    guard let end = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return url }
    return String(url[..<end])
}
