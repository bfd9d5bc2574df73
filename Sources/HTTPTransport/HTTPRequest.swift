/// One HTTP request: what to send and how long to wait for it.
public struct HTTPRequest: Sendable {
    /// The method token, e.g. `GET`, `POST`, `PUT`.
    public var method: String
    /// An absolute `http://` or `https://` URL.
    public var url: String
    /// Header fields, sent in this order. `Expect: 100-continue` is always suppressed.
    public var headers: [HTTPHeader]
    public var body: HTTPBody
    /// How long to wait for the TCP and TLS handshakes. Default 10 s.
    public var connectTimeout: Duration
    /// How long the whole exchange may take, from start to the last body byte; `nil` waits forever.
    /// Default 300 s.
    public var totalTimeout: Duration?
    /// When set, a 2xx body is written to the file at this path (created or truncated, mode 0600) as it
    /// arrives instead of being kept in memory, with no size limit; `HTTPResponse.body` is then empty.
    /// Other statuses keep their body in memory. Default nil.
    public var responseFile: String?

    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: HTTPBody = .none,
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration? = .seconds(300),
        responseFile: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.responseFile = responseFile
    }
}
