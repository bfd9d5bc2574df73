/// Why no complete HTTP response arrived.
///
/// Never carries header values (the API key travels in `x-goog-api-key`); a `key` query parameter in
/// the URL is redacted too.
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
        /// Anything else libcurl reported.
        public static let other = Code("other")
    }

    public var code: Code
    /// libcurl's `CURLcode` number, when libcurl reported the failure.
    public var curlCode: Int?
    /// What went wrong, in words (libcurl's detailed message when it gave one).
    public var message: String
    /// The request's URL, with any `key` query parameter redacted.
    public var url: String

    public init(code: Code, curlCode: Int? = nil, message: String, url: String) {
        self.code = code
        self.curlCode = curlCode
        self.message = message
        self.url = redactingKey(in: url)
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

/// Replaces the value of every `key=` query parameter with `REDACTED`.
private func redactingKey(in url: String) -> String {
    guard let queryStart = url.firstIndex(of: "?") else { return url }
    let fragmentStart = url[queryStart...].firstIndex(of: "#") ?? url.endIndex
    let query = url[url.index(after: queryStart)..<fragmentStart]
    let redacted = query.split(separator: "&", omittingEmptySubsequences: false).map { item in
        item.hasPrefix("key=") ? "key=REDACTED" : String(item)
    }
    return url[...queryStart] + redacted.joined(separator: "&") + url[fragmentStart...]
}
